import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Organization, OrganizationStatus } from '../schemas/organization.schema';

export class OrganizationAdminDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345678' })
  id: string;

  @ApiPropertyOptional({
    example: 'admin@acme.example',
    description: 'Shown only to the organization’s own authenticated admin.',
  })
  email?: string;
}

export class OrganizationResponseDto {
  @ApiProperty({ example: '665f1c2e8b3e4a0012345679' })
  organization_id: string;

  @ApiProperty({ example: 'acme' })
  organization_name: string;

  @ApiProperty({ example: 'org_acme' })
  collection_name: string;

  @ApiProperty({ enum: OrganizationStatus, example: OrganizationStatus.Active })
  status: OrganizationStatus;

  @ApiProperty({ type: OrganizationAdminDto })
  admin: OrganizationAdminDto;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

/** Builds the public view of a master record; the admin's email only when it is given. */
export function toOrganizationResponse(
  organization: Organization,
  adminEmail?: string,
): OrganizationResponseDto {
  return {
    organization_id: organization._id.toString(),
    organization_name: organization.name,
    collection_name: organization.location.collectionName,
    status: organization.status,
    admin: { id: organization.adminId.toString(), ...(adminEmail ? { email: adminEmail } : {}) },
    created_at: organization.createdAt.toISOString(),
    updated_at: organization.updatedAt.toISOString(),
  };
}
