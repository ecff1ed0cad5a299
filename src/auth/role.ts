import type { Admin } from './schemas/admin.schema';

/** What a member of an organization may do; see docs/members.md for the full matrix. */
export enum Role {
  Owner = 'owner',
  Admin = 'admin',
  Viewer = 'viewer',
}

/** Every member: reads records and the member list. */
export const ANY_MEMBER = [Role.Owner, Role.Admin, Role.Viewer] as const;
/** Members who write records and manage admins and viewers. */
export const MANAGERS = [Role.Owner, Role.Admin] as const;

/** Admins stored before roles existed were each their organization's only admin: owners. */
export function roleOf(admin: Pick<Admin, 'role'>): Role {
  return admin.role ?? Role.Owner;
}
