import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import type { ValidatedEnvironment } from '../config/environment';
import type { TenantLocation } from './tenant-location.schema';

const TENANT_COLLECTION_PREFIX = 'org_';
const MOVE_BATCH = 500;

/**
 * The collection steps of an organization's lifecycle: where a name's collection lives,
 * and creating, renaming, dropping and inspecting it. Collection names come only from
 * validated organization names.
 */
@Injectable()
export class TenantCollections {
  private readonly tenantDatabase: string;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.tenantDatabase = config.get('TENANT_DB_NAME', { infer: true });
  }

  locate(organizationName: string): TenantLocation {
    return {
      database: this.tenantDatabase,
      collectionName: `${TENANT_COLLECTION_PREFIX}${organizationName}`,
    };
  }

  /** The driver's collection: tenant documents are the client's data, not Mongoose documents. */
  collection(location: TenantLocation): mongo.Collection {
    return this.db(location.database).collection(location.collectionName);
  }

  async createCollection(location: TenantLocation): Promise<void> {
    await this.db(location.database).createCollection(location.collectionName);
  }

  /** Moves data and indexes; never replaces an existing collection. */
  async renameCollection(from: TenantLocation, to: TenantLocation): Promise<void> {
    if (from.database !== to.database) {
      throw new Error('moving a tenant between databases is not supported');
    }
    await this.db(from.database).renameCollection(from.collectionName, to.collectionName, {
      dropTarget: false,
    });
  }

  /** Idempotent: a collection that is already gone is not an error. */
  async dropCollection(location: TenantLocation): Promise<void> {
    try {
      await this.db(location.database).dropCollection(location.collectionName);
    } catch (error) {
      if (!isMongoError(error, MongoErrorCode.NamespaceNotFound)) throw error;
    }
  }

  async collectionExists(location: TenantLocation): Promise<boolean> {
    const found = await this.db(location.database)
      .listCollections({ name: location.collectionName }, { nameOnly: true })
      .toArray();
    return found.length > 0;
  }

  async isEmpty(location: TenantLocation): Promise<boolean> {
    const document = await this.collection(location).findOne({}, { projection: { _id: 1 } });
    return document === null;
  }

  /**
   * Moves every document of `from` into `target` (keeping its `_id`), then drops `from`.
   * Safe to repeat: a document already copied is only removed from the source.
   */
  async moveDocuments(from: TenantLocation, target: mongo.Collection): Promise<number> {
    const source = this.collection(from);
    let moved = 0;
    for (;;) {
      const batch = await source.find({}, { limit: MOVE_BATCH }).toArray();
      if (batch.length === 0) break;
      await target.insertMany(batch, { ordered: false }).catch((error: unknown) => {
        if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
        const failures: mongo.WriteError[] = [error.writeErrors].flat();
        if (failures.some((failure) => failure.code !== Number(MongoErrorCode.DuplicateKey)))
          throw error;
      });
      await source.deleteMany({ _id: { $in: batch.map((document) => document._id) } });
      moved += batch.length;
    }
    await this.dropCollection(from);
    return moved;
  }

  /** Every tenant collection that exists in the tenant database. */
  async listCollections(): Promise<TenantLocation[]> {
    const collections = await this.db(this.tenantDatabase)
      .listCollections({}, { nameOnly: true })
      .toArray();
    return collections
      .map(({ name }) => name)
      .filter((name) => name.startsWith(TENANT_COLLECTION_PREFIX))
      .map((collectionName) => ({ database: this.tenantDatabase, collectionName }));
  }

  private db(database: string): mongo.Db {
    return this.connection.useDb(database, { useCache: true }).db!;
  }
}
