import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, mongo } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import type { ValidatedEnvironment } from '../config/environment';
import type { TenantLocation } from './tenant-location.schema';

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
    return { database: this.tenantDatabase, collectionName: `org_${organizationName}` };
  }

  async createCollection(location: TenantLocation): Promise<void> {
    await this.database(location).createCollection(location.collectionName);
  }

  /** Moves data and indexes; never replaces an existing collection. */
  async renameCollection(from: TenantLocation, to: TenantLocation): Promise<void> {
    if (from.database !== to.database) {
      throw new Error('moving a tenant between databases is not supported');
    }
    await this.database(from).renameCollection(from.collectionName, to.collectionName, {
      dropTarget: false,
    });
  }

  /** Idempotent: a collection that is already gone is not an error. */
  async dropCollection(location: TenantLocation): Promise<void> {
    try {
      await this.database(location).dropCollection(location.collectionName);
    } catch (error) {
      if (!isMongoError(error, MongoErrorCode.NamespaceNotFound)) throw error;
    }
  }

  private database(location: TenantLocation): mongo.Db {
    return this.connection.useDb(location.database, { useCache: true }).db!;
  }
}
