import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './environment';

/**
 * Validates the environment once at boot. Read it by injecting
 * `ConfigService<ValidatedEnvironment, true>` and calling `get(key, { infer: true })`.
 */
export const AppConfigModule = ConfigModule.forRoot({
  isGlobal: true,
  cache: true,
  validate: validateEnvironment,
});
