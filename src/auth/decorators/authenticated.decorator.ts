import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-responses.decorator';

export const BEARER_AUTH = 'bearer';

/**
 * Marks a route as admin-only for Swagger. Nest already denies every route that is not
 * `@Public()`; this keeps the documentation in step with that.
 */
export const Authenticated = () =>
  applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiErrorResponses(401));

/**
 * Documents a `@Public()` route that also reads a bearer token when one is sent: either
 * security requirement is enough, so Swagger UI sends the token once authorized.
 */
export const OptionallyAuthenticated = () =>
  applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiSecurity({}));
