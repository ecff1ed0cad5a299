/** The caller behind a verified bearer token. */
export interface AuthenticatedAdmin {
  adminId: string;
  organizationId: string;
}

/** What a token carries besides the standard claims. */
export interface AccessTokenClaims {
  /** The admin's id. */
  sub: string;
  /** The organization's immutable id: tokens survive a rename. */
  org: string;
  /** The admin's token version when the token was issued. */
  ver: number;
}
