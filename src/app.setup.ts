import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { BEARER_AUTH } from './auth/decorators/roles.decorator';
import { bodyParserErrors, TOO_DEEP } from './common/body-parser-errors';
import { jsonBodyBudget } from './common/json-body-budget';
import { nestsDeeperThan } from './common/json-depth';
import { ErrorResponseDto } from './common/error-response.dto';
import { refuseForbiddenKeys } from './common/forbidden-keys';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from './common/media-types';
import type { ValidatedEnvironment } from './config/environment';
import { OPERATOR_AUTH } from './operator/operator-only.decorator';
import { hardenMongooseQueries } from './database/mongoose-hardening';
import { HttpMetrics } from './metrics/http-metrics';
import { serveSwaggerUi } from './docs/swagger-ui';

const BODY_LIMIT_BYTES = 1024 * 1024;
/** A bulk write wraps its records in two more levels: `{"records":[…]}`. */
const BODY_DEPTH_ABOVE_RECORDS = 2;

/**
 * Builds the application exactly as it runs in production; `main.ts` and the e2e
 * tests both call this, so the tests exercise the real pipes, guards and limits.
 */
export async function createApp(): Promise<NestExpressApplication> {
  hardenMongooseQueries();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  const config = app.get<ConfigService<ValidatedEnvironment, true>>(ConfigService);
  app.useLogger(app.get(Logger));
  app.use(app.get(HttpMetrics).middleware);
  app.disable('x-powered-by');
  // Off by default: the socket address is the client, whatever X-Forwarded-For claims.
  app.set('trust proxy', config.get('TRUST_PROXY', { infer: true }));
  app.use(helmet(HELMET_OPTIONS));
  enableCors(app, config.get('CORS_ORIGINS', { infer: true }));
  app.use(
    jsonBodyBudget(
      config.get('JSON_BODY_BUDGET_MB', { infer: true }) * 1024 * 1024,
      BODY_LIMIT_BYTES,
    ),
  );
  app.useBodyParser('json', {
    limit: BODY_LIMIT_BYTES,
    type: [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE],
    verify: refuseDeepJson(
      config.get('RECORD_MAX_DEPTH', { infer: true }) + BODY_DEPTH_ABOVE_RECORDS,
    ),
  });
  app.use(bodyParserErrors);
  app.use(refuseForbiddenKeys);
  setUpSwagger(app);
  return app;
}

/**
 * Helmet's defaults, which Swagger UI works with: its scripts are files under /docs
 * (script-src 'self'), its styles partly inline (style-src allows 'unsafe-inline').
 * upgrade-insecure-requests is left out: TLS is terminated in front of the service, and
 * the directive would break /docs when it is opened over plain HTTP on a LAN address.
 */
const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
};

/**
 * body-parser's `verify` hook, run on the raw bytes before JSON.parse: a body nested deeper
 * than any valid request is refused (400) before anything walks it recursively.
 */
function refuseDeepJson(maxDepth: number) {
  return (_request: unknown, _response: unknown, body: Buffer): void => {
    if (nestsDeeperThan(body, maxDepth)) {
      throw Object.assign(new Error('too deep'), { status: 400, type: TOO_DEEP });
    }
  };
}

/** CORS stays closed (no Access-Control-* header at all) unless origins are configured. */
function enableCors(app: NestExpressApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id'],
    credentials: false,
    maxAge: 600,
  });
}

function setUpSwagger(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Organization management service')
    .setDescription(
      'Multi-tenant organization management: each organization gets its own MongoDB collection. ' +
        'Every error answers with the same JSON body: statusCode, error, message.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'OPERATOR_API_KEY (operator API only)' },
      OPERATOR_AUTH,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  serveSwaggerUi(app, document);
}
