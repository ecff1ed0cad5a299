import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { ValidatedEnvironment } from '../../config/environment';

/** Where rate-limit counters live: this process's memory, or Redis when REDIS_URL is set. */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

const logger = new Logger('RateLimitStorage');

/**
 * Counters shared by every instance. A limiter that cannot reach Redis must answer at
 * once rather than queue behind a reconnect, so commands fail fast while it is away
 * (the guard then refuses with 503). Errors are logged by code only: the URL may hold a password.
 */
function redisStorage(url: string): ThrottlerStorage {
  const storage = new ThrottlerStorageRedisService(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
  });
  let reachable = true;
  let lastError = 'connection closed';
  storage.redis.on('error', (error: NodeJS.ErrnoException) => {
    lastError = error.code ?? error.name;
  });
  storage.redis.on('close', () => {
    if (reachable) logger.warn(`Redis unreachable (${lastError}); limits refuse with 503`);
    reachable = false;
  });
  storage.redis.on('ready', () => {
    if (!reachable) logger.log('Redis reachable again');
    reachable = true;
    lastError = 'connection closed';
  });
  return storage;
}

@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORAGE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<ValidatedEnvironment, true>): ThrottlerStorage => {
        const url = config.get('REDIS_URL', { infer: true });
        return url ? redisStorage(url) : new ThrottlerStorageService();
      },
    },
  ],
  exports: [RATE_LIMIT_STORAGE],
})
export class RateLimitStorageModule {}
