import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Gauge, Histogram } from 'prom-client';
import { HTTP_REQUEST_DURATION, HTTP_REQUESTS_IN_FLIGHT } from './metric-definitions';

/** Requests no route matched (404s, bodies refused before routing) share one label value. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request from its first byte to the end of its answer. The route label is the
 * matched template (`/records/:id`), never the path a client sent.
 */
@Injectable()
export class HttpMetrics {
  constructor(
    @InjectMetric(HTTP_REQUEST_DURATION)
    private readonly duration: Histogram<'method' | 'route' | 'status'>,
    @InjectMetric(HTTP_REQUESTS_IN_FLIGHT) private readonly inFlight: Gauge,
  ) {}

  /** Express middleware; installed first, so that it sees every request. */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    const stopTimer = this.duration.startTimer();
    this.inFlight.inc();
    response.once('close', () => {
      this.inFlight.dec();
      stopTimer({
        method: request.method,
        route: routeTemplate(request),
        status: String(response.statusCode),
      });
    });
    next();
  };
}

/**
 * Express leaves the last matched route on the request. Middleware that Nest mounts for
 * every path matches as the catch-all `/{*path}` first, so a request no controller took
 * still carries that template; no controller of ours has a wildcard.
 */
function routeTemplate(request: Request): string {
  const path = (request as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' && !path.includes('{*') ? path : UNMATCHED_ROUTE;
}
