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
}
