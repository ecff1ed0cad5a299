import { HttpStatus, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RetryLaterException } from '../common/retry-later.exception';
import type { ValidatedEnvironment } from '../config/environment';

const RETRY_AFTER_SECONDS = 2;

/**
 * How many imports and bulk writes run at once, per organization and in all, in this
 * process. Each holds at most one batch in memory, so these limits bound the memory they
 * use, and one organization cannot take every slot from the others.
 */
@Injectable()
export class BulkWriteAdmission {
  private readonly perOrganization: number;
  private readonly total: number;
  private readonly running = new Map<string, number>();
  private runningTotal = 0;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    this.perOrganization = config.get('BULK_WRITES_PER_ORGANIZATION', { infer: true });
    this.total = config.get('BULK_WRITES_TOTAL', { infer: true });
  }

  /** Runs `work` in a slot of the organization's; 429 or 503 when there is none. */
  async run<T>(organizationId: string, work: () => Promise<T>): Promise<T> {
    const release = this.admit(organizationId);
    try {
      return await work();
    } finally {
      release();
    }
  }

  private admit(organizationId: string): () => void {
    const running = this.running.get(organizationId) ?? 0;
    if (running >= this.perOrganization) {
      throw new RetryLaterException(
        HttpStatus.TOO_MANY_REQUESTS,
        `At most ${this.perOrganization} imports or bulk writes per organization run at once; try again shortly`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (this.runningTotal >= this.total) {
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The service is busy with other imports; try again shortly',
        RETRY_AFTER_SECONDS,
      );
    }
    this.running.set(organizationId, running + 1);
    this.runningTotal += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.runningTotal -= 1;
      const left = (this.running.get(organizationId) ?? 1) - 1;
      if (left === 0) this.running.delete(organizationId);
      else this.running.set(organizationId, left);
    };
  }
}
