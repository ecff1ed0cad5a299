import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/database/embedded-database';

declare global {
  var e2eDatabase: { database?: EmbeddedDatabase; dataDir?: string } | undefined;
}

/**
 * The e2e suites run against a real database: MONGODB_URI when it is set, otherwise an
 * embedded FerretDB in a temporary folder. Database names are unique per run, so a
 * shared server keeps other data apart.
 */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.BCRYPT_COST = '10';
  // Short tenant bindings keep renames and deletes (whose drain waits up to twice this) quick.
  process.env.TENANT_BINDING_TTL_MS ??= '250';
  // Suites create many organizations from one address; test/create-limits sets its own.
  process.env.CREATE_ADDRESS_LIMIT = '100000';
  process.env.JWT_SECRET = randomBytes(48).toString('base64url');
  process.env.MASTER_DB_NAME = `e2e_master_${run}`;
  process.env.TENANT_DB_NAME = `e2e_tenants_${run}`;

  if (process.env.MONGODB_URI) {
    globalThis.e2eDatabase = {};
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'org-service-e2e-'));
  process.env.DATA_DIR = dataDir;
  const database = await startEmbeddedDatabase(dataDir);
  process.env.MONGODB_URI = database.uri;
  globalThis.e2eDatabase = { database, dataDir };
}
