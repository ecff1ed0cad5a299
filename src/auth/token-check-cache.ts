import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import type { ValidatedEnvironment } from '../config/environment';
import type { Role } from './role';

/** What a token is checked against: the admin's organization and current token version. */
export interface CheckedAdmin {
  organizationId: string;
  tokenVersion: number;
  /** Read with the check; a role change forgets the entry on the instance that makes it. */
  role: Role;
}

/** Admins whose check is remembered at once; the least recently used go first. */
const MAX_ADMINS = 10_000;

/**
 * Remembers, for TOKEN_CHECK_TTL_MS, what the database said about an admin when a token
 * was checked, so a burst of requests with one token costs one read. Keyed by admin id;
 * the entry holds the token version it was read with, so a token of another version never
 * matches it. Every change that revokes tokens (password change, admin deletion) goes
 * through `forget…` on the instance that makes it, and a read that was under way during a
 * `forget…` is not stored, so that instance never accepts a revoked token again. Other
 * instances may, until their entry expires.
 */
@Injectable()
export class TokenCheckCache {
  private readonly entries?: LRUCache<string, CheckedAdmin>;
  /** Raised by every `forget…`; a read begun under an older generation is not stored. */
  private generation = 0;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    const ttl = config.get('TOKEN_CHECK_TTL_MS', { infer: true });
    if (ttl > 0) this.entries = new LRUCache({ max: MAX_ADMINS, ttl });
  }

  get(adminId: string): CheckedAdmin | undefined {
    return this.entries?.get(adminId);
  }

  /** Call before reading the admin; the returned function stores what the read found. */
  beginRead(): (adminId: string, checked: CheckedAdmin) => void {
    const generation = this.generation;
    return (adminId, checked) => {
      if (generation === this.generation) this.entries?.set(adminId, checked);
    };
  }

  forgetAdmin(adminId: string): void {
    this.generation += 1;
    this.entries?.delete(adminId);
  }

  forgetOrganization(organizationId: string): void {
    this.generation += 1;
    for (const [adminId, checked] of this.entries?.entries() ?? []) {
      if (checked.organizationId === organizationId) this.entries!.delete(adminId);
    }
  }
}
