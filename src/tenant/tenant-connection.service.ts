import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import type { ValidatedEnvironment } from '../config/environment';
import type { TenantLocation } from './tenant-location.schema';

const TENANT_COLLECTION_PREFIX = 'org_';

/**
 * Owns every tenant collection: where an organization's data lives and the collection
 * operations of its lifecycle. Collection names come only from validated organization
 * names, never from a request.
 */
@Injectable()
export class TenantConnectionService {
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
    const document = await this.db(location.database)
      .collection(location.collectionName)
      .findOne({}, { projection: { _id: 1 } });
    return document === null;
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
