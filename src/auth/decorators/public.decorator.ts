import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'auth:isPublic';

/**
 * Opens a route to anonymous callers. A bearer token, when one is sent, is still
 * verified, so a public route can tell its own admin apart.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
