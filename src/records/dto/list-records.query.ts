import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { CursorPageQuery } from '../../common/cursor-page.query';
import { OptionalField } from '../../common/optional-field.decorator';

export class ListRecordsQuery extends CursorPageQuery {
  @ApiPropertyOptional({ description: 'Also count every record (slower on large collections).' })
  @OptionalField()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'include_total must be true or false' })
  include_total?: boolean;
}
