import {
  BadRequestException,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/**
 * A bare array is the commonest mistake with the bulk route, and validation would answer
 * it property by property; this names the envelope instead. It runs after the guards, so
 * an unauthenticated caller still gets its 401 first.
 */
@Injectable()
export class BulkEnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (Array.isArray(context.switchToHttp().getRequest<Request>().body)) {
      throw new BadRequestException(
        'Send the records wrapped in an object: {"records": [{...}, {...}]}, not a bare array',
      );
    }
    return next.handle();
  }
}
