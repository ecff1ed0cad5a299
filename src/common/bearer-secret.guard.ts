import {
  CanActivate,
  ExecutionContext,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer (.+)$/;

/** Hashed first, so secrets of any length compare in the same time. */
const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * A route that opens only to one configured secret, sent as `Authorization: Bearer
 * <secret>` and compared in constant time. Without the secret configured, the route
 * answers 404, as an unknown route would.
 */
export abstract class BearerSecretGuard implements CanActivate {
  private readonly expected?: Buffer;

  protected constructor(
    secret: string | undefined,
    private readonly refusal: string,
  ) {
    if (secret) this.expected = digest(secret);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.expected) throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
    const sent = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (sent === undefined || !timingSafeEqual(digest(sent), this.expected)) {
      throw new UnauthorizedException(this.refusal);
    }
    return true;
  }
}
