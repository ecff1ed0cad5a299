import { NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TenantLocation } from './tenant-location.schema';

/** Where an organization's data is, and whether requests may reach it now. */
export interface TenantEntry {
  /** Writable: false while the organization is being created, renamed, moved or deleted. */
  open: boolean;
  /**
   * Also true while a move drains and catches up: its source is then complete and no
   * longer written, so reads go on there until the switch.
   */
  readable: boolean;
  location: TenantLocation;
}

/**
 * What the tenant module needs to know of organizations; the organization side provides
 * it, so the tenant module depends on no organization internals.
 */
export abstract class TenantDirectory {
  /** Null when no such organization exists. */
  abstract find(organizationId: Types.ObjectId): Promise<TenantEntry | null>;
}

/** How long a request waits for a rename or delete under way before answering 503. */
export const BUSY_WAIT_MS = 3_000;
const BUSY_POLL_MS = 100;

/**
 * The organization's entry once it takes this kind of request: polls while a rename,
 * move or delete is under way, then 503 (with Retry-After) at the deadline; 404 when it
 * no longer exists.
 */
export async function waitUntilOpen(
  directory: TenantDirectory,
  organizationId: Types.ObjectId,
  deadline: number,
  access: 'read' | 'write',
): Promise<TenantEntry> {
  for (;;) {
    const entry = await directory.find(organizationId);
    if (!entry) throw organizationGone();
    if (access === 'read' ? entry.readable : entry.open) return entry;
    if (Date.now() >= deadline) {
      throw new ServiceUnavailableException(
        'The organization is being renamed, moved or deleted; try again shortly',
      );
    }
    await sleep(BUSY_POLL_MS);
  }
}

export function organizationGone(): NotFoundException {
  return new NotFoundException('Your organization no longer exists');
}
