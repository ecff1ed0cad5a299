import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { compare, hash } from 'bcryptjs';
import { performance } from 'node:perf_hooks';
import type { Histogram } from 'prom-client';
import type { ValidatedEnvironment } from '../config/environment';
import { PASSWORD_HASH_DURATION, PASSWORD_HASH_QUEUE_WAIT } from '../metrics/metric-definitions';
import { BcryptPool } from './bcrypt-pool';

const MS_PER_SECOND = 1000;

/**
 * bcrypt ($2b$) with the configured cost. Passwords are limited to 72 bytes before they
 * get here. With BCRYPT_WORKERS > 0 the work runs in worker threads, off the event loop,
 * and a login's compare starts before any hash that is waiting.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit, OnModuleDestroy {
  private readonly cost: number;
  private readonly pool?: BcryptPool;
  private dummyHash: string;

  constructor(
    config: ConfigService<ValidatedEnvironment, true>,
    @InjectMetric(PASSWORD_HASH_QUEUE_WAIT) private readonly queueWait: Histogram<'operation'>,
    @InjectMetric(PASSWORD_HASH_DURATION) private readonly duration: Histogram<'operation'>,
  ) {
    this.cost = config.get('BCRYPT_COST', { infer: true });
    const workers = config.get('BCRYPT_WORKERS', { infer: true });
    if (workers > 0) {
      this.pool = new BcryptPool(workers, (operation, waitMs, runMs) => {
        this.queueWait.observe({ operation }, waitMs / MS_PER_SECOND);
        this.duration.observe({ operation }, runMs / MS_PER_SECOND);
      });
    }
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password');
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }

  hash(password: string): Promise<string> {
    return this.pool
      ? this.pool.hash(password, this.cost)
      : this.onMainThread('hash', () => hash(password, this.cost));
  }

  /** With no stored hash, compares against a dummy one so both paths take the same time. */
  async verify(password: string, storedHash: string | undefined): Promise<boolean> {
    const against = storedHash ?? this.dummyHash;
    const match = await (this.pool
      ? this.pool.compare(password, against)
      : this.onMainThread('compare', () => compare(password, against)));
    return match && storedHash !== undefined;
  }

  /** Without workers there is no queue to wait in: only the duration is recorded. */
  private async onMainThread<T>(operation: 'hash' | 'compare', job: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      return await job();
    } finally {
      this.duration.observe({ operation }, (performance.now() - startedAt) / MS_PER_SECOND);
    }
  }
}
