import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AuthenticatedAdmin } from './authenticated-admin';
import { IS_PUBLIC, HAS_OWN_CREDENTIALS } from './decorators/public.decorator';
import { REQUIRED_ROLES } from './decorators/roles.decorator';
import type { Role } from './role';

/**
 * Global, after JwtAuthGuard: a Bearer route answers only callers whose role its `@Roles()`
 * rule names. A route that is neither `@Public()` nor ruled is denied to everyone; one
 * with `@OwnCredentials()` (the operator API, the metrics) is left to its own guard, as member roles
 * do not apply to it.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (this.reflector.getAllAndOverride<boolean>(HAS_OWN_CREDENTIALS, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (!roles) throw new ForbiddenException('This route has no access rule');
    const caller = context.switchToHttp().getRequest<Request>().user as AuthenticatedAdmin;
    if (!roles.includes(caller.role)) {
      throw new ForbiddenException(`This action needs the role ${roles.join(' or ')}`);
    }
    return true;
  }
}
