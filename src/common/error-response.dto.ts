import { ApiProperty } from '@nestjs/swagger';

/** The one body every error answer has. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'email must be a valid email address' })
  message: string;
}
