import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mongo, type Types } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import type { ValidatedEnvironment } from '../config/environment';
import { Placement } from './placement';
import { TenantClients } from './tenant-clients.service';
import type { TenantLocation } from './tenant-location.schema';

const TENANT_COLLECTION_PREFIX = 'org_';
const MOVE_BATCH = 500;

/**
 * The collection steps of an organization's lifecycle: where a name's collection lives,
 * and creating, renaming, dropping and inspecting it. Collection names come only from
 * validated organization names; database names from TENANT_DB_NAME and immutable ids.
 */
@Injectable()
export class TenantCollections {
  private readonly tenantDatabase: string;

  constructor(
    private readonly clients: TenantClients,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.tenantDatabase = config.get('TENANT_DB_NAME', { infer: true });
  }

  /**
   * `shared`: the name's collection in TENANT_DB_NAME. `database` and `cluster`: the same
   * collection in a database of the organization's own, named after its immutable id
   * (prefixed with TENANT_DB_NAME, so deployments sharing a server keep theirs apart).
   */
  locate(
    organizationId: Types.ObjectId,
    organizationName: string,
    placement: Placement,
    cluster?: string,
  ): TenantLocation {
    const database =
      placement === Placement.Shared
        ? this.tenantDatabase
        : `${this.tenantDatabase}_${organizationId.toString()}`;
    return {
      database,
      collectionName: collectionNameOf(organizationName),
      ...(placement === Placement.Cluster ? { cluster } : {}),
    };
  }

  /** A rename stays in the organization's database: only the collection name changes. */
  renamed(location: TenantLocation, organizationName: string): TenantLocation {
    return { ...location, collectionName: collectionNameOf(organizationName) };
  }

  /** The driver's collection: tenant documents are the client's data, not Mongoose documents. */
  async collection(location: TenantLocation): Promise<mongo.Collection> {
    return (await this.clients.db(location)).collection(location.collectionName);
  }

  async createCollection(location: TenantLocation): Promise<void> {
    await (await this.clients.db(location)).createCollection(location.collectionName);
  }

  /** Moves data and indexes; never replaces an existing collection. */
  async renameCollection(from: TenantLocation, to: TenantLocation): Promise<void> {
    if (from.database !== to.database || from.cluster !== to.cluster) {
      throw new Error('a rename never moves a tenant between databases');
    }
    await (
      await this.clients.db(from)
    ).renameCollection(from.collectionName, to.collectionName, {
      dropTarget: false,
    });
  }

  /** Idempotent: a collection that is already gone is not an error. */
  async dropCollection(location: TenantLocation): Promise<void> {
    try {
      await (await this.clients.db(location)).dropCollection(location.collectionName);
    } catch (error) {
      if (!isMongoError(error, MongoErrorCode.NamespaceNotFound)) throw error;
    }
  }

  /**
   * Drops the collection and, when the organization has a database of its own, that
   * database with it. Idempotent.
   */
  async dropLocation(location: TenantLocation): Promise<void> {
    await this.dropCollection(location);
    if (this.isOwnDatabase(location)) await (await this.clients.db(location)).dropDatabase();
  }

  async collectionExists(location: TenantLocation): Promise<boolean> {
    const found = await (
      await this.clients.db(location)
    )
      .listCollections({ name: location.collectionName }, { nameOnly: true })
      .toArray();
    return found.length > 0;
  }

  async count(location: TenantLocation): Promise<number> {
    return (await this.collection(location)).countDocuments();
  }

  async isEmpty(location: TenantLocation): Promise<boolean> {
    const collection = await this.collection(location);
    return (await collection.findOne({}, { projection: { _id: 1 } })) === null;
  }

  /**
   * Moves every document of `from` into `target` (keeping its `_id`), then drops `from`.
   * Safe to repeat: a document already copied is only removed from the source.
   */
  async moveDocuments(from: TenantLocation, target: mongo.Collection): Promise<number> {
    const source = await this.collection(from);
    let moved = 0;
    for (;;) {
      const batch = await source.find({}, { limit: MOVE_BATCH }).toArray();
      if (batch.length === 0) break;
      await insertMissing(target, batch);
      await source.deleteMany({ _id: { $in: batch.map((document) => document._id) } });
      moved += batch.length;
    }
    await this.dropCollection(from);
    return moved;
  }

  /** Every tenant collection that exists in the shared tenant database. */
  async listCollections(): Promise<TenantLocation[]> {
    const shared: TenantLocation = { database: this.tenantDatabase, collectionName: '' };
    const collections = await (
      await this.clients.db(shared)
    )
      .listCollections({}, { nameOnly: true })
      .toArray();
    return collections
      .map(({ name }) => name)
      .filter((name) => name.startsWith(TENANT_COLLECTION_PREFIX))
      .map((collectionName) => ({ database: this.tenantDatabase, collectionName }));
  }

  private isOwnDatabase(location: TenantLocation): boolean {
    return location.database !== this.tenantDatabase || location.cluster !== undefined;
  }
}

function collectionNameOf(organizationName: string): string {
  return `${TENANT_COLLECTION_PREFIX}${organizationName}`;
}

/** Inserts the documents, skipping those whose `_id` the target already holds. */
export async function insertMissing(
  target: mongo.Collection,
  documents: mongo.Document[],
): Promise<void> {
  await target.insertMany(documents, { ordered: false }).catch((error: unknown) => {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const failures: mongo.WriteError[] = [error.writeErrors].flat();
    if (failures.some((failure) => failure.code !== Number(MongoErrorCode.DuplicateKey)))
      throw error;
  });
}
