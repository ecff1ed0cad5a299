import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsEnum } from 'class-validator';
import { Role } from '../../auth/role';

/** A member's role, one of the three. */
export const IsRole = () =>
  applyDecorators(
    ApiProperty({ enum: Role, example: Role.Viewer }),
    IsEnum(Role, { message: `role must be one of: ${Object.values(Role).join(', ')}` }),
    IsDefined({ message: 'role is required' }),
  );

export class ChangeRoleDto {
  @IsRole()
  role: Role;
}
