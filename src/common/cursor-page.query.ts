import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsMongoId, Max, Min } from 'class-validator';
import { OptionalField } from './optional-field.decorator';

const MAX_PAGE_SIZE = 100;

/** `limit` and `after` of a list paged by `_id`: `after` is the previous page's cursor. */
export class CursorPageQuery {
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
}
