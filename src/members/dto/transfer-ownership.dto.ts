import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsMongoId } from 'class-validator';

export class TransferOwnershipDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678', description: 'The member who becomes owner' })
  @IsMongoId({ message: 'admin_id must be a member id (24 hexadecimal characters)' })
  @IsDefined({ message: 'admin_id is required' })
  admin_id: string;
}
