import {
  ConflictException,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Types } from 'mongoose';
import type { Counter } from 'prom-client';
import { AdminRepository } from '../../auth/admin.repository';
import { EmailClaimRepository } from '../../auth/email-claim.repository';
import { Role } from '../../auth/role';
import { SessionRepository } from '../../auth/session.repository';
import { InvitationRepository } from '../../members/invitation.repository';
import { isMongoError, MongoErrorCode } from '../../common/mongo-errors';
import type { ValidatedEnvironment } from '../../config/environment';
import { Placement } from '../../tenant/placement';
import { drainTimeoutMs } from '../../config/lifecycle-timing';
import { LIFECYCLE_OPERATIONS } from '../../metrics/metric-definitions';
import { TenantCollections } from '../../tenant/tenant-collections.service';
import { TenantConnectionService } from '../../tenant/tenant-connection.service';
import { sameLocation, type TenantLocation } from '../../tenant/tenant-location.schema';
import { DrainTimeoutError, TenantWriteGate } from '../../tenant/tenant-write-gate.service';
import { NameClaimRepository } from '../name-claim.repository';
import { OperationLockRepository } from '../operation-lock.repository';
import { OrganizationLocks } from '../organization-locks';
import { BUSY, emailTaken, nameTaken, rethrowDuplicateAs } from '../organization-conflicts';
import { OrganizationRepository } from '../organization.repository';
import { RetiredLocationRepository } from '../retired-location.repository';
import { Organization, OrganizationStatus } from '../schemas/organization.schema';
import { RetiredLocationFate } from '../schemas/retired-location.schema';
import { FailurePoints } from './failure-points';

export interface NewOrganizationRequest {
  name: string;
  email: string;
  passwordHash: string;
}

/** How long moving a retired collection's late documents may wait for their organization. */
const LEFTOVER_WAIT_MS = 10_000;
const WRITES_STILL_RUNNING = 'Writes to the organization are still running; try again shortly';

type OperationKind = 'create' | 'rename' | 'delete';

/** An operation's outcome as the metric names it: refused is a 4xx, unavailable a 503. */
function outcomeOf(error: unknown): string {
  if (!(error instanceof HttpException)) return 'failed';
  if (error.getStatus() === (HttpStatus.SERVICE_UNAVAILABLE as number)) return 'unavailable';
  return error.getStatus() < 500 ? 'refused' : 'failed';
}

/**
 * Create, rename and delete, each a fixed sequence of steps that are safe to repeat.
 * The record's state is written before every collection step, so whatever a crash
 * interrupts, `resume` can bring it to an end: a create is rolled back (nobody was told
 * it exists), a rename or a delete is finished (the record already says so). Before a
 * collection is moved or dropped, TenantWriteGate drains every write still under way.
 */
@Injectable()
export class OrganizationLifecycle {
  private readonly logger = new Logger(OrganizationLifecycle.name);

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly claims: NameClaimRepository,
    private readonly admins: AdminRepository,
    private readonly collections: TenantCollections,
    private readonly gate: TenantWriteGate,
    private readonly bindings: TenantConnectionService,
    private readonly emails: EmailClaimRepository,
    private readonly locks: OperationLockRepository,
    private readonly organizationLocks: OrganizationLocks,
    private readonly retired: RetiredLocationRepository,
    private readonly invitations: InvitationRepository,
    private readonly sessions: SessionRepository,
    private readonly failurePoints: FailurePoints,
    config: ConfigService<ValidatedEnvironment, true>,
    @InjectMetric(LIFECYCLE_OPERATIONS) private readonly operations: Counter<'kind' | 'outcome'>,
  ) {
    // A live operation gives up on slow writers well before the reconciler may take it over.
    this.drainTimeoutMs = drainTimeoutMs(config.get('LIFECYCLE_LEASE_MS', { infer: true }));
    this.defaultPlacement = config.get('DEFAULT_PLACEMENT', { infer: true });
  }

  private readonly drainTimeoutMs: number;
  private readonly defaultPlacement: Placement;

  create({ name, email, passwordHash }: NewOrganizationRequest): Promise<Organization> {
    return this.counted('create', async () => {
      const id = new Types.ObjectId();
      const adminId = new Types.ObjectId();
      await this.claims.claim(name, id).catch(rethrowDuplicateAs(nameTaken(name)));
      this.failurePoints.reach('create:after-claim');
      return this.organizationLocks.run(id, () =>
        this.createClaimed(id, adminId, { name, email, passwordHash }),
      );
    });
  }

  private async createClaimed(
    id: Types.ObjectId,
    adminId: Types.ObjectId,
    { name, email, passwordHash }: NewOrganizationRequest,
  ): Promise<Organization> {
    const placement = this.defaultPlacement;
    const location = this.collections.locate(id, name, placement);
    let organization: Organization | null = null;
    try {
      await this.reclaim(location);
      organization = await this.organizations.insert({
        _id: id,
        name,
        location,
        placement,
        adminId,
      });
      this.failurePoints.reach('create:after-record');
      await this.emails.claim(email, adminId, id);
      this.failurePoints.reach('create:after-email-claim');
      await this.admins.insert({
        _id: adminId,
        email,
        passwordHash,
        organizationId: id,
        role: Role.Owner,
      });
      this.failurePoints.reach('create:after-admin');
      await this.collections.createCollection(location);
      this.failurePoints.reach('create:after-collection');
      const active = await this.organizations.markActive(id);
      if (!active) {
        throw new ServiceUnavailableException('Creating the organization took too long; try again');
      }
      return active;
    } catch (error) {
      await this.rollBackCreate(organization ?? { _id: id, name, location }).catch(
        (cleanup: unknown) =>
          this.logger.warn(
            { err: cleanup, organizationId: id },
            'Create rollback left to the reconciler',
          ),
      );
      if (isMongoError(error, MongoErrorCode.DuplicateKey)) throw emailTaken();
      if (isMongoError(error, MongoErrorCode.NamespaceExists)) throw nameTaken(name);
      throw error;
    }
  }

  /** Claims the new name, marks the record, then moves the collection. */
  rename(organizationId: Types.ObjectId, newName: string): Promise<Organization> {
    return this.counted('rename', () => this.renameLocked(organizationId, newName));
  }

  private renameLocked(organizationId: Types.ObjectId, newName: string): Promise<Organization> {
    return this.organizationLocks.run(organizationId, async () => {
      const organization = await this.activeOrganization(organizationId);
      if (organization.name === newName) return organization;
      const to = {
        name: newName,
        location: this.collections.renamed(organization.location, newName),
      };
      await this.claims
        .claim(newName, organizationId)
        .catch(rethrowDuplicateAs(nameTaken(newName)));
      this.failurePoints.reach('rename:after-claim');
      await this.reclaim(to.location).catch(async (error: unknown) => {
        await this.claims.release(newName, organizationId);
        throw error;
      });
      const renaming = (await this.organizations.beginRename(organizationId, to))!;
      this.failurePoints.reach('rename:after-mark');
      await this.drainOrUndo(organizationId, async () => {
        await this.organizations.abortRename(organizationId);
        await this.claims.release(newName, organizationId);
      });
      if (await this.targetHoldsData(renaming)) {
        await this.organizations.abortRename(organizationId);
        await this.claims.release(newName, organizationId);
        throw nameTaken(newName);
      }
      return this.finishRename(renaming);
    });
  }

  /** Marks the record, then drops the collection and removes the admins and the record. */
  delete(organizationId: Types.ObjectId): Promise<void> {
    return this.counted('delete', () =>
      this.organizationLocks.run(organizationId, async () => {
        await this.activeOrganization(organizationId);
        const deleting = await this.organizations.markDeleting(organizationId);
        this.failurePoints.reach('delete:after-mark');
        await this.drainOrUndo(organizationId, async () => {
          await this.organizations.abortDelete(organizationId);
        });
        await this.finishDelete(deleting!);
      }),
    );
  }

  /**
   * Brings a record abandoned in an intermediate state since before the cutoff to a
   * resting one. Returns false when a live operation holds it.
   */
  async resume(organizationId: Types.ObjectId, cutoff: Date): Promise<boolean> {
    const token = await this.locks.acquireAbandoned(organizationId, cutoff);
    if (!token) return false;
    try {
      const organization = await this.organizations.findById(organizationId);
      if (organization) await this.resumeLocked(organization);
      return true;
    } finally {
      await this.locks.release(organizationId, token);
    }
  }

  private async resumeLocked(organization: Organization): Promise<void> {
    switch (organization.status) {
      case OrganizationStatus.Creating:
        return this.rollBackCreate(organization);
      case OrganizationStatus.Renaming:
        await this.gate.drain(organization._id, this.drainTimeoutMs);
        await this.finishRename(organization);
        return;
      case OrganizationStatus.Deleting:
        await this.gate.drain(organization._id, this.drainTimeoutMs);
        return this.finishDelete(organization);
      case OrganizationStatus.Active:
      case OrganizationStatus.Moving: // TenantMover resumes moves from their own record.
        return;
    }
  }

  /**
   * A collection made by this create is still empty (no request reaches an organization
   * being created); one that holds documents was there before, and is never dropped.
   */
  private async rollBackCreate(
    organization: Pick<Organization, '_id' | 'name' | 'location'>,
  ): Promise<void> {
    if (await this.collections.isEmpty(organization.location)) {
      await this.collections.dropLocation(organization.location);
    }
    await this.admins.deleteByOrganization(organization._id);
    await this.emails.releaseByOrganization(organization._id);
    await this.organizations.deleteInState(organization._id, OrganizationStatus.Creating);
    await this.claims.release(organization.name, organization._id);
  }

  private async finishRename(organization: Organization): Promise<Organization> {
    const to = organization.pendingRename!;
    const [sourceExists, targetExists] = await Promise.all([
      this.collections.collectionExists(organization.location),
      this.collections.collectionExists(to.location),
    ]);
    if (sourceExists && targetExists) {
      // `rename` checked the target was empty; an empty one may have been made since by a
      // stray insert and is safe to drop. Documents there are never dropped or merged.
      if (!(await this.collections.isEmpty(to.location))) {
        throw new Error(
          `both ${organization.location.collectionName} and ${to.location.collectionName} hold documents`,
        );
      }
      await this.collections.dropCollection(to.location);
    }
    if (sourceExists) {
      await this.collections.renameCollection(organization.location, to.location);
    } else if (!targetExists) {
      this.logger.warn(
        { organizationId: organization._id },
        'Neither collection of a rename exists; creating the target',
      );
      await this.collections.createCollection(to.location);
    }
    await this.retired.retire(organization.location, organization._id, RetiredLocationFate.Renamed);
    this.failurePoints.reach('rename:after-collection');

    const renamed =
      (await this.organizations.completeRename(organization._id, to)) ??
      (await this.organizations.findById(organization._id));
    this.bindings.invalidate(organization._id);
    this.failurePoints.reach('rename:after-record');
    await this.claims.release(organization.name, organization._id);
    return renamed!;
  }

  private async finishDelete(organization: Organization): Promise<void> {
    await this.retired.retire(organization.location, organization._id, RetiredLocationFate.Deleted);
    await this.collections.dropLocation(organization.location);
    this.failurePoints.reach('delete:after-drop');
    await this.admins.deleteByOrganization(organization._id);
    this.failurePoints.reach('delete:after-admins');
    await this.emails.releaseByOrganization(organization._id);
    this.failurePoints.reach('delete:after-email-claims');
    await this.invitations.deleteByOrganization(organization._id);
    await this.sessions.deleteByOrganization(organization._id);
    await this.organizations.deleteInState(organization._id, OrganizationStatus.Deleting);
    this.failurePoints.reach('delete:after-record');
    await this.claims.release(organization.name, organization._id);
  }

  private async counted<T>(kind: OperationKind, operation: () => Promise<T>): Promise<T> {
    try {
      const result = await operation();
      this.operations.inc({ kind, outcome: 'completed' });
      return result;
    } catch (error) {
      this.operations.inc({ kind, outcome: outcomeOf(error) });
      throw error;
    }
  }

  private async activeOrganization(organizationId: Types.ObjectId): Promise<Organization> {
    const organization = await this.organizations.findById(organizationId);
    if (!organization) throw new NotFoundException('Your organization no longer exists');
    if (organization.status !== OrganizationStatus.Active || organization.pendingMove) {
      throw new ConflictException(BUSY);
    }
    return organization;
  }

  /** A rename never merges into, or replaces, a collection that holds documents. */
  private async targetHoldsData(organization: Organization): Promise<boolean> {
    const target = organization.pendingRename!.location;
    return (
      (await this.collections.collectionExists(target)) && !(await this.collections.isEmpty(target))
    );
  }

  /**
   * Settles a collection that an earlier rename or delete retired (late writes can bring
   * one back): its documents go to their organization's current collection, or are
   * dropped when they belong to nobody. Returns false when nothing was retired there.
   */
  async settleRetired(location: TenantLocation): Promise<boolean> {
    const retired = await this.retired.find(location);
    if (!retired) return false;
    if (!(await this.collections.collectionExists(location))) return true;
    const owner =
      retired.fate === RetiredLocationFate.Renamed
        ? await this.organizations.findById(retired.organizationId)
        : null;
    if (owner && !sameLocation(owner.location, location)) {
      const moved = await this.gate.write(
        owner._id.toString(),
        (target) => this.collections.moveDocuments(location, target),
        LEFTOVER_WAIT_MS,
      );
      this.logger.warn(
        { organizationId: owner._id, collection: location.collectionName, moved },
        'Moved late writes from a renamed collection to its organization',
      );
    } else {
      await this.collections.dropCollection(location);
      this.logger.warn(
        { collection: location.collectionName },
        "Dropped a deleted organization's collection brought back by late writes",
      );
    }
    return true;
  }

  /** Before a name's collection is used again, whatever was retired there is settled. */
  private async reclaim(location: TenantLocation): Promise<void> {
    if (await this.settleRetired(location)) await this.retired.forget(location);
  }

  /**
   * Waits for every write under way to finish. When they do not finish in time the
   * operation is undone and answered 503, rather than moving a collection still written to.
   */
  private async drainOrUndo(
    organizationId: Types.ObjectId,
    undo: () => Promise<void>,
  ): Promise<void> {
    try {
      await this.gate.drain(organizationId, this.drainTimeoutMs);
    } catch (error) {
      if (!(error instanceof DrainTimeoutError)) throw error;
      this.logger.warn({ organizationId, reason: error.message }, 'Lifecycle step undone');
      await undo();
      throw new ServiceUnavailableException(WRITES_STILL_RUNNING);
    }
  }
}
