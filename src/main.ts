import { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import type { ValidatedEnvironment } from './config/environment';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  app.enableShutdownHooks();
  const config = app.get<ConfigService<ValidatedEnvironment, true>>(ConfigService);
  const port = config.get('PORT', { infer: true });
  await app.listen(port);
  new Logger('Bootstrap').log(
    `Listening on port ${port}; Swagger UI at http://localhost:${port}/docs`,
  );
}

void bootstrap();
