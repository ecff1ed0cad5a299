import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/**
 * Opens a route to anonymous callers. A bearer token, when one is sent, is still
 * verified, so a public route can tell its own admin apart.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const OWN_AUTHENTICATION = 'auth:ownAuthentication';

/**
 * Takes a route out of admin authentication altogether: it is not `@Public()`, its own
 * guard checks a credential of another kind (the operator key), which the admin token
 * check must not try to read as a JWT.
 */
export const OwnAuthentication = () => SetMetadata(OWN_AUTHENTICATION, true);
