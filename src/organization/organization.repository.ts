import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types, type UpdateQuery } from 'mongoose';
import type { Placement } from '../tenant/placement';
import type { TenantLocation } from '../tenant/tenant-location.schema';
import {
  Organization,
  OrganizationStatus,
  PendingMove,
  PendingRename,
} from './schemas/organization.schema';

export interface NewOrganization {
  _id: Types.ObjectId;
  name: string;
  location: TenantLocation;
  placement: Placement;
  adminId: Types.ObjectId;
}

const CLEAR_PENDING_RENAME = { pendingRename: 1 } as const;
const CLEAR_PENDING_MOVE = { pendingMove: 1 } as const;

const INTERMEDIATE = [
  OrganizationStatus.Creating,
  OrganizationStatus.Renaming,
  OrganizationStatus.Deleting,
];

/**
 * The `organizations` collection of the master database. Every state change names the
 * state it leaves and returns null when the record was not in that state. Callers hold the
 * organization's operation lock, which serializes changes to one record, so a change reads
 * the record by `_id`, checks its state in code and writes by `_id`: FerretDB serves only a
 * bare `_id` filter by key and scans every organization for any other.
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

  findByIds(ids: Types.ObjectId[]): Promise<Organization[]> {
    return this.organizations
      .find({ _id: trusted({ $in: ids }) })
      .lean<Organization[]>()
      .exec();
  }

  /** One page of every record, by `_id`, after the given one. */
  page(after: Types.ObjectId | undefined, limit: number): Promise<Organization[]> {
    return this.organizations
      .find(after ? { _id: trusted({ $gt: after }) } : {})
      .sort({ _id: 1 })
      .limit(limit)
      .lean<Organization[]>()
      .exec();
  }

  /** How many organizations keep their data on the cluster. */
  countOnCluster(cluster: string): Promise<number> {
    return this.organizations.countDocuments({ 'location.cluster': cluster }).exec();
  }

  /** Records left in an intermediate state since before the cutoff. */
  findAbandoned(cutoff: Date): Promise<Organization[]> {
    return this.organizations
      .find({ status: trusted({ $in: INTERMEDIATE }), statusChangedAt: trusted({ $lt: cutoff }) })
      .lean<Organization[]>()
      .exec();
  }

  /** Every collection a record points at, including the targets of renames under way. */
  async referencedCollections(database: string): Promise<Set<string>> {
    const records = await this.organizations
      .find({}, { location: 1, pendingRename: 1, pendingMove: 1 })
      .lean<Pick<Organization, 'location' | 'pendingRename' | 'pendingMove'>[]>()
      .exec();
    return new Set(
      records
        .flatMap((record) => [
          record.location,
          record.pendingRename?.location,
          record.pendingMove?.location,
        ])
        .filter((location) => location?.database === database)
        .map((location) => location!.collectionName),
    );
  }

  async insert(organization: NewOrganization): Promise<Organization> {
    const created = await this.organizations.create({
      ...organization,
      status: OrganizationStatus.Creating,
      statusChangedAt: new Date(),
    });
    return created.toObject();
  }

  markActive(id: Types.ObjectId): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Creating, { status: OrganizationStatus.Active });
  }

  beginRename(id: Types.ObjectId, pendingRename: PendingRename): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Active, {
      status: OrganizationStatus.Renaming,
      pendingRename,
    });
  }

  completeRename(id: Types.ObjectId, to: PendingRename): Promise<Organization | null> {
    return this.transition(
      id,
      OrganizationStatus.Renaming,
      { status: OrganizationStatus.Active, name: to.name, location: to.location },
      CLEAR_PENDING_RENAME,
    );
  }

  abortRename(id: Types.ObjectId): Promise<Organization | null> {
    return this.transition(
      id,
      OrganizationStatus.Renaming,
      { status: OrganizationStatus.Active },
      CLEAR_PENDING_RENAME,
    );
  }

  markDeleting(id: Types.ObjectId): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Active, { status: OrganizationStatus.Deleting });
  }

  abortDelete(id: Types.ObjectId): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Deleting, { status: OrganizationStatus.Active });
  }

  /** Announces a move; the organization stays active, and at its location, until the switch. */
  async beginMove(id: Types.ObjectId, pendingMove: PendingMove): Promise<Organization | null> {
    const current = await this.findById(id);
    if (current?.status !== OrganizationStatus.Active || current.pendingMove) return null;
    return this.updateById(id, { $set: { pendingMove } });
  }

  markMoving(id: Types.ObjectId): Promise<Organization | null> {
    return this.transition(id, OrganizationStatus.Active, { status: OrganizationStatus.Moving });
  }

  completeMove(id: Types.ObjectId, to: PendingMove): Promise<Organization | null> {
    return this.transition(
      id,
      OrganizationStatus.Moving,
      { status: OrganizationStatus.Active, location: to.location, placement: to.placement },
      CLEAR_PENDING_MOVE,
    );
  }

  /** The organization stays where it was, active; `moveId` guards against a later move. */
  async abortMove(id: Types.ObjectId, moveId: Types.ObjectId): Promise<void> {
    const current = await this.findById(id);
    const moving =
      current?.status === OrganizationStatus.Active ||
      current?.status === OrganizationStatus.Moving;
    if (!moving || !current.pendingMove?.moveId.equals(moveId)) return;
    await this.updateById(id, {
      $set: { status: OrganizationStatus.Active, statusChangedAt: new Date() },
      $unset: CLEAR_PENDING_MOVE,
    });
  }

  /** Removes the record only while it is in the given state. */
  async deleteInState(id: Types.ObjectId, status: OrganizationStatus): Promise<void> {
    const current = await this.findById(id);
    if (current?.status === status) await this.organizations.deleteOne({ _id: id }).exec();
  }

  private async transition(
    id: Types.ObjectId,
    from: OrganizationStatus,
    set: Partial<Organization>,
    unset?: typeof CLEAR_PENDING_RENAME | typeof CLEAR_PENDING_MOVE,
  ): Promise<Organization | null> {
    if ((await this.findById(id))?.status !== from) return null;
    return this.updateById(id, {
      $set: { ...set, statusChangedAt: new Date() },
      ...(unset ? { $unset: unset } : {}),
    });
  }

  private updateById(id: Types.ObjectId, update: UpdateQuery<Organization>) {
    return this.organizations
      .findOneAndUpdate({ _id: id }, update, { new: true })
      .lean<Organization>()
      .exec();
  }
}
