import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { Model, Types } from 'mongoose';
import type { ValidatedEnvironment } from '../config/environment';
import { TenantClients } from './tenant-clients.service';
import { BUSY_WAIT_MS, TenantDirectory, waitUntilOpen } from './tenant-directory';
import { sameLocation, type TenantLocation } from './tenant-location.schema';
import { TenantRecordSchema, type TenantRecord } from './tenant-record.schema';

interface Binding {
  location: TenantLocation;
  model: Model<TenantRecord>;
  verifiedAt: number;
}

/**
 * Binds, for each request that reads tenant data, a Mongoose model to the caller's
 * organization's collection. The organization always comes from the caller's token (its
 * immutable id), never from a name in the request. A binding is trusted for
 * TENANT_BINDING_TTL_MS, then checked against the master record again. Writes go through
 * TenantWriteGate instead, which is what renames and deletes wait for.
 */
@Injectable()
export class TenantConnectionService {
  private readonly ttlMs: number;
  private readonly bindings: LRUCache<string, Binding>;

  constructor(
    private readonly clients: TenantClients,
    private readonly directory: TenantDirectory,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.ttlMs = config.get('TENANT_BINDING_TTL_MS', { infer: true });
    const max: number = config.get('TENANT_BINDING_CACHE_SIZE', { infer: true });
    this.bindings = new LRUCache<string, Binding>({
      max,
      dispose: (binding) => this.unbind(binding),
    });
  }

  /**
   * The model bound to the organization's collection, checked against the master record
   * when the cached binding is older than the TTL. While a rename or delete is under way
   * it waits briefly, then answers 503 (with Retry-After), never a wrong collection.
   */
  async modelFor(organizationId: string): Promise<Model<TenantRecord>> {
    const cached = this.bindings.get(organizationId);
    if (cached && Date.now() - cached.verifiedAt < this.ttlMs) return cached.model;

    const { location } = await waitUntilOpen(
      this.directory,
      new Types.ObjectId(organizationId),
      Date.now() + BUSY_WAIT_MS,
    );
    // Read again: a concurrent request may have re-bound this organization meanwhile.
    const current = this.bindings.get(organizationId);
    if (current && sameLocation(current.location, location)) {
      current.verifiedAt = Date.now();
      return current.model;
    }
    const model = await this.bind(location);
    this.bindings.set(organizationId, { location, model, verifiedAt: Date.now() });
    return model;
  }

  /** Drops this process's binding at once; other processes notice within the TTL. */
  invalidate(organizationId: Types.ObjectId): void {
    this.bindings.delete(organizationId.toString());
  }

  /** The collection's model, compiled once and shared by every binding to it. */
  private async bind(location: TenantLocation): Promise<Model<TenantRecord>> {
    const db = await this.clients.connection(location);
    const name = `TenantRecord:${location.collectionName}`;
    return (
      (db.models[name] as Model<TenantRecord> | undefined) ??
      db.model<TenantRecord>(name, TenantRecordSchema, location.collectionName)
    );
  }

  /** Unregisters an evicted model, unless a newer binding already replaced it. */
  private unbind({ model }: Binding): void {
    if (model.db.models[model.modelName] === model) model.db.deleteModel(model.modelName);
  }
}
