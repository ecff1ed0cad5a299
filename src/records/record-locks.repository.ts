import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { RetryLaterException } from '../common/retry-later.exception';
import { RecordLock } from './schemas/record-lock.schema';

const HOLD_MS = 10_000;
const WAIT_MS = 5_000;
const RETRY_MS = 5;

/** The `record_locks` collection: one writer at a time per record, across instances. */
@Injectable()
export class RecordLocks {
  constructor(@InjectModel(RecordLock.name) private readonly locks: Model<RecordLock>) {}

  /** Runs `change` holding the record's lock; 503 when it cannot be had in time. */
  async withLock<T>(
    organizationId: string,
    recordId: string,
    change: () => Promise<T>,
  ): Promise<T> {
    const _id = `${organizationId}:${recordId}`;
    const token = randomUUID();
    await this.acquire(_id, token);
    try {
      return await change();
    } finally {
      await this.locks.deleteOne({ _id, token }).exec();
    }
  }

  private async acquire(_id: string, token: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.locks.create({ _id, token, expiresAt: new Date(Date.now() + HOLD_MS) });
        return;
      } catch (error) {
        if (!isMongoError(error, MongoErrorCode.DuplicateKey)) throw error;
      }
      await this.locks.deleteOne({ _id, expiresAt: trusted({ $lt: new Date() }) }).exec();
      if (Date.now() >= deadline) {
        throw new RetryLaterException(
          HttpStatus.SERVICE_UNAVAILABLE,
          'The record is being changed by other requests; try again shortly',
          1,
        );
      }
      await sleep(RETRY_MS * (1 + Math.random()) * Math.min(attempt + 1, 8));
    }
  }
}
