import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/**
 * Opens a route to anonymous callers. A bearer token, when one is sent, is still
 * verified, so a public route can tell its own admin apart.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const HAS_OWN_CREDENTIALS = 'auth:hasOwnCredentials';

/**
 * For a route that checks a credential of its own (the operator key, the metrics token):
 * the admin guards leave it alone entirely, and do not take its bearer token for an
 * admin's.
 */
export const OwnCredentials = () => SetMetadata(HAS_OWN_CREDENTIALS, true);
