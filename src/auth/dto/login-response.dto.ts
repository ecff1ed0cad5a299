import { ApiProperty } from '@nestjs/swagger';
import { TokenPairDto } from './token-pair.dto';

export class LoginResponseDto extends TokenPairDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' })
  admin_id: string;

  @ApiProperty({ example: '665f1c2e8b3e4a0012345679' })
  organization_id: string;
}
