import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectConnection } from '@nestjs/mongoose';
import { LRUCache } from 'lru-cache';
import type { Connection, mongo } from 'mongoose';
import { ClusterRepository } from '../cluster/cluster.repository';
import { DataEncryption } from '../cluster/data-encryption.service';
import { ClusterUnavailableError } from '../common/database-unavailable';
import type { ValidatedEnvironment } from '../config/environment';
import type { TenantLocation } from './tenant-location.schema';

/** While a cluster is unreachable, its tenants' requests fail within this time. */
const CLUSTER_SERVER_SELECTION_TIMEOUT_MS = 2_000;

/**
 * Turns a tenant location into a connection to its database. Every tenant read, write
 * and collection step goes through here, so a placement decides the server as well as
 * the database: the master's server, or a registered cluster. Each cluster has one client
 * (a Mongoose connection and its pool), shared by all of its tenants; at most
 * CLUSTER_CLIENTS_MAX stay open, and one that ran no operation for CLUSTER_CLIENT_IDLE_MS
 * is closed.
 */
@Injectable()
export class TenantClients implements OnModuleDestroy {
  private readonly logger = new Logger(TenantClients.name);
  private readonly clusters: LRUCache<string, Promise<Connection>>;
  private readonly maxPoolSize: number;

  constructor(
    @InjectConnection() private readonly master: Connection,
    private readonly registry: ClusterRepository,
    private readonly encryption: DataEncryption,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.maxPoolSize = config.get('CLUSTER_MAX_POOL_SIZE', { infer: true });
    const max: number = config.get('CLUSTER_CLIENTS_MAX', { infer: true });
    const idleMs: number = config.get('CLUSTER_CLIENT_IDLE_MS', { infer: true });
    this.clusters = new LRUCache<string, Promise<Connection>>({
      max,
      ttl: idleMs,
      ttlAutopurge: true,
      updateAgeOnGet: true,
      dispose: (connection) => void close(connection),
    });
  }

  async onModuleDestroy(): Promise<void> {
    const open = [...this.clusters.values()];
    this.clusters.clear();
    await Promise.all(open.map(close));
  }

  /** The Mongoose connection to the location's database (cached per database). */
  async connection(location: TenantLocation): Promise<Connection> {
    const server =
      location.cluster === undefined ? this.master : await this.clusterConnection(location.cluster);
    return server.useDb(location.database, { useCache: true });
  }

  async db(location: TenantLocation): Promise<mongo.Db> {
    return (await this.connection(location)).db!;
  }

  /** Whether the cluster answers a ping now (within the server selection timeout). */
  async isReachable(cluster: string): Promise<boolean> {
    try {
      await (await this.clusterConnection(cluster)).db!.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  /** The cluster's shared connection, opened on first use; concurrent callers share it. */
  private clusterConnection(name: string): Promise<Connection> {
    const cached = this.clusters.get(name);
    if (cached) return cached;
    const opening = this.open(name);
    this.clusters.set(name, opening);
    // A cluster that could not be opened is tried again by the next request.
    opening.catch(() => {
      if (this.clusters.peek(name) === opening) this.clusters.delete(name);
    });
    return opening;
  }

  private async open(name: string): Promise<Connection> {
    const cluster = await this.registry.findByName(name);
    if (!cluster) throw new ClusterUnavailableError(name);
    let uri: string;
    try {
      uri = this.encryption.unseal(cluster.uri, name);
    } catch {
      // Never the error itself: it is about the key, and no part of a key belongs in a log.
      this.logger.error(
        { cluster: name, keyId: cluster.uri.keyId },
        'Cannot decrypt the cluster’s connection string: is its key in DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_PREVIOUS_KEYS?',
      );
      throw new ClusterUnavailableError(name);
    }
    const connection = this.master.base.createConnection(uri, {
      maxPoolSize: this.maxPoolSize,
      serverSelectionTimeoutMS: CLUSTER_SERVER_SELECTION_TIMEOUT_MS,
      bufferCommands: false,
      autoIndex: false,
      autoCreate: false,
    });
    try {
      await connection.asPromise();
    } catch {
      // The driver's message may name hosts or echo parts of the connection string.
      await connection.close().catch(() => undefined);
      throw new ClusterUnavailableError(name);
    }
    // Idle means no operation at all, not only no new binding: a long copy or a cursor
    // keeps checking connections out, and so keeps its client open.
    connection.getClient().on('connectionCheckedOut', () => void this.clusters.get(name));
    return connection;
  }
}

async function close(connection: Promise<Connection>): Promise<void> {
  try {
    await (await connection).close();
  } catch {
    // It never opened, or is closed already.
  }
}
