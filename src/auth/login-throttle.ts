import { ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  normalizeIp,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import type { ValidatedEnvironment } from '../config/environment';

export const TOO_MANY_LOGINS = 'Too many login attempts; try again later';

/** The login body before validation: anything may be in it. */
type UncheckedLogin = { email?: unknown } | undefined;

const MS_PER_SECOND = 1000;

/** The email as it is stored (trimmed, lowercase), or undefined when there is none to count. */
export function accountKey(request: Request): string | undefined {
  const email = (request.body as UncheckedLogin)?.email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : undefined;
}

/** The client as Express sees it under TRUST_PROXY; an IPv6 client counts by its /64. */
export function clientAddress(request: Request): string {
  return normalizeIp(request.ip ?? request.socket.remoteAddress ?? 'unknown');
}

/**
 * Two counters guard `POST /admin/login`, both over LOGIN_WINDOW, both ending in a bounded
 * block of LOGIN_BLOCK (requests made while blocked do not extend it):
 * - `login-address`: every attempt from one client address, against password spraying.
 * - `login-account`: every attempt for one email from any address, against distributed
 *   guessing of one admin's password.
 */
export function loginThrottlerOptions(
  config: ConfigService<ValidatedEnvironment, true>,
  storage: ThrottlerStorage,
): ThrottlerModuleOptions {
  const ttl = config.get('LOGIN_WINDOW', { infer: true }) * MS_PER_SECOND;
  const blockDuration = config.get('LOGIN_BLOCK', { infer: true }) * MS_PER_SECOND;
  return {
    storage,
    setHeaders: false,
    errorMessage: TOO_MANY_LOGINS,
    throttlers: [
      {
        name: 'login-address',
        ttl,
        blockDuration,
        limit: config.get('LOGIN_ADDRESS_LIMIT', { infer: true }),
        getTracker: (request) => clientAddress(request as Request),
      },
      {
        name: 'login-account',
        ttl,
        blockDuration,
        limit: config.get('LOGIN_ACCOUNT_LIMIT', { infer: true }),
        skipIf: (context) => accountKey(context.switchToHttp().getRequest<Request>()) === undefined,
        getTracker: (request) => accountKey(request as Request) ?? '',
      },
    ],
  };
}

/** Answers 429 with the shared error body and a plain `Retry-After` in seconds. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new ThrottlerException(await this.getErrorMessage(context, detail));
  }
}
