import { ApiProperty } from '@nestjs/swagger';
import { mongo } from 'mongoose';
import { recordData, type TenantRecord } from '../../tenant/tenant-record.schema';
import { isPlainObject } from '../record-rules';

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
    data: EJSON.serialize(exactLongs(recordData(record)), { relaxed: true }),
    created_at: isoDate(record.createdAt),
    updated_at: isoDate(record.updatedAt),
  };
}

function isoDate(value: unknown): string | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : null;
}

/**
 * Relaxed Extended JSON writes every 64-bit integer as a JavaScript number, rounding those
 * beyond 2^53; these keep their canonical `{"$numberLong": "…"}` form instead.
 */
function exactLongs(value: unknown): unknown {
  if (value instanceof mongo.Long) {
    const safe =
      value.lessThanOrEqual(Number.MAX_SAFE_INTEGER) &&
      value.greaterThanOrEqual(Number.MIN_SAFE_INTEGER);
    return safe ? value.toNumber() : { $numberLong: value.toString() };
  }
  if (Array.isArray(value)) return value.map(exactLongs);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, exactLongs(child)]),
    );
  }
  return value;
}
