import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo, trusted, Types } from 'mongoose';
import type { ValidatedEnvironment } from '../config/environment';
import type { AuditAction } from './audit-action';
import { AuditEntry } from './schemas/audit-entry.schema';

const SECONDS_PER_DAY = 86_400;
const MS_PER_SECOND = 1000;
/** FerretDB 1.x refuses `expireAfterSeconds` with this. */
const NOT_IMPLEMENTED = 238;
const INDEX_OPTIONS_CONFLICT = 85;
const TTL_INDEX = 'at_1';

export type NewAuditEntry = Omit<AuditEntry, '_id'>;

export interface AuditPageRequest {
  organizationId: Types.ObjectId;
  limit: number;
  /** Entries older than this one (the previous page's cursor). */
  before?: Types.ObjectId;
  action?: AuditAction;
}

/** The `audit_entries` collection: appended to, read a page at a time, swept of old entries. */
@Injectable()
export class AuditRepository implements OnModuleInit {
  private readonly retentionSeconds: number;

  constructor(
    @InjectModel(AuditEntry.name) private readonly entries: Model<AuditEntry>,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.retentionSeconds = config.get('AUDIT_RETENTION_DAYS', { infer: true }) * SECONDS_PER_DAY;
  }

  async onModuleInit(): Promise<void> {
    await this.entries.createIndexes();
    await this.ensureTtlIndex();
  }

  async insert(entry: NewAuditEntry): Promise<void> {
    await this.entries.create(entry);
  }

  /** One more than `limit`, newest first, so the caller knows whether a page follows. */
  page({ organizationId, limit, before, action }: AuditPageRequest): Promise<AuditEntry[]> {
    return this.entries
      .find({
        organizationId,
        ...(action ? { action } : {}),
        ...(before ? { _id: trusted({ $lt: before }) } : {}),
      })
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean<AuditEntry[]>()
      .exec();
  }

  /**
   * Entries past AUDIT_RETENTION_DAYS: for the reconciler's sweep. On MongoDB the TTL index
   * deletes them too; on FerretDB, which has none, this is what keeps retention.
   */
  async deleteExpired(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - this.retentionSeconds * MS_PER_SECOND);
    await this.entries.deleteMany({ at: trusted({ $lte: cutoff }) }).exec();
  }

  /**
   * A TTL index on `at`. A changed AUDIT_RETENTION_DAYS updates it in place (collMod);
   * FerretDB refuses TTL options, so there it is a plain index for the sweep.
   */
  private async ensureTtlIndex(): Promise<void> {
    const expireAfterSeconds = this.retentionSeconds;
    try {
      await this.entries.collection.createIndex({ at: 1 }, { name: TTL_INDEX, expireAfterSeconds });
    } catch (error) {
      if (!(error instanceof mongo.MongoServerError)) throw error;
      if (error.code === NOT_IMPLEMENTED) {
        await this.entries.collection.createIndex({ at: 1 }, { name: TTL_INDEX });
      } else if (error.code === INDEX_OPTIONS_CONFLICT) {
        await this.entries.db.db!.command({
          collMod: this.entries.collection.collectionName,
          index: { name: TTL_INDEX, expireAfterSeconds },
        });
      } else {
        throw error;
      }
    }
  }
}
