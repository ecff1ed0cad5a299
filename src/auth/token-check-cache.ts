import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import type { ValidatedEnvironment } from '../config/environment';
import type { Role } from './role';

/** What a token is checked against: its session's admin as the database has it. */
export interface CheckedSession {
  adminId: string;
  organizationId: string;
  tokenVersion: number;
  /** Read with the check; a role change forgets the entry on the instance that makes it. */
  role: Role;
}

/** Sessions whose check is remembered at once; the least recently used go first. */
const MAX_SESSIONS = 10_000;

/**
 * Remembers, for TOKEN_CHECK_TTL_MS, what the database said about a session and its admin
 * when a token was checked, so a burst of requests with one token costs one read. Keyed
 * by session id; the entry holds the token version it was read with, so a token of another
 * version never matches it. Every change that revokes tokens (logout, password change,
 * member removal or role change, organization deletion) goes through `forget…` on the
 * instance that makes it, and a read that was under way during a `forget…` is not stored,
 * so that instance never accepts a revoked token again. Other instances may, until their
 * entry expires.
 */
@Injectable()
export class TokenCheckCache {
  private readonly entries?: LRUCache<string, CheckedSession>;
  /** Raised by every `forget…`; a read begun under an older generation is not stored. */
  private generation = 0;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    const ttl = config.get('TOKEN_CHECK_TTL_MS', { infer: true });
    if (ttl > 0) this.entries = new LRUCache({ max: MAX_SESSIONS, ttl });
  }

  get(sessionId: string): CheckedSession | undefined {
    return this.entries?.get(sessionId);
  }

  /** Call before reading; the returned function stores what the read found. */
  beginRead(): (sessionId: string, checked: CheckedSession) => void {
    const generation = this.generation;
    return (sessionId, checked) => {
      if (generation === this.generation) this.entries?.set(sessionId, checked);
    };
  }

  forgetSession(sessionId: string): void {
    this.generation += 1;
    this.entries?.delete(sessionId);
  }

  forgetAdmin(adminId: string): void {
    this.forgetWhere((checked) => checked.adminId === adminId);
  }

  forgetOrganization(organizationId: string): void {
    this.forgetWhere((checked) => checked.organizationId === organizationId);
  }

  private forgetWhere(matches: (checked: CheckedSession) => boolean): void {
    this.generation += 1;
    for (const [sessionId, checked] of this.entries?.entries() ?? []) {
      if (matches(checked)) this.entries!.delete(sessionId);
    }
  }
}
