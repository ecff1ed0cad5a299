import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { BearerSecretGuard } from '../common/bearer-secret.guard';
import type { ValidatedEnvironment } from '../config/environment';

/** The operator API exists only when OPERATOR_API_KEY is set, and answers only that key. */
@Injectable()
export class OperatorKeyGuard extends BearerSecretGuard {
  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    super(config.get('OPERATOR_API_KEY', { infer: true }), 'Missing or invalid operator key');
  }
}
