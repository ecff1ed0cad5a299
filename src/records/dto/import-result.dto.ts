import { ApiProperty } from '@nestjs/swagger';

export class ImportProblemDto {
  @ApiProperty({ description: 'Line of the NDJSON body, from 1.' })
  line: number;

  @ApiProperty({ example: 'a record with this _id already exists' })
  message: string;
}

export class ImportResultDto {
  @ApiProperty()
  imported: number;

  @ApiProperty()
  refused: number;

  @ApiProperty({ type: [ImportProblemDto], description: 'The first 100 refused lines.' })
  problems: ImportProblemDto[];

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'Set when the import stopped early because more than IMPORT_MAX_REFUSED lines were ' +
      'refused: the last line read. Nothing after it was read or stored.',
  })
  stopped_at_line: number | null;
}
