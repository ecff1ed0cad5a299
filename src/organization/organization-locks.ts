import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import { OperationLockRepository } from './operation-lock.repository';
import { BUSY } from './organization-conflicts';

const RETRY_EVERY_MS = 50;

/**
 * Runs one change of an organization at a time, across instances, holding its
 * `organization_locks` entry: lifecycle operations, and member changes that must see a
 * stable member list (the last-owner rule) or a live organization (an acceptance).
 */
@Injectable()
export class OrganizationLocks {
  private readonly logger = new Logger(OrganizationLocks.name);

  constructor(private readonly locks: OperationLockRepository) {}

  /** Waits up to `waitMs` for the lock, then answers 409; releases it however `work` ends. */
  async run<T>(organizationId: Types.ObjectId, work: () => Promise<T>, waitMs = 0): Promise<T> {
    const deadline = Date.now() + waitMs;
    let token = await this.locks.acquire(organizationId);
    while (!token && Date.now() < deadline) {
      await sleep(RETRY_EVERY_MS);
      token = await this.locks.acquire(organizationId);
    }
    if (!token) throw new ConflictException(BUSY);
    try {
      return await work();
    } finally {
      // After a failed step the record keeps its state; the reconciler takes it from there.
      await this.locks
        .release(organizationId, token)
        .catch((error: unknown) =>
          this.logger.warn({ err: error, organizationId }, 'Lock left to expire'),
        );
    }
  }
}
