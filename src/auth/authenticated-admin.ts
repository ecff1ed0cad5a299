import type { Role } from './role';

/** The caller behind a verified bearer token; the role is the database's, never the token's. */
export interface AuthenticatedAdmin {
  adminId: string;
  organizationId: string;
  role: Role;
  /** The session the token belongs to; logout ends it. */
  sessionId: string;
}

/** What a token carries besides the standard claims. */
export interface AccessTokenClaims {
  /** The admin's id. */
  sub: string;
  /** The organization's immutable id: tokens survive a rename. */
  org: string;
  /** The admin's token version when the token was issued. */
  ver: number;
  /** The session (login) the token was issued in. */
  sid: string;
}
