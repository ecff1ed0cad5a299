import { Logger, type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.setup';
import { drainHttpServer } from './common/drain-http-server';
import type { ValidatedEnvironment } from './config/environment';

const logger = new Logger('Bootstrap');

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<ValidatedEnvironment, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }));
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(`Listening on port ${port}; Swagger UI at http://localhost:${port}/docs`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutDown(app, signal));
  }
}

/**
 * Stops taking requests and finishes those in flight before Nest's own shutdown, which
 * would otherwise stop providers (and close the database) while requests still need them.
 */
async function shutDown(app: INestApplication, signal: NodeJS.Signals): Promise<void> {
  logger.log(`${signal} received: finishing requests in flight, then exiting`);
  await drainHttpServer(app.getHttpServer() as Server);
  await app.close();
  process.exit(0);
}

void bootstrap();
