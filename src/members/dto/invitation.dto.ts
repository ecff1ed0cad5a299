import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches } from 'class-validator';
import { IsAdminEmail, IsNewPassword } from '../../auth/dto/credential.decorators';
import { Role } from '../../auth/role';
import { OPAQUE_TOKEN } from '../../common/opaque-token';
import type { Invitation } from '../schemas/invitation.schema';
import { IsRole } from './change-role.dto';

export class CreateInvitationDto {
  @IsAdminEmail({ example: 'ada@acme.example' })
  email: string;

  @IsRole()
  role: Role;
}

export class InvitationDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345670' })
  invitation_id: string;

  @ApiProperty({ example: 'ada@acme.example' })
  email: string;

  @ApiProperty({ enum: Role, example: Role.Viewer })
  role: Role;

  @ApiProperty({ example: '665f1c2e8b3e4a0012345678', description: 'The member who invited' })
  invited_by: string;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  expires_at: string;
}

export class CreatedInvitationDto extends InvitationDto {
  @ApiProperty({
    description: 'Shown only in this answer; the service keeps only its SHA-256 hash.',
    example: '665f1c2e8b3e4a0012345670.q2Vb1oF0mM3n8p7Jk3n8WvX1sQ3G4h5J6k7L8m9N0pA',
  })
  token: string;
}

export class InvitationListDto {
  @ApiProperty({ type: [InvitationDto], description: 'Pending invitations, oldest first' })
  invitations: InvitationDto[];
}

export class AcceptInvitationDto {
  @ApiProperty({ description: 'The token from the invitation' })
  @Matches(OPAQUE_TOKEN, { message: 'token is not an invitation token' })
  @IsString({ message: 'token must be a string' })
  @IsDefined({ message: 'token is required' })
  token: string;

  @IsNewPassword()
  password: string;
}

export class AcceptedInvitationDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' })
  admin_id: string;

  @ApiProperty({ example: '665f1c2e8b3e4a0012345679' })
  organization_id: string;

  @ApiProperty({ example: 'ada@acme.example' })
  email: string;

  @ApiProperty({ enum: Role, example: Role.Viewer })
  role: Role;
}

export function toInvitation(invitation: Invitation): InvitationDto {
  return {
    invitation_id: invitation._id.toString(),
    email: invitation.email,
    role: invitation.role,
    invited_by: invitation.invitedBy.toString(),
    created_at: invitation.createdAt.toISOString(),
    expires_at: invitation.expiresAt.toISOString(),
  };
}
