import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AuditRepository } from '../../audit/audit.repository';
import { EmailClaimReconciler } from '../../auth/email-claim-reconciler';
import { SessionRepository } from '../../auth/session.repository';
import type { ValidatedEnvironment } from '../../config/environment';
import { RECONCILER_PASSES, RECONCILER_REPAIRS } from '../../metrics/metric-definitions';
import { TenantCollections } from '../../tenant/tenant-collections.service';
import { TenantWriteGate } from '../../tenant/tenant-write-gate.service';
import { NameClaimRepository } from '../name-claim.repository';
import { OperationLockRepository } from '../operation-lock.repository';
import { OrganizationRepository } from '../organization.repository';
import { OrganizationLifecycle } from './organization-lifecycle.service';
import { TenantMover } from './tenant-mover.service';

const FULL_SCAN_INTERVAL_MS = 10 * 60_000;

export interface ReconcilerHealth {
  /** When the last pass finished without error; undefined before the first one. */
  lastSuccessAt?: Date;
  /** Organizations the last pass could not bring to a resting state. */
  unresolved: number;
}

/**
 * Runs at start-up and then periodically: finishes or undoes every lifecycle operation
 * (moves included) abandoned for longer than the lease (a crash, a lost connection), releases name claims
 * that no record holds, settles collections that late writes brought back after a rename
 * or delete, and drops empty tenant collections that no record points at.
 */
@Injectable()
export class OrganizationReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OrganizationReconciler.name);
  private readonly leaseMs: number;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private health: ReconcilerHealth = { unresolved: 0 };
  /** Claims created before this were checked by an earlier pass. */
  private claimsCheckedBefore?: Date;
  private lastFullScanAt = 0;

  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly claims: NameClaimRepository,
    private readonly collections: TenantCollections,
    private readonly gate: TenantWriteGate,
    private readonly lifecycle: OrganizationLifecycle,
    private readonly mover: TenantMover,
    private readonly locks: OperationLockRepository,
    private readonly emailClaims: EmailClaimReconciler,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    config: ConfigService<ValidatedEnvironment, true>,
    @InjectMetric(RECONCILER_PASSES) private readonly passes: Counter<'outcome'>,
    @InjectMetric(RECONCILER_REPAIRS) private readonly repairs: Counter<'kind'>,
  ) {
    this.leaseMs = config.get('LIFECYCLE_LEASE_MS', { infer: true });
    this.intervalMs = config.get('RECONCILE_INTERVAL_MS', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  getHealth(): ReconcilerHealth {
    return { ...this.health };
  }

  /** One pass; a pass already under way is joined rather than doubled. */
  runOnce(): Promise<void> {
    this.running ??= this.pass()
      .then((unresolved) => {
        this.health = { lastSuccessAt: new Date(), unresolved };
        this.passes.inc({ outcome: 'completed' });
      })
      .catch((error: unknown) => {
        this.passes.inc({ outcome: 'failed' });
        this.logger.warn({ err: error }, 'Reconciler pass failed');
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /**
   * The start-up pass, and one every FULL_SCAN_INTERVAL_MS, read every claim and every
   * tenant collection; the passes between read only the claims that came of age since the
   * last one, so a pass stays cheap however many organizations there are.
   */
  private async pass(): Promise<number> {
    const now = Date.now();
    const cutoff = new Date(now - this.leaseMs);
    const full = now - this.lastFullScanAt >= FULL_SCAN_INTERVAL_MS;
    const unresolved =
      (await this.resumeAbandoned(cutoff)) + (await this.mover.resumeAbandoned(cutoff));
    await this.locks.releaseAbandoned(cutoff);
    await this.releaseOrphanClaims(full ? undefined : this.claimsCheckedBefore, cutoff);
    await this.emailClaims.reconcile(full ? undefined : this.claimsCheckedBefore, cutoff);
    if (full) {
      await this.dropOrphanCollections();
      await this.gate.removeDeadWriters();
    }
    await this.sessions.deleteExpired(new Date(now));
    await this.audit.deleteExpired(new Date(now));
    this.claimsCheckedBefore = cutoff;
    if (full) this.lastFullScanAt = now;
    return unresolved;
  }

  private async resumeAbandoned(cutoff: Date): Promise<number> {
    let unresolved = 0;
    for (const organization of await this.organizations.findAbandoned(cutoff)) {
      try {
        if (!(await this.lifecycle.resume(organization._id, cutoff))) continue;
        this.repairs.inc({ kind: `resumed_${organization.status}` });
        this.logger.log(
          { organizationId: organization._id, status: organization.status },
          'Resumed an abandoned lifecycle operation',
        );
      } catch (error) {
        unresolved += 1;
        this.logger.error(
          { err: error, organizationId: organization._id, status: organization.status },
          'Could not resume an abandoned lifecycle operation',
        );
      }
    }
    return unresolved;
  }

  /** A claim is held by its organization's current name or by the target of its rename. */
  private async releaseOrphanClaims(since: Date | undefined, cutoff: Date): Promise<void> {
    const claims = await this.claims.findCreatedBetween(since, cutoff);
    if (claims.length === 0) return;
    const holders = new Map(
      (await this.organizations.findByIds(claims.map((claim) => claim.organizationId))).map(
        (organization) => [organization._id.toString(), organization],
      ),
    );
    for (const claim of claims) {
      const holder = holders.get(claim.organizationId.toString());
      if (holder?.name === claim._id || holder?.pendingRename?.name === claim._id) continue;
      await this.claims.release(claim._id, claim.organizationId);
      this.repairs.inc({ kind: 'orphan_name_claim' });
      this.logger.log({ name: claim._id }, 'Released an orphan name claim');
    }
  }

  /**
   * Every record is written before its collection is created, so a collection that no
   * record points at is left over. One that a rename or delete retired is settled (its
   * documents moved to their organization, or dropped); any other empty one is dropped;
   * one with documents is kept and reported, since nothing acknowledged may be lost.
   */
  private async dropOrphanCollections(): Promise<void> {
    const existing = await this.collections.listCollections();
    if (existing.length === 0) return;
    const referenced = await this.organizations.referencedCollections(existing[0].database);
    for (const location of existing) {
      if (referenced.has(location.collectionName)) continue;
      if (await this.lifecycle.settleRetired(location)) {
        this.repairs.inc({ kind: 'retired_collection' });
        continue;
      }
      if (await this.collections.isEmpty(location)) {
        await this.collections.dropCollection(location);
        this.repairs.inc({ kind: 'orphan_collection' });
        this.logger.log(
          { collection: location.collectionName },
          'Dropped an empty orphan collection',
        );
      } else {
        this.logger.error(
          { collection: location.collectionName },
          'Orphan collection holds documents; kept',
        );
      }
    }
  }
}
