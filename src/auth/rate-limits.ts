import {
  applyDecorators,
  ExecutionContext,
  HttpStatus,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  SkipThrottle,
  ThrottlerException,
  type ThrottlerGetTrackerFunction,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Request, Response } from 'express';
import type { Counter } from 'prom-client';
import { RetryLaterException } from '../common/retry-later.exception';
import type { ValidatedEnvironment } from '../config/environment';
import { RATE_LIMIT_BLOCKS } from '../metrics/metric-definitions';

const LOGIN_ADDRESS = 'login-address';
const LOGIN_ACCOUNT = 'login-account';
const CREATE_ADDRESS = 'create-address';
const TOO_MANY_MESSAGE = 'rate-limit:message';

/** The login body before validation: anything may be in it. */
type UncheckedLogin = { email?: unknown } | undefined;

const MS_PER_SECOND = 1000;
const STORAGE_RETRY_AFTER_SECONDS = 5;

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
 * Counters for the public routes that cost a bcrypt hash, all over LOGIN_WINDOW, all ending
 * in a bounded block of LOGIN_BLOCK (requests made while blocked do not extend it):
 * - `login-address`: every login attempt from one client address, against password spraying.
 * - `login-account`: every login attempt for one email from any address, against
 *   distributed guessing of one admin's password.
 * - `create-address`: every `POST /org/create` from one client address, against hashing
 *   floods and probing which emails are taken. Its own budget: creates never use up logins.
 */
export function rateLimitOptions(
  config: ConfigService<ValidatedEnvironment, true>,
  storage: ThrottlerStorage,
): ThrottlerModuleOptions {
  const ttl = config.get('LOGIN_WINDOW', { infer: true }) * MS_PER_SECOND;
  const blockDuration = config.get('LOGIN_BLOCK', { infer: true }) * MS_PER_SECOND;
  const byAddress: ThrottlerGetTrackerFunction = (request) => clientAddress(request as Request);
  return {
    storage,
    setHeaders: false,
    throttlers: [
      {
        name: LOGIN_ADDRESS,
        ttl,
        blockDuration,
        limit: config.get('LOGIN_ADDRESS_LIMIT', { infer: true }),
        getTracker: byAddress,
      },
      {
        name: LOGIN_ACCOUNT,
        ttl,
        blockDuration,
        limit: config.get('LOGIN_ACCOUNT_LIMIT', { infer: true }),
        skipIf: (context) => accountKey(context.switchToHttp().getRequest<Request>()) === undefined,
        getTracker: (request) => accountKey(request as Request) ?? '',
      },
      {
        name: CREATE_ADDRESS,
        ttl,
        blockDuration,
        limit: config.get('CREATE_ADDRESS_LIMIT', { infer: true }),
        getTracker: byAddress,
      },
    ],
  };
}

/**
 * Answers 429 with the shared error body, the route's message and `Retry-After` in seconds,
 * and counts each refusal by limiter (never by address or email).
 */
@Injectable()
class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectMetric(RATE_LIMIT_BLOCKS) private readonly blocks: Counter<'limiter'>,
  ) {
    super(options, storage, reflector);
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof ThrottlerException) {
        this.blocks.inc({ limiter: request.throttler.name ?? 'default' });
        throw error;
      }
      // The shared counters are unreachable: refuse rather than let guesses through uncounted.
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'Rate limiting is unavailable; try again later',
        STORAGE_RETRY_AFTER_SECONDS,
      );
    }
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new ThrottlerException(
      this.reflector.get<string>(TOO_MANY_MESSAGE, context.getHandler()),
    );
  }
}

/** `POST /admin/login`: limited per address and per email. */
export const LoginRateLimits = () =>
  applyDecorators(
    UseGuards(RateLimitGuard),
    SkipThrottle({ [CREATE_ADDRESS]: true }),
    SetMetadata(TOO_MANY_MESSAGE, 'Too many login attempts; try again later'),
  );

/** Counted per address on the `create-address` budget, apart from logins. */
const CreateAddressLimits = (message: string) =>
  applyDecorators(
    UseGuards(RateLimitGuard),
    SkipThrottle({ [LOGIN_ADDRESS]: true, [LOGIN_ACCOUNT]: true }),
    SetMetadata(TOO_MANY_MESSAGE, message),
  );

/** `POST /org/create`. */
export const CreateRateLimits = () =>
  CreateAddressLimits('Too many organizations created from this address; try again later');

/** `POST /invitations/accept`: it hashes a password too, so it shares the create budget. */
export const AcceptRateLimits = () =>
  CreateAddressLimits('Too many requests from this address; try again later');
