import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_FILE = 'jwt-secret';

/**
 * Outside production the service must start with no configuration, and tokens should
 * survive a restart, so a random secret is generated once and kept beside the data.
 */
export function loadOrCreateDevelopmentSecret(dataDir: string): string {
  const logger = new Logger('Config');
  const file = join(dataDir, SECRET_FILE);
  try {
    const secret = readFileSync(file, 'utf8').trim();
    logger.warn(`JWT_SECRET is not set: using the development secret kept in ${file}`);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  logger.warn(`JWT_SECRET is not set: generated a development secret and kept it in ${file}`);
  return secret;
}
