import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/api-error-responses.decorator';

export const BEARER_AUTH = 'bearer';

/**
 * Marks a route as admin-only for Swagger. Nest already denies every route that is not
 * `@Public()`; this keeps the documentation in step with that.
 */
export const Authenticated = () =>
  applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiErrorResponses(401));
