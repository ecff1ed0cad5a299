import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined } from 'class-validator';

export const MAX_BULK_RECORDS = 1_000;

export class BulkRecordsDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    minItems: 1,
    maxItems: MAX_BULK_RECORDS,
    example: [
      { sku: 'widget-1', qty: 4 },
      { sku: 'widget-2', qty: 1 },
    ],
  })
  @IsDefined({ message: 'records is required' })
  @IsArray({ message: 'records must be an array of JSON objects' })
  @ArrayMinSize(1, { message: 'records must hold at least one record' })
  @ArrayMaxSize(MAX_BULK_RECORDS, {
    message: `records may hold at most ${MAX_BULK_RECORDS} records`,
  })
  records: unknown[];
}

export class StoredRecordDto {
  @ApiProperty({ description: 'Position in the request, from 0.' })
  index: number;

  @ApiProperty()
  id: string;
}

export class RefusedRecordDto {
  @ApiProperty({ description: 'Position in the request, from 0.' })
  index: number;

  @ApiProperty({ example: 'field "$where" must not start with \'$\'' })
  message: string;
}

export class BulkResultDto {
  @ApiProperty({ type: [StoredRecordDto] })
  stored: StoredRecordDto[];

  @ApiProperty({ type: [RefusedRecordDto] })
  refused: RefusedRecordDto[];
}
