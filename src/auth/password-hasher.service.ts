import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { compare, hash } from 'bcryptjs';
import type { ValidatedEnvironment } from '../config/environment';
import { BcryptPool } from './bcrypt-pool';

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

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    this.cost = config.get('BCRYPT_COST', { infer: true });
    const workers = config.get('BCRYPT_WORKERS', { infer: true });
    if (workers > 0) this.pool = new BcryptPool(workers);
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash('not-a-real-password');
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
  }

  hash(password: string): Promise<string> {
    return this.pool ? this.pool.hash(password, this.cost) : hash(password, this.cost);
  }

  /** With no stored hash, compares against a dummy one so both paths take the same time. */
  async verify(password: string, storedHash: string | undefined): Promise<boolean> {
    const against = storedHash ?? this.dummyHash;
    const match = await (this.pool
      ? this.pool.compare(password, against)
      : compare(password, against));
    return match && storedHash !== undefined;
  }
}
