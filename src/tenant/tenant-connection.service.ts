import { Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import { Connection, Model, mongo, Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import type { ValidatedEnvironment } from '../config/environment';
import { OrganizationRepository } from '../organization/organization.repository';
import { OrganizationStatus } from '../organization/schemas/organization.schema';
import type { TenantLocation } from './tenant-location.schema';
import { TenantRecordSchema, type TenantRecord } from './tenant-record.schema';

const TENANT_COLLECTION_PREFIX = 'org_';
/** How long a request waits for a rename or delete under way before answering 503. */
const BUSY_WAIT_MS = 3_000;
const BUSY_POLL_MS = 100;
/** Time allowed to a write between its binding check and the server applying it. */
const WRITE_GRACE_MS = 2_000;

interface Binding {
  location: TenantLocation;
  model: Model<TenantRecord>;
  verifiedAt: number;
}

/**
 * Owns every tenant collection: where an organization's data lives, the Mongoose model
 * bound to it for each request, and the collection steps of its lifecycle. The
 * organization always comes from the caller's token (its immutable id), never from a
 * name in the request; collection names come only from validated organization names.
 *
 * A binding is trusted for TENANT_BINDING_TTL_MS, then checked against the master record.
 * A rename or delete first marks the record, then waits `fenceMs` (twice that TTL, plus a
 * grace for writes slowed down on their way to the server) before
 * it moves or drops the collection: by then every instance has either finished a write
 * it began under the old binding or re-read the record and seen the change.
 */
@Injectable()
export class TenantConnectionService {
  private readonly tenantDatabase: string;
  private readonly ttlMs: number;
  private readonly bindings: LRUCache<string, Binding>;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly organizations: OrganizationRepository,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.tenantDatabase = config.get('TENANT_DB_NAME', { infer: true });
    this.ttlMs = config.get('TENANT_BINDING_TTL_MS', { infer: true });
    const max: number = config.get('TENANT_BINDING_CACHE_SIZE', { infer: true });
    this.bindings = new LRUCache<string, Binding>({
      max,
      dispose: (binding) => this.unbind(binding),
    });
  }

  private get fenceMs(): number {
    return 2 * this.ttlMs + WRITE_GRACE_MS;
  }

  locate(organizationName: string): TenantLocation {
    return {
      database: this.tenantDatabase,
      collectionName: `${TENANT_COLLECTION_PREFIX}${organizationName}`,
    };
  }

  /**
   * The model bound to the organization's collection, checked against the master record
   * when the cached binding is older than the TTL. While a rename or delete is under way
   * it waits briefly, then answers 503 (with Retry-After), never a wrong collection.
   */
  async modelFor(organizationId: string): Promise<Model<TenantRecord>> {
    const cached = this.bindings.get(organizationId);
    if (cached && Date.now() - cached.verifiedAt < this.ttlMs) return cached.model;

    const location = await this.currentLocation(organizationId);
    // Read again: a concurrent request may have re-bound this organization meanwhile.
    const current = this.bindings.get(organizationId);
    if (current && sameLocation(current.location, location)) {
      current.verifiedAt = Date.now();
      return current.model;
    }
    const model = this.bind(location);
    this.bindings.set(organizationId, { location, model, verifiedAt: Date.now() });
    return model;
  }

  /** Drops this process's binding at once; other processes notice within the TTL. */
  invalidate(organizationId: Types.ObjectId): void {
    this.bindings.delete(organizationId.toString());
  }

  /** Waits until no instance can still be writing under a binding made before now. */
  async fence(organizationId: Types.ObjectId): Promise<void> {
    this.invalidate(organizationId);
    await sleep(this.fenceMs);
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

  private async currentLocation(organizationId: string): Promise<TenantLocation> {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (;;) {
      const organization = await this.organizations.findById(new Types.ObjectId(organizationId));
      if (!organization) throw new NotFoundException('Your organization no longer exists');
      if (organization.status === OrganizationStatus.Active) return organization.location;
      if (Date.now() >= deadline) {
        throw new ServiceUnavailableException(
          `The organization is ${organization.status}; try again shortly`,
        );
      }
      await sleep(BUSY_POLL_MS);
    }
  }

  /** The collection's model, compiled once and shared by every binding to it. */
  private bind(location: TenantLocation): Model<TenantRecord> {
    const db = this.tenantDb(location.database);
    const name = `TenantRecord:${location.collectionName}`;
    return (
      (db.models[name] as Model<TenantRecord> | undefined) ??
      db.model<TenantRecord>(name, TenantRecordSchema, location.collectionName)
    );
  }

  /** Unregisters an evicted model, unless a newer binding already replaced it. */
  private unbind({ location, model }: Binding): void {
    const db = this.tenantDb(location.database);
    if (db.models[model.modelName] === model) db.deleteModel(model.modelName);
  }

  private tenantDb(database: string): Connection {
    return this.connection.useDb(database, { useCache: true });
  }

  private db(database: string): mongo.Db {
    return this.tenantDb(database).db!;
  }
}

function sameLocation(a: TenantLocation, b: TenantLocation): boolean {
  return a.database === b.database && a.collectionName === b.collectionName;
}
