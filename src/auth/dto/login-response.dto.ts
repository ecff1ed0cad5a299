import { ApiProperty } from '@nestjs/swagger';

export class LoginResponseDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ description: 'Lifetime of the token in seconds', example: 3600 })
  expires_in: number;

  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' })
  admin_id: string;

  @ApiProperty({ example: '665f1c2e8b3e4a0012345679' })
  organization_id: string;
}
