import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mongo, Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ValidatedEnvironment } from '../config/environment';
import { InstanceLease } from './instance-lease.service';
import { TenantCollections } from './tenant-collections.service';
import { BUSY_WAIT_MS, organizationGone, TenantDirectory, waitUntilOpen } from './tenant-directory';
import { sameLocation, type TenantLocation } from './tenant-location.schema';
import { TenantWritersRepository } from './tenant-writers.repository';

const DRAIN_POLL_MS = 100;

/** One instance's registration as a writer to one organization's collection. */
interface WriterState {
  organizationId: Types.ObjectId;
  /** The lease epoch it was registered under; a lapse of the lease voids it. */
  epoch: number;
  registration?: Types.ObjectId;
  location?: TenantLocation;
  verifiedAt: number;
  /** Registration or re-verification under way, shared by the requests that wait on it. */
  pending?: Promise<void>;
  inflight: number;
  closed: boolean;
  released: boolean;
  idleTimer?: NodeJS.Timeout;
}

export class DrainTimeoutError extends Error {}

/**
 * The barrier between tenant writes and the lifecycle steps that move or drop a tenant's
 * collection. Before its first write to an organization an instance registers as a writer
 * in the master database, then reads where the collection is; it keeps that registration
 * while it writes, re-reads the record every TENANT_BINDING_TTL_MS, and withdraws it once
 * the organization is marked for a rename or delete and its writes there have finished
 * (or after TENANT_BINDING_TTL_MS without writes).
 *
 * A rename or delete marks the record first and then `drain`s: it waits until no live
 * instance is registered. Any write either began under a registration the drain waited
 * for, so it landed before the collection moved, or it registered after the mark and
 * read it, so it waits for the new location. Writes never wait on a clock guess.
 */
@Injectable()
export class TenantWriteGate {
  private readonly logger = new Logger(TenantWriteGate.name);
  private readonly ttlMs: number;
  private readonly testDelayMs: number;
  private readonly states = new Map<string, WriterState>();

  constructor(
    private readonly directory: TenantDirectory,
    private readonly writers: TenantWritersRepository,
    private readonly lease: InstanceLease,
    private readonly collections: TenantCollections,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.ttlMs = config.get('TENANT_BINDING_TTL_MS', { infer: true });
    this.testDelayMs = config.get('TEST_WRITE_DELAY_MS', { infer: true });
  }

  /**
   * Runs one write against the organization's collection while this instance is
   * registered as its writer. While a rename or delete is under way it waits up to
   * `waitMs` for the new location, then answers 503.
   */
  async write<T>(
    organizationId: string,
    operation: (collection: mongo.Collection) => Promise<T>,
    waitMs = BUSY_WAIT_MS,
  ): Promise<T> {
    const state = await this.admit(new Types.ObjectId(organizationId), Date.now() + waitMs);
    try {
      if (this.testDelayMs > 0) await sleep(this.testDelayMs);
      this.lease.assertHeld(state.epoch);
      return await operation(await this.collections.collection(state.location!));
    } finally {
      state.inflight -= 1;
      this.settle(state);
    }
  }

  /**
   * Waits until no live instance may still write to the organization's collection; its
   * record must already say that a rename or delete is under way.
   */
  async drain(organizationId: Types.ObjectId, timeoutMs: number): Promise<void> {
    const local = this.states.get(organizationId.toString());
    if (local) this.close(local);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const registered = await this.writers.findByOrganization(organizationId);
      const live = await this.lease.liveAmong(registered.map((writer) => writer.instanceId));
      const dead = registered.filter((writer) => !live.has(writer.instanceId.toString()));
      await this.writers.remove(dead.map((writer) => writer._id));
      if (dead.length === registered.length) return;
      if (Date.now() >= deadline) {
        throw new DrainTimeoutError(
          `${registered.length - dead.length} writer(s) still registered after ${timeoutMs} ms`,
        );
      }
      await sleep(DRAIN_POLL_MS);
    }
  }

  /** Removes the registrations, and then the leases, of instances that died. */
  async removeDeadWriters(): Promise<number> {
    const registered = await this.writers.findAll();
    const live = await this.lease.liveAmong(registered.map((writer) => writer.instanceId));
    const dead = registered.filter((writer) => !live.has(writer.instanceId.toString()));
    await this.writers.remove(dead.map((writer) => writer._id));
    await this.lease.removeExpired();
    return dead.length;
  }

  private async admit(organizationId: Types.ObjectId, deadline: number): Promise<WriterState> {
    const key = organizationId.toString();
    for (;;) {
      let state = this.states.get(key);
      if (state && state.epoch !== this.lease.epoch) {
        this.close(state);
        continue;
      }
      if (!state) {
        state = this.open(organizationId);
        this.states.set(key, state);
        this.track(state, this.register(state));
      } else if (!state.pending && Date.now() - state.verifiedAt >= this.ttlMs) {
        this.track(state, this.verify(state));
      }
      if (state.pending) {
        await state.pending;
        if (state.closed) await waitUntilOpen(this.directory, organizationId, deadline, 'write');
        continue;
      }
      state.inflight += 1;
      clearTimeout(state.idleTimer);
      return state;
    }
  }

  private open(organizationId: Types.ObjectId): WriterState {
    return {
      organizationId,
      epoch: this.lease.epoch,
      verifiedAt: 0,
      inflight: 0,
      closed: false,
      released: false,
    };
  }

  private track(state: WriterState, step: Promise<void>): void {
    state.pending = step
      .catch((error: unknown) => {
        this.close(state);
        throw error;
      })
      .finally(() => {
        state.pending = undefined;
        this.settle(state);
      });
  }

  /** Registers first, then reads the record: a mark written before the read is seen. */
  private async register(state: WriterState): Promise<void> {
    this.lease.assertHeld();
    state.registration = await this.writers.register(state.organizationId, this.lease.instanceId);
    if (!state.closed) await this.verify(state);
  }

  private async verify(state: WriterState): Promise<void> {
    const readAt = Date.now();
    const entry = await this.directory.find(state.organizationId);
    if (!entry) {
      this.close(state);
      throw organizationGone();
    }
    if (!entry.open || (state.location && !sameLocation(state.location, entry.location))) {
      this.close(state);
      return;
    }
    state.location = entry.location;
    state.verifiedAt = readAt;
  }

  /** No new write is admitted under this state; its registration goes once writes end. */
  private close(state: WriterState): void {
    if (state.closed) return;
    state.closed = true;
    const key = state.organizationId.toString();
    if (this.states.get(key) === state) this.states.delete(key);
    clearTimeout(state.idleTimer);
    this.settle(state);
  }

  private settle(state: WriterState): void {
    if (state.inflight > 0 || state.pending) return;
    if (!state.closed) {
      clearTimeout(state.idleTimer);
      state.idleTimer = setTimeout(() => this.close(state), this.ttlMs);
      state.idleTimer.unref();
      return;
    }
    if (state.released || !state.registration) return;
    state.released = true;
    this.writers
      .remove([state.registration])
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, organizationId: state.organizationId },
          'Writer registration left for the lease to expire',
        ),
      );
  }
}
