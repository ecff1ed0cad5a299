import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { BEARER_AUTH } from './roles.decorator';

/**
 * Documents a `@Public()` route that also reads a bearer token when one is sent: either
 * security requirement is enough, so Swagger UI sends the token once authorized.
 */
export const OptionallyAuthenticated = () =>
  applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiSecurity({}));
