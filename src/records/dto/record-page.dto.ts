import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RecordResponseDto } from './record-response.dto';

export class RecordPageDto {
  @ApiProperty({ type: [RecordResponseDto] })
  items: RecordResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page.',
  })
  next_cursor: string | null;

  @ApiPropertyOptional({
    description: 'Every record of the organization, with include_total=true.',
  })
  total?: number;
}
