import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { TenantLocation } from '../tenant/tenant-location.schema';
import { Organization, OrganizationStatus } from './schemas/organization.schema';

export interface NewOrganization {
  name: string;
  location: TenantLocation;
  adminId: Types.ObjectId;
}

/**
 * The `organizations` collection of the master database. Every state change names the
 * state it expects to leave, so two lifecycle operations cannot interleave on one record.
 */
@Injectable()
export class OrganizationRepository implements OnModuleInit {
  constructor(
    @InjectModel(Organization.name) private readonly organizations: Model<Organization>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.organizations.createIndexes();
  }

  findById(id: Types.ObjectId): Promise<Organization | null> {
    return this.organizations.findById(id).lean<Organization>().exec();
  }

  findByName(name: string): Promise<Organization | null> {
    return this.organizations.findOne({ name }).lean<Organization>().exec();
  }

  /** Inserted in the `creating` state; the unique name index rejects a taken name. */
  async insert(organization: NewOrganization): Promise<Organization> {
    const created = await this.organizations.create({
      ...organization,
      status: OrganizationStatus.Creating,
    });
    return created.toObject();
  }

  markActive(id: Types.ObjectId, from: OrganizationStatus): Promise<Organization | null> {
    return this.transition(id, from, { status: OrganizationStatus.Active });
  }

  markDeleting(id: Types.ObjectId): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Active, { status: OrganizationStatus.Deleting });
  }

  /** Takes the new name at once (the unique index settles races), before the collection moves. */
  beginRename(id: Types.ObjectId, name: string): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Active, {
      name,
      status: OrganizationStatus.Renaming,
    });
  }

  completeRename(id: Types.ObjectId, location: TenantLocation): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Renaming, {
      location,
      status: OrganizationStatus.Active,
    });
  }

  abortRename(id: Types.ObjectId, previousName: string): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Renaming, {
      name: previousName,
      status: OrganizationStatus.Active,
    });
  }

  async deleteById(id: Types.ObjectId): Promise<void> {
    await this.organizations.deleteOne({ _id: id }).exec();
  }

  private transition(
    id: Types.ObjectId,
    from: OrganizationStatus,
    set: Partial<Organization>,
  ): Promise<Organization | null> {
    return this.organizations
      .findOneAndUpdate({ _id: id, status: from }, { $set: set }, { new: true })
      .lean<Organization>()
      .exec();
  }
}
