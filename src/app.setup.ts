import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { BEARER_AUTH } from './auth/decorators/authenticated.decorator';
import { bodyParserErrors } from './common/body-parser-errors';
import { ErrorResponseDto } from './common/error-response.dto';
import { refuseForbiddenKeys } from './common/forbidden-keys';
import { JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE } from './common/media-types';
import type { ValidatedEnvironment } from './config/environment';
import { hardenMongooseQueries } from './database/mongoose-hardening';
import { serveSwaggerUi } from './docs/swagger-ui';

const BODY_LIMIT = '1mb';

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
  app.disable('x-powered-by');
  // Off by default: the socket address is the client, whatever X-Forwarded-For claims.
  app.set('trust proxy', config.get('TRUST_PROXY', { infer: true }));
  app.use(helmet(HELMET_OPTIONS));
  enableCors(app, config.get('CORS_ORIGINS', { infer: true }));
  app.useBodyParser('json', { limit: BODY_LIMIT, type: [JSON_MEDIA_TYPE, MERGE_PATCH_MEDIA_TYPE] });
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

/** CORS stays closed (no Access-Control-* header at all) unless origins are configured. */
function enableCors(app: NestExpressApplication, origins: string[]): void {
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
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
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
  serveSwaggerUi(app, document);
}
