import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-responses.decorator';
import type { Role } from '../role';

export const BEARER_AUTH = 'bearer';
export const REQUIRED_ROLES = 'auth:roles';

/**
 * The access rule of a Bearer route: the caller's role (read from the database when its
 * token is checked) must be one of these. RolesGuard denies every non-public route without
 * a rule. Declares the bearer scheme, the 401/403 answers and `x-roles` for Swagger too, so
 * the documentation cannot drift from the rule.
 */
export const Roles = (...roles: readonly Role[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiBearerAuth(BEARER_AUTH),
    ApiExtension('x-roles', roles),
    ApiErrorResponses(401, 403),
  );
