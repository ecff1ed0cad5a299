import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { HAS_OWN_CREDENTIALS, IS_PUBLIC } from './decorators/public.decorator';

/**
 * Global: every route needs a valid bearer token unless it is `@Public()` or checks
 * credentials of its own (`@OwnCredentials()`).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(HAS_OWN_CREDENTIALS, targets)) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const hasToken =
      context.switchToHttp().getRequest<Request>().headers.authorization !== undefined;
    if (isPublic && !hasToken) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof Error && !(error instanceof UnauthorizedException)) throw error;
    if (error || !user) throw new UnauthorizedException('Missing, invalid or expired bearer token');
    return user;
  }
}
