import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { LRUCache } from 'lru-cache';
import { type Connection, Model, Types } from 'mongoose';
import type { Counter } from 'prom-client';
import type { ValidatedEnvironment } from '../config/environment';
import { TENANT_BINDING_EVICTIONS, TENANT_BINDING_LOOKUPS } from '../metrics/metric-definitions';
import { TenantClients } from './tenant-clients.service';
import { BUSY_WAIT_MS, TenantDirectory, waitUntilOpen } from './tenant-directory';
import { sameLocation, type TenantLocation } from './tenant-location.schema';
import { TenantRecordSchema, type TenantRecord } from './tenant-record.schema';

/** Why the cache let a binding go, as the evictions metric names it. */
const EVICTION_REASONS: Partial<Record<LRUCache.DisposeReason, string>> = {
  evict: 'capacity',
  delete: 'invalidated',
  set: 'replaced',
};

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
    @InjectMetric(TENANT_BINDING_LOOKUPS) private readonly lookups: Counter<'result'>,
    @InjectMetric(TENANT_BINDING_EVICTIONS) private readonly evictions: Counter<'reason'>,
  ) {
    this.ttlMs = config.get('TENANT_BINDING_TTL_MS', { infer: true });
    const max: number = config.get('TENANT_BINDING_CACHE_SIZE', { infer: true });
    this.bindings = new LRUCache<string, Binding>({
      max,
      dispose: (binding, _organizationId, reason) => {
        const label = EVICTION_REASONS[reason];
        if (label) this.evictions.inc({ reason: label });
        this.unbind(binding);
      },
    });
  }

  /**
   * The model bound to the organization's collection, checked against the master record
   * when the cached binding is older than the TTL. While a rename or delete is under way
   * it waits briefly, then answers 503 (with Retry-After), never a wrong collection; during
   * a move's switch it reads the source, complete and no longer written.
   */
  async modelFor(organizationId: string): Promise<Model<TenantRecord>> {
    const cached = this.bindings.get(organizationId);
    if (cached && Date.now() - cached.verifiedAt < this.ttlMs) {
      this.lookups.inc({ result: 'hit' });
      return cached.model;
    }
    this.lookups.inc({ result: 'miss' });

    const { location } = await waitUntilOpen(
      this.directory,
      new Types.ObjectId(organizationId),
      Date.now() + BUSY_WAIT_MS,
      'read',
    );
    // Read again: a concurrent request may have re-bound this organization meanwhile. A
    // binding whose cluster client was closed (idle, or pushed out) is bound anew.
    const db = await this.clients.connection(location);
    const current = this.bindings.get(organizationId);
    if (current && sameLocation(current.location, location) && current.model.db === db) {
      current.verifiedAt = Date.now();
      return current.model;
    }
    const model = this.bind(db, location);
    this.bindings.set(organizationId, { location, model, verifiedAt: Date.now() });
    return model;
  }

  /** Drops this process's binding at once; other processes notice within the TTL. */
  invalidate(organizationId: Types.ObjectId): void {
    this.bindings.delete(organizationId.toString());
  }

  /** The collection's model, compiled once and shared by every binding to it. */
  private bind(db: Connection, location: TenantLocation): Model<TenantRecord> {
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
