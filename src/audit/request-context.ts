import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Observable } from 'rxjs';

/** Where a change came from, for its audit entry. */
export interface RequestOrigin {
  /** The id pino-http gave the request (logged, and answered in X-Request-Id). */
  requestId: string | null;
  /** The client as Express sees it under TRUST_PROXY. */
  clientAddress: string | null;
}

const origins = new AsyncLocalStorage<RequestOrigin>();

/** The origin of the request being handled; nulls outside one (the reconciler). */
export function currentOrigin(): RequestOrigin {
  return origins.getStore() ?? { requestId: null, clientAddress: null };
}

/**
 * Makes the request's id and address available to the audit trail for the whole handler,
 * like the logger's request context, instead of threading them through every service
 * signature; who acted still travels explicitly, as the caller.
 */
@Injectable()
export class RequestOriginInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const origin: RequestOrigin = {
      requestId: typeof request.id === 'string' ? request.id : null,
      clientAddress: request.ip ?? request.socket.remoteAddress ?? null,
    };
    // Nest binds the handler to the async context `handle()` is called in.
    return origins.run(origin, () => next.handle());
  }
}
