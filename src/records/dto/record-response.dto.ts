import { ApiProperty } from '@nestjs/swagger';
import { mongo } from 'mongoose';
import { recordData, type TenantRecord } from '../../tenant/tenant-record.schema';

const { EJSON } = mongo.BSON;

export class RecordResponseDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345680' })
  id: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { sku: 'widget-1', qty: 4, tags: ['blue'] },
    description:
      'The document as the client wrote it. Values JSON has no type for (64-bit integers ' +
      'beyond 2^53, dates, ObjectIds, binary) come as relaxed Extended JSON.',
  })
  data: Record<string, unknown>;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  created_at: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  updated_at: string | null;
}

/**
 * Plain JSON for any stored document: BSON values JSON has no type for (64-bit integers
 * beyond 2^53, dates, ids, binary) are written as relaxed Extended JSON, and a document
 * an older version let in with odd server fields still renders rather than failing.
 */
export function toRecordResponse(record: TenantRecord): RecordResponseDto {
  return {
    id:
      record._id instanceof mongo.ObjectId ? record._id.toHexString() : EJSON.stringify(record._id),
    data: EJSON.serialize(recordData(record), { relaxed: true }),
    created_at: isoDate(record.createdAt),
    updated_at: isoDate(record.updatedAt),
  };
}

function isoDate(value: unknown): string | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;
}
