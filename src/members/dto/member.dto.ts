import { ApiProperty } from '@nestjs/swagger';
import { Role, roleOf } from '../../auth/role';
import type { Admin } from '../../auth/schemas/admin.schema';

export class MemberDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' })
  id: string;

  @ApiProperty({ example: 'ada@acme.example' })
  email: string;

  @ApiProperty({ enum: Role, example: Role.Admin })
  role: Role;

  @ApiProperty({ format: 'date-time' })
  joined_at: string;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto], description: 'Oldest member first' })
  members: MemberDto[];
}

export function toMember(admin: Admin): MemberDto {
  return {
    id: admin._id.toString(),
    email: admin.email,
    role: roleOf(admin),
    joined_at: admin.createdAt.toISOString(),
  };
}
