import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsMongoId, Max, Min } from 'class-validator';
import { OptionalField } from '../../common/optional-field.decorator';

const MAX_PAGE_SIZE = 100;

export class ListRecordsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @OptionalField()
  @Type(() => Number)
  @Max(MAX_PAGE_SIZE, { message: `limit must be at most ${MAX_PAGE_SIZE}` })
  @Min(1, { message: 'limit must be at least 1' })
  @IsInt({ message: 'limit must be a whole number' })
  limit: number = 20;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page.' })
  @OptionalField()
  @IsMongoId({ message: 'after must be a cursor returned by a previous page' })
  after?: string;

  @ApiPropertyOptional({ description: 'Also count every record (slower on large collections).' })
  @OptionalField()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'include_total must be true or false' })
  include_total?: boolean;
}
