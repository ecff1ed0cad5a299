import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import { TenantDirectory, type TenantEntry } from '../tenant/tenant-directory';
import { OrganizationRepository } from './organization.repository';
import { OrganizationStatus } from './schemas/organization.schema';

/** The organization side's answer to the tenant module: where a tenant's data is now. */
@Injectable()
export class OrganizationDirectory extends TenantDirectory {
  constructor(private readonly organizations: OrganizationRepository) {
    super();
  }

  async find(organizationId: Types.ObjectId): Promise<TenantEntry | null> {
    const organization = await this.organizations.findById(organizationId);
    if (!organization) return null;
    const open = organization.status === OrganizationStatus.Active;
    return {
      open,
      readable: open || organization.status === OrganizationStatus.Moving,
      location: organization.location,
    };
  }
}
