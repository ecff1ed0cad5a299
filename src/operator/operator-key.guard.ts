import {
  CanActivate,
  ExecutionContext,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ValidatedEnvironment } from '../config/environment';

const BEARER = /^Bearer (.+)$/;

/** Hashed first, so keys of any length compare in the same time. */
const digest = (key: string) => createHash('sha256').update(key).digest();

/**
 * The operator API exists only when OPERATOR_API_KEY is set: otherwise its routes answer
 * 404 as an unknown route would. Callers send the key as a bearer token; it is compared in
 * constant time.
 */
@Injectable()
export class OperatorKeyGuard implements CanActivate {
  private readonly key?: Buffer;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    const key = config.get('OPERATOR_API_KEY', { infer: true });
    if (key) this.key = digest(key);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.key) throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
    const sent = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (sent === undefined || !timingSafeEqual(digest(sent), this.key)) {
      throw new UnauthorizedException('Missing or invalid operator key');
    }
    return true;
  }
}
