import { Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';

/**
 * Where rate-limit counters live. The default keeps them in this process's memory, which
 * is right for one instance; behind a load balancer, provide a shared store (for example
 * a Redis-backed `ThrottlerStorage`) under this token instead. Nothing else changes.
 */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');

@Module({
  providers: [{ provide: RATE_LIMIT_STORAGE, useClass: ThrottlerStorageService }],
  exports: [RATE_LIMIT_STORAGE],
})
export class RateLimitStorageModule {}
