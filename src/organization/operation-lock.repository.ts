import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { OperationLock } from './schemas/operation-lock.schema';

/** The `organization_locks` collection: one lifecycle operation per organization at a time. */
@Injectable()
export class OperationLockRepository {
  constructor(@InjectModel(OperationLock.name) private readonly locks: Model<OperationLock>) {}

  /** Returns the holder's token, or null when someone else holds the lock. */
  async acquire(organizationId: Types.ObjectId): Promise<Types.ObjectId | null> {
    const token = new Types.ObjectId();
    try {
      await this.locks.create({ _id: organizationId, token, acquiredAt: new Date() });
      return token;
    } catch (error) {
      if (isMongoError(error, MongoErrorCode.DuplicateKey)) return null;
      throw error;
    }
  }

  /** Takes the lock, breaking it first when its holder has not released it since the cutoff. */
  async acquireAbandoned(
    organizationId: Types.ObjectId,
    cutoff: Date,
  ): Promise<Types.ObjectId | null> {
    await this.locks
      .deleteOne({ _id: organizationId, acquiredAt: trusted({ $lt: cutoff }) })
      .exec();
    return this.acquire(organizationId);
  }

  /** Keeps a long operation's lock from looking abandoned; false when it was lost. */
  async renew(organizationId: Types.ObjectId, token: Types.ObjectId): Promise<boolean> {
    const { matchedCount } = await this.locks
      .updateOne({ _id: organizationId, token }, { $set: { acquiredAt: new Date() } })
      .exec();
    return matchedCount === 1;
  }

  async release(organizationId: Types.ObjectId, token: Types.ObjectId): Promise<void> {
    await this.locks.deleteOne({ _id: organizationId, token }).exec();
  }

  /** Locks older than the cutoff: their holders crashed or lost the database. */
  async releaseAbandoned(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.locks
      .deleteMany({ acquiredAt: trusted({ $lt: cutoff }) })
      .exec();
    return deletedCount;
  }
}
