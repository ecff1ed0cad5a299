import { ConfigService } from '@nestjs/config';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { ValidatedEnvironment } from '../config/environment';

/**
 * The HS256 secret as a `KeyObject`, made once at boot. Given a string, jsonwebtoken first
 * tries to parse it as a PEM public key on every verify (about 0.9 ms); a secret
 * `KeyObject` skips that (about 0.02 ms).
 */
export function jwtKey(config: ConfigService<ValidatedEnvironment, true>): KeyObject {
  return createSecretKey(config.get('JWT_SECRET', { infer: true }), 'utf8');
}
