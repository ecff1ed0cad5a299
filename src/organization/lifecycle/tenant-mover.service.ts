import {
  ConflictException,
  HttpException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDatabaseUnavailable } from '../../common/database-unavailable';
import type { ValidatedEnvironment } from '../../config/environment';
import { Placement } from '../../tenant/placement';
import { TenantCollections } from '../../tenant/tenant-collections.service';
import { TenantConnectionService } from '../../tenant/tenant-connection.service';
import {
  type DestinationVersions,
  TenantDataCopier,
} from '../../tenant/tenant-data-copier.service';
import { sameLocation } from '../../tenant/tenant-location.schema';
import { DrainTimeoutError, TenantWriteGate } from '../../tenant/tenant-write-gate.service';
import { OperationLockRepository } from '../operation-lock.repository';
import { BUSY } from '../organization-conflicts';
import { OrganizationRepository } from '../organization.repository';
import { OrganizationStatus, type Organization } from '../schemas/organization.schema';
import { MoveState, type TenantMove } from '../schemas/tenant-move.schema';
import { TenantMoveRepository } from '../tenant-move.repository';
import { FailurePoints } from './failure-points';

/** A reader that bound the source just before the switch finishes its query within this. */
const READ_MARGIN_MS = 1_000;

/** Thrown when the move's operation lock was taken over: the move stops where it is. */
class LockLostError extends Error {}

/**
 * Moves an organization's data to another placement while it keeps serving. A lifecycle
 * operation like rename: it holds the organization's operation lock throughout, writes its
 * state first (the move record, then `pendingMove` on the organization), and every step is
 * safe to repeat, so the reconciler can resume a move a crash abandoned.
 *
 * 1. copy: every document goes to the destination in batches, then a first catch-up;
 *    writes continue at the source;
 * 2. mark: the organization becomes `moving`: new writes and reads wait, as for a rename;
 * 3. drain, then catch up: what changed since the copy reaches the destination;
 * 4. switch: the record points at the destination and is active again;
 * 5. drop the source, once readers that bound it before the switch are done.
 *
 * Until the switch the source is untouched, so a failed move leaves the organization
 * where it was with nothing lost; after it, the move can only go forward.
 */
@Injectable()
export class TenantMover {
  private readonly logger = new Logger(TenantMover.name);
  private readonly drainTimeoutMs: number;
  private readonly readGraceMs: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly moves: TenantMoveRepository,
    private readonly locks: OperationLockRepository,
    private readonly collections: TenantCollections,
    private readonly copier: TenantDataCopier,
    private readonly gate: TenantWriteGate,
    private readonly bindings: TenantConnectionService,
    private readonly failurePoints: FailurePoints,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    const leaseMs = config.get('LIFECYCLE_LEASE_MS', { infer: true });
    this.drainTimeoutMs = leaseMs / 2;
    this.heartbeatMs = Math.max(50, leaseMs / 4);
    this.readGraceMs = config.get('TENANT_BINDING_TTL_MS', { infer: true }) + READ_MARGIN_MS;
  }

  /**
   * Starts a move and returns its id at once; it runs on in this process. 409 while another
   * lifecycle operation (a rename, a delete, a move) holds the organization.
   */
  async start(
    organizationId: Types.ObjectId,
    placement: Placement,
    cluster?: string,
  ): Promise<Types.ObjectId> {
    const token = await this.locks.acquire(organizationId);
    if (!token) throw new ConflictException(BUSY);
    try {
      const organization = await this.organizations.findById(organizationId);
      if (!organization) throw new NotFoundException('No such organization');
      if (organization.status !== OrganizationStatus.Active || organization.pendingMove) {
        throw new ConflictException(BUSY);
      }
      if (
        (organization.placement ?? Placement.Shared) === placement &&
        organization.location.cluster === cluster
      ) {
        throw new ConflictException(
          `The organization is already in the ${placement} placement` +
            (cluster === undefined ? '' : ` on cluster ${cluster}`),
        );
      }
      const to = this.collections.locate(organizationId, organization.name, placement, cluster);
      const move = await this.moves.insert({
        organizationId,
        placement,
        from: organization.location,
        to,
      });
      if (
        !(await this.organizations.beginMove(organizationId, {
          moveId: move._id,
          placement,
          location: to,
        }))
      ) {
        await this.moves.update(move._id, { state: MoveState.Failed, error: BUSY });
        throw new ConflictException(BUSY);
      }
      this.failurePoints.reach('move:after-pending');
      void this.runHolding(move, token);
      return move._id;
    } catch (error) {
      await this.locks.release(organizationId, token);
      throw error;
    }
  }

  findMove(moveId: Types.ObjectId): Promise<TenantMove | null> {
    return this.moves.findById(moveId);
  }

  /** Takes over every move abandoned since before the cutoff; returns how many failed. */
  async resumeAbandoned(cutoff: Date): Promise<number> {
    let unresolved = 0;
    for (const move of await this.moves.findAbandoned(cutoff)) {
      const token = await this.locks.acquireAbandoned(move.organizationId, cutoff);
      if (!token) continue;
      this.logger.log({ organizationId: move.organizationId, moveId: move._id }, 'Resuming a move');
      if (!(await this.runHolding(move, token, { resumed: true }))) unresolved += 1;
    }
    return unresolved;
  }

  /** Runs the move to its end holding the lock, then releases it; false when it did not end. */
  private async runHolding(
    move: TenantMove,
    token: Types.ObjectId,
    { resumed } = { resumed: false },
  ): Promise<boolean> {
    const held = { lost: false };
    // However long a step takes, the lock and the move record stay fresh: nobody else may
    // take the move for abandoned while this process runs it.
    const heartbeat = setInterval(() => {
      void Promise.all([
        this.locks.renew(move.organizationId, token),
        this.moves.update(move._id, {}),
      ])
        .then(([renewed]) => {
          if (!renewed) held.lost = true;
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Move heartbeat failed'));
    }, this.heartbeatMs);
    try {
      await this.advance(move, held);
      return true;
    } catch (error) {
      // A crashed instance's writers count until its lease runs out: a resumed move waits
      // for the next pass rather than failing.
      if (resumed && error instanceof DrainTimeoutError) return false;
      await this.fail(move, error).catch((cleanup: unknown) =>
        this.logger.warn({ err: cleanup, moveId: move._id }, 'Move cleanup left to the reconciler'),
      );
      return false;
    } finally {
      clearInterval(heartbeat);
      await this.locks
        .release(move.organizationId, token)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, moveId: move._id }, 'Lock left to expire'),
        );
    }
  }

  /** Brings the move from whatever step it reached to its end. */
  private async advance(move: TenantMove, held: { lost: boolean }): Promise<void> {
    let organization = await this.organizations.findById(move.organizationId);
    if (organization && this.isOurs(organization, move)) {
      let destination: DestinationVersions | undefined;
      if (organization.status === OrganizationStatus.Active) {
        destination = await this.copy(move, held);
        this.failurePoints.reach('move:after-copy');
        organization = await this.organizations.markMoving(move.organizationId);
        this.failurePoints.reach('move:after-mark');
      }
      if (organization?.status === OrganizationStatus.Moving) {
        // Writes to this tenant wait from here to the switch: the timings say where.
        const paused = Date.now();
        await this.moves.update(move._id, { state: MoveState.Switching });
        await this.gate.drain(move.organizationId, this.drainTimeoutMs);
        const drained = Date.now();
        const { changed } = await this.copier.catchUp(move.from, move.to, destination);
        const caughtUp = Date.now();
        this.failurePoints.reach('move:after-catch-up');
        organization = await this.organizations.completeMove(
          move.organizationId,
          organization.pendingMove!,
        );
        this.bindings.invalidate(move.organizationId);
        this.logger.log(
          {
            moveId: move._id,
            changed,
            drainMs: drained - paused,
            catchUpMs: caughtUp - drained,
            pauseMs: Date.now() - paused,
          },
          'Switched a tenant to its new placement',
        );
        this.failurePoints.reach('move:after-switch');
      }
    }
    if (!organization || !sameLocation(organization.location, move.to)) {
      throw new Error('the organization is no longer the subject of this move');
    }
    // Readers that bound the source before the switch still read it for up to the TTL.
    await sleep(this.readGraceMs);
    await this.collections.dropLocation(move.from);
    this.failurePoints.reach('move:after-drop');
    await this.moves.update(move._id, { state: MoveState.Done });
  }

  private async copy(move: TenantMove, held: { lost: boolean }): Promise<DestinationVersions> {
    const total = await this.collections.count(move.from);
    await this.moves.update(move._id, { state: MoveState.Copying, copied: 0, total });
    await this.copier.copy(move.from, move.to, async (copied) => {
      if (held.lost) throw new LockLostError();
      await this.moves.update(move._id, { copied, total: Math.max(total, copied) });
    });
    // A first catch-up while writes go on: the one in the pause then only reads the
    // source and writes what changed since.
    const { destination } = await this.copier.catchUp(move.from, move.to);
    if (held.lost) throw new LockLostError();
    return destination;
  }

  private isOurs(organization: Organization, move: TenantMove): boolean {
    return organization.pendingMove?.moveId.equals(move._id) ?? false;
  }

  /**
   * Before the switch: the organization goes back to its source, active, and whatever
   * reached the destination is dropped. After it: the move is left for the reconciler to
   * finish (only the source's drop remains).
   */
  private async fail(move: TenantMove, error: unknown): Promise<void> {
    if (error instanceof LockLostError) return;
    const organization = await this.organizations.findById(move.organizationId);
    if (organization && sameLocation(organization.location, move.to)) {
      this.logger.warn(
        { err: error, moveId: move._id },
        'Dropping the source after a switch failed',
      );
      return;
    }
    this.logger.warn(
      { err: error, moveId: move._id },
      'Move failed; the organization stays at its source',
    );
    await this.organizations.abortMove(move.organizationId, move._id);
    this.bindings.invalidate(move.organizationId);
    await this.collections.dropLocation(move.to);
    await this.moves.update(move._id, { state: MoveState.Failed, error: describeFailure(error) });
  }
}

/** Words safe to show an operator: never a driver message, which may name hosts. */
function describeFailure(error: unknown): string {
  if (error instanceof DrainTimeoutError)
    return 'Writes to the organization did not finish in time';
  if (isDatabaseUnavailable(error)) return 'A database of the move was unavailable';
  if (error instanceof HttpException) return error.message;
  return 'The move failed; see the service log';
}
