import { ApiProperty } from '@nestjs/swagger';

/** A bearer token and how long it lasts. */
export class AccessTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ description: 'Lifetime of the token in seconds', example: 3600 })
  expires_in: number;
}
