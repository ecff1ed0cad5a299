import { Controller, ForbiddenException, Get, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedAdmin } from './authenticated-admin';
import { Public } from './decorators/public.decorator';
import { Roles } from './decorators/roles.decorator';
import { Role } from './role';
import { RolesGuard } from './roles.guard';

@Controller()
class Routes {
  @Get() @Public() open() {}
  @Get() @Roles(Role.Owner, Role.Admin) managed() {}
  @Get() unruled() {}
}

const contextFor = (handler: keyof Routes, role?: Role) =>
  ({
    getHandler: () => Object.getOwnPropertyDescriptor(Routes.prototype, handler)!.value as unknown,
    getClass: () => Routes,
    switchToHttp: () => ({
      getRequest: () => ({ user: role && ({ role } as AuthenticatedAdmin) }),
    }),
  }) as unknown as ExecutionContext;

describe('RolesGuard', () => {
  const guard = new RolesGuard(new Reflector());

  it('lets anyone through a public route', () => {
    expect(guard.canActivate(contextFor('open'))).toBe(true);
  });

  it('admits only the roles the rule names', () => {
    expect(guard.canActivate(contextFor('managed', Role.Owner))).toBe(true);
    expect(guard.canActivate(contextFor('managed', Role.Admin))).toBe(true);
    expect(() => guard.canActivate(contextFor('managed', Role.Viewer))).toThrow(
      new ForbiddenException('This action needs the role owner or admin'),
    );
  });

  it('denies every role on a Bearer route without a rule', () => {
    for (const role of Object.values(Role)) {
      expect(() => guard.canActivate(contextFor('unruled', role))).toThrow(
        new ForbiddenException('This route has no access rule'),
      );
    }
  });
});
