import { ApiProperty } from '@nestjs/swagger';
import { recordData, type TenantRecord } from '../../tenant/tenant-record.schema';

export class RecordResponseDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345680' })
  id: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { sku: 'widget-1', qty: 4, tags: ['blue'] },
    description: 'The document as the client wrote it.',
  })
  data: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

export function toRecordResponse(record: TenantRecord): RecordResponseDto {
  return {
    id: record._id.toString(),
    data: recordData(record),
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}
