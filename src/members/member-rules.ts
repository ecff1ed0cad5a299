import { ConflictException, ForbiddenException } from '@nestjs/common';
import { Types } from 'mongoose';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { Role, roleOf } from '../auth/role';
import type { Admin } from '../auth/schemas/admin.schema';

/** The caller's organization, as stored. */
export const organizationOf = (caller: AuthenticatedAdmin) =>
  new Types.ObjectId(caller.organizationId);

const LAST_OWNER = 'An organization keeps at least one owner; make another member owner first';

/**
 * Owners manage everyone; admins manage (and invite) admins and viewers, and never make an
 * owner. `current` is the member's role now, `next` the one it would get.
 */
export function assertMayManage(caller: AuthenticatedAdmin, current: Role, next?: Role): void {
  if (caller.role === Role.Owner) return;
  if (current === Role.Owner || next === Role.Owner) {
    throw new ForbiddenException('Only an owner may manage owners');
  }
}

/** Called before an owner is demoted or removed, with the members as they are under the lock. */
export function assertNotLastOwner(members: Admin[]): void {
  if (members.filter((member) => roleOf(member) === Role.Owner).length <= 1) {
    throw new ConflictException(LAST_OWNER);
  }
}
