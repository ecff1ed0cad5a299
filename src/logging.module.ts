import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { ValidatedEnvironment } from './config/environment';

const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
// Named paths only: wildcard paths are the slow case of pino's redaction, paid on the
// bindings of every request's logger.
const REDACTED_PATHS = ['uri', 'connectionString', 'cluster.uri', 'cluster.connectionString'];

/** Keeps a caller's request id when it is safe to log, else makes one; echoes it back. */
function requestId(request: IncomingMessage, response: ServerResponse): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  const id =
    typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * JSON logs, one request id per request. A request is logged by its id, method, URL,
 * route, status and duration: no headers, which made every line about 1.5 KB of helmet's
 * response headers (and would carry credentials). In development on a terminal the same
 * events are printed as one readable line each.
 */
export function pinoHttpOptions(
  environment: Pick<ValidatedEnvironment, 'NODE_ENV' | 'LOG_LEVEL'>,
  output: { isTTY?: boolean },
): Options {
  return {
    level: environment.LOG_LEVEL,
    // Defence in depth: nothing logs a connection string on purpose (cluster URIs hold
    // credentials), and a field of that name is masked should one ever be passed.
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: requestId,
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({
        id: request.id,
        method: request.method,
        url: request.url,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    // Express sets the matched route once routing is done, so the completion line has it.
    customProps: (request) => ({
      route: ((request as Request).route as { path?: string } | undefined)?.path,
    }),
    ...(environment.NODE_ENV === 'development' && output.isTTY
      ? { transport: { target: 'pino-pretty', options: { singleLine: true } } }
      : {}),
  };
}

export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<ValidatedEnvironment, true>) => ({
    pinoHttp: pinoHttpOptions(
      {
        NODE_ENV: config.get('NODE_ENV', { infer: true }),
        LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
      },
      process.stdout,
    ),
  }),
});
