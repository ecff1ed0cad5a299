import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { BEARER_AUTH } from './auth/decorators/authenticated.decorator';
import { bodyParserErrors } from './common/body-parser-errors';
import { ErrorResponseDto } from './common/error-response.dto';

export const BODY_LIMIT = '1mb';

/**
 * Builds the application exactly as it runs in production; `main.ts` and the e2e
 * tests both call this, so the tests exercise the real pipes, guards and limits.
 */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(bodyParserErrors);
  setUpSwagger(app);
  return app;
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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
