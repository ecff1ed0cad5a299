import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { RECONCILER_REPAIRS } from '../metrics/metric-definitions';
import { AdminRepository } from './admin.repository';
import { EmailClaimRepository } from './email-claim.repository';

/**
 * Keeps `admin_emails` in step with `admins` after crashes: a claim is held while its admin's
 * email is the claimed one. Run by the organization reconciler on each pass.
 */
@Injectable()
export class EmailClaimReconciler {
  private readonly logger = new Logger(EmailClaimReconciler.name);

  constructor(
    private readonly claims: EmailClaimRepository,
    private readonly admins: AdminRepository,
    @InjectMetric(RECONCILER_REPAIRS) private readonly repairs: Counter<'kind'>,
  ) {}

  /**
   * Releases the claims created between `since` and `cutoff` that no admin holds (a crash
   * inside a create, a delete or an email change). A full pass (`since` undefined) also
   * claims the email of any admin without a claim, such as admins stored before claims.
   */
  async reconcile(since: Date | undefined, cutoff: Date): Promise<void> {
    await this.releaseOrphans(since, cutoff);
    if (since === undefined) await this.claimUnclaimed();
  }

  private async releaseOrphans(since: Date | undefined, cutoff: Date): Promise<void> {
    const claims = await this.claims.findCreatedBetween(since, cutoff);
    if (claims.length === 0) return;
    const holders = new Map(
      (await this.admins.findByIds(claims.map((claim) => claim.adminId))).map((admin) => [
        admin._id.toString(),
        admin.email,
      ]),
    );
    for (const claim of claims) {
      if (holders.get(claim.adminId.toString()) === claim._id) continue;
      await this.claims.release(claim._id, claim.adminId);
      this.repairs.inc({ kind: 'orphan_email_claim' });
      this.logger.log({ adminId: claim.adminId }, 'Released an orphan email claim');
    }
  }

  private async claimUnclaimed(): Promise<void> {
    const claimed = await this.claims.allEmails();
    for (const admin of await this.admins.listEmails()) {
      if (claimed.has(admin.email)) continue;
      await this.claims.claim(admin.email, admin._id, admin.organizationId).catch((error) => {
        if (!isMongoError(error, MongoErrorCode.DuplicateKey)) throw error;
      });
      this.repairs.inc({ kind: 'unclaimed_email' });
      this.logger.log({ adminId: admin._id }, 'Claimed the email of an admin without a claim');
    }
  }
}
