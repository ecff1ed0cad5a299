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

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * `GET /metrics` answers only a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`.
 * Without METRICS_TOKEN the route answers 404 as if it did not exist. The token is
 * compared in constant time (as SHA-256 digests, so lengths never differ).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.expected = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.expected) throw new NotFoundException(`Cannot GET ${request.path}`);
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('Missing or wrong metrics token');
    }
    return true;
  }
}
