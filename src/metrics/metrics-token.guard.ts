import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BearerSecretGuard } from '../common/bearer-secret.guard';
import type { ValidatedEnvironment } from '../config/environment';

/** `GET /metrics` answers only a scraper that sends METRICS_TOKEN; 404 while it is unset. */
@Injectable()
export class MetricsTokenGuard extends BearerSecretGuard {
  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    super(config.get('METRICS_TOKEN', { infer: true }), 'Missing or wrong metrics token');
  }
}
