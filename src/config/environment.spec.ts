import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  const secret = 's'.repeat(32);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'env-spec-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('fills in defaults and converts numbers and durations', () => {
    const environment = validateEnvironment({
      JWT_SECRET: secret,
      PORT: '8080',
      JWT_EXPIRES_IN: '15m',
    });
    expect(environment).toMatchObject({
      NODE_ENV: 'development',
      PORT: 8080,
      MASTER_DB_NAME: 'master',
      TENANT_DB_NAME: 'tenants',
      JWT_EXPIRES_IN: 900,
      BCRYPT_COST: 12,
    });
    expect(environment.MONGODB_URI).toBeUndefined();
  });

  it.each([
    ['3600', 3600],
    ['45s', 45],
    ['2h', 7200],
    ['1d', 86400],
  ])('reads JWT_EXPIRES_IN=%s as %i seconds', (value, seconds) => {
    expect(validateEnvironment({ JWT_SECRET: secret, JWT_EXPIRES_IN: value }).JWT_EXPIRES_IN).toBe(
      seconds,
    );
  });

  it('reads INVITATION_TTL as a duration, 7 days by default, at least a minute', () => {
    expect(validateEnvironment({ JWT_SECRET: secret }).INVITATION_TTL).toBe(7 * 86400);
    expect(validateEnvironment({ JWT_SECRET: secret, INVITATION_TTL: '12h' }).INVITATION_TTL).toBe(
      43200,
    );
    expect(() => validateEnvironment({ JWT_SECRET: secret, INVITATION_TTL: '30s' })).toThrow(
      'INVITATION_TTL must be at least one minute',
    );
    expect(() => validateEnvironment({ JWT_SECRET: secret, INVITATION_TTL: 'later' })).toThrow(
      'INVITATION_TTL must be a number of seconds or a duration like 12h, 7d',
    );
  });

  it('reads REFRESH_TTL as a duration, 30 days by default, at least a minute', () => {
    expect(validateEnvironment({ JWT_SECRET: secret }).REFRESH_TTL).toBe(30 * 86400);
    expect(validateEnvironment({ JWT_SECRET: secret, REFRESH_TTL: '1d' }).REFRESH_TTL).toBe(86400);
    expect(() => validateEnvironment({ JWT_SECRET: secret, REFRESH_TTL: '59' })).toThrow(
      'REFRESH_TTL must be at least one minute',
    );
  });

  it('keeps audit entries 365 days by default, a whole number of days from 1', () => {
    expect(validateEnvironment({ JWT_SECRET: secret }).AUDIT_RETENTION_DAYS).toBe(365);
    expect(
      validateEnvironment({ JWT_SECRET: secret, AUDIT_RETENTION_DAYS: '90' }).AUDIT_RETENTION_DAYS,
    ).toBe(90);
    expect(() => validateEnvironment({ JWT_SECRET: secret, AUDIT_RETENTION_DAYS: '0' })).toThrow(
      'AUDIT_RETENTION_DAYS must be at least 1',
    );
    expect(() => validateEnvironment({ JWT_SECRET: secret, AUDIT_RETENTION_DAYS: '1.5' })).toThrow(
      'AUDIT_RETENTION_DAYS must be a whole number of days',
    );
  });

  it('lists every problem at once', () => {
    expect(() =>
      validateEnvironment({
        JWT_SECRET: 'short',
        BCRYPT_COST: '8',
        MONGODB_URI: 'postgres://x',
        JWT_EXPIRES_IN: 'soon',
        MASTER_DB_NAME: 'a.b',
      }),
    ).toThrow(
      [
        'Invalid environment:',
        '  - MONGODB_URI must start with mongodb:// or mongodb+srv://',
        '  - MASTER_DB_NAME must be 1-38 letters, digits, _ or -',
        '  - JWT_SECRET must be at least 32 characters long',
        '  - JWT_EXPIRES_IN must be a number of seconds or a duration like 15m, 1h, 1d',
        '  - BCRYPT_COST must be at least 10 (4 with NODE_ENV=test)',
      ].join('\n'),
    );
  });

  it('refuses to start in production without a database URI or a JWT secret', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(
      'Invalid environment:\n  - MONGODB_URI is required in production\n  - JWT_SECRET is required in production',
    );
  });

  it('generates a development secret once and reuses it', () => {
    const first = validateEnvironment({ DATA_DIR: dataDir }).JWT_SECRET;
    const second = validateEnvironment({ DATA_DIR: dataDir }).JWT_SECRET;

    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first);
  });

  it('treats an empty MONGODB_URI as unset', () => {
    expect(
      validateEnvironment({ JWT_SECRET: secret, MONGODB_URI: '' }).MONGODB_URI,
    ).toBeUndefined();
  });

  it('defaults to no proxy trust, closed CORS and bounded login limits', () => {
    expect(validateEnvironment({ JWT_SECRET: secret })).toMatchObject({
      TRUST_PROXY: false,
      CORS_ORIGINS: [],
      LOGIN_ADDRESS_LIMIT: 100,
      LOGIN_ACCOUNT_LIMIT: 10,
      CREATE_ADDRESS_LIMIT: 20,
      LOGIN_WINDOW: 900,
      LOGIN_BLOCK: 900,
    });
  });

  it('hashes on every core and reuses token checks for one second by default', () => {
    expect(validateEnvironment({ JWT_SECRET: secret })).toMatchObject({
      BCRYPT_WORKERS: availableParallelism(),
      TOKEN_CHECK_TTL_MS: 1000,
    });
    expect(
      validateEnvironment({ JWT_SECRET: secret, TOKEN_CHECK_TTL_MS: '0', BCRYPT_WORKERS: '3' }),
    ).toMatchObject({ TOKEN_CHECK_TTL_MS: 0, BCRYPT_WORKERS: 3 });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, fd00::/8', ['10.0.0.0/8', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(validateEnvironment({ JWT_SECRET: secret, TRUST_PROXY: value }).TRUST_PROXY).toEqual(
      expected,
    );
  });

  it('reads CORS origins and login durations', () => {
    expect(
      validateEnvironment({
        JWT_SECRET: secret,
        CORS_ORIGINS: 'https://app.example, http://localhost:5173',
        LOGIN_WINDOW: '1m',
        LOGIN_BLOCK: '1h',
      }),
    ).toMatchObject({
      CORS_ORIGINS: ['https://app.example', 'http://localhost:5173'],
      LOGIN_WINDOW: 60,
      LOGIN_BLOCK: 3600,
    });
  });

  it('refuses a trust-everyone proxy setting, bad origins and unbounded blocks', () => {
    expect(() =>
      validateEnvironment({
        JWT_SECRET: secret,
        TRUST_PROXY: 'true',
        CORS_ORIGINS: '*',
        LOGIN_ACCOUNT_LIMIT: '0',
        CREATE_ADDRESS_LIMIT: '0',
        LOGIN_BLOCK: '2d',
        BCRYPT_WORKERS: '-1',
        TOKEN_CHECK_TTL_MS: '1.5',
      }),
    ).toThrow(
      [
        'Invalid environment:',
        '  - TRUST_PROXY must be false, a number of proxy hops, or proxy addresses, subnets, loopback, linklocal or uniquelocal',
        '  - CORS_ORIGINS must list origins like https://app.example',
        '  - CREATE_ADDRESS_LIMIT must be at least 1',
        '  - LOGIN_ACCOUNT_LIMIT must be at least 1',
        '  - LOGIN_BLOCK must be at most one day',
        '  - BCRYPT_WORKERS must not be less than 0',
        '  - TOKEN_CHECK_TTL_MS must be a whole number',
      ].join('\n'),
    );
  });

  it('places new organizations in the shared database unless DEFAULT_PLACEMENT says database', () => {
    expect(validateEnvironment({ JWT_SECRET: secret }).DEFAULT_PLACEMENT).toBe('shared');
    expect(
      validateEnvironment({ JWT_SECRET: secret, DEFAULT_PLACEMENT: 'database' }).DEFAULT_PLACEMENT,
    ).toBe('database');
    expect(() => validateEnvironment({ JWT_SECRET: secret, DEFAULT_PLACEMENT: 'cluster' })).toThrow(
      'Invalid environment:\n  - DEFAULT_PLACEMENT must be shared or database',
    );
  });

  it('enables the operator API only with a key of at least 32 characters', () => {
    expect(validateEnvironment({ JWT_SECRET: secret }).OPERATOR_API_KEY).toBeUndefined();
    expect(
      validateEnvironment({ JWT_SECRET: secret, OPERATOR_API_KEY: '' }).OPERATOR_API_KEY,
    ).toBeUndefined();
    expect(
      validateEnvironment({ JWT_SECRET: secret, OPERATOR_API_KEY: 'k'.repeat(32) })
        .OPERATOR_API_KEY,
    ).toBe('k'.repeat(32));
    expect(() => validateEnvironment({ JWT_SECRET: secret, OPERATOR_API_KEY: 'short' })).toThrow(
      'Invalid environment:\n  - OPERATOR_API_KEY must be at least 32 characters long',
    );
  });

  it('leaves the metrics endpoint closed unless a long enough METRICS_TOKEN is set', () => {
    expect(validateEnvironment({ JWT_SECRET: secret }).METRICS_TOKEN).toBeUndefined();
    expect(validateEnvironment({ JWT_SECRET: secret, METRICS_TOKEN: '' }).METRICS_TOKEN).toBe(
      undefined,
    );
    expect(
      validateEnvironment({ JWT_SECRET: secret, METRICS_TOKEN: 'm'.repeat(16) }).METRICS_TOKEN,
    ).toBe('m'.repeat(16));
    expect(() => validateEnvironment({ JWT_SECRET: secret, METRICS_TOKEN: 'short' })).toThrow(
      'Invalid environment:\n  - METRICS_TOKEN must be at least 16 characters long',
    );
  });

  it.each([
    ['development', '3', 'BCRYPT_COST must be at least 10 (4 with NODE_ENV=test)'],
    ['development', '9', 'BCRYPT_COST must be at least 10 (4 with NODE_ENV=test)'],
    ['test', '3', 'BCRYPT_COST must be at least 4'],
  ])('with NODE_ENV=%s refuses BCRYPT_COST=%s saying "%s" once', (NODE_ENV, cost, message) => {
    // An Error given to toThrow must match the whole message: the problem is listed once.
    expect(() => validateEnvironment({ JWT_SECRET: secret, NODE_ENV, BCRYPT_COST: cost })).toThrow(
      new Error(`Invalid environment:\n  - ${message}`),
    );
    expect(validateEnvironment({ JWT_SECRET: secret, NODE_ENV: 'test', BCRYPT_COST: '4' })).toEqual(
      expect.objectContaining({ BCRYPT_COST: 4 }),
    );
  });

  it('requires LIFECYCLE_LEASE_MS to be at least 4 × TENANT_BINDING_TTL_MS + 10 s', () => {
    expect(
      validateEnvironment({
        JWT_SECRET: secret,
        TENANT_BINDING_TTL_MS: '5000',
        LIFECYCLE_LEASE_MS: '30000',
      }),
    ).toMatchObject({ LIFECYCLE_LEASE_MS: 30_000, TENANT_BINDING_TTL_MS: 5_000 });
    expect(() =>
      validateEnvironment({
        JWT_SECRET: secret,
        TENANT_BINDING_TTL_MS: '5000',
        LIFECYCLE_LEASE_MS: '29999',
      }),
    ).toThrow(
      'Invalid environment:\n  - LIFECYCLE_LEASE_MS must be at least 4 × TENANT_BINDING_TTL_MS + ' +
        '10000 (30000 ms with TENANT_BINDING_TTL_MS=5000), or a rename could be taken over while ' +
        'it still runs; smaller values only with NODE_ENV=test',
    );
    // The defaults (a 30 s lease, 1 s bindings) pass; the largest TTL needs a longer lease.
    expect(() => validateEnvironment({ JWT_SECRET: secret })).not.toThrow();
    expect(() =>
      validateEnvironment({ JWT_SECRET: secret, TENANT_BINDING_TTL_MS: '10000' }),
    ).toThrow('(50000 ms with TENANT_BINDING_TTL_MS=10000)');
  });

  it('allows the crash tests a lease of 200 ms only with NODE_ENV=test', () => {
    const crashTestLease = { JWT_SECRET: secret, LIFECYCLE_LEASE_MS: '200' };
    expect(validateEnvironment({ ...crashTestLease, NODE_ENV: 'test' })).toMatchObject({
      LIFECYCLE_LEASE_MS: 200,
    });
    expect(() => validateEnvironment({ ...crashTestLease, NODE_ENV: 'development' })).toThrow(
      'LIFECYCLE_LEASE_MS must be at least',
    );
  });

  it('bounds imports, bulk writes and JSON bodies by default', () => {
    expect(validateEnvironment({ JWT_SECRET: secret })).toMatchObject({
      IMPORT_BATCH_BYTES: 8 * 1024 * 1024,
      IMPORT_MAX_REFUSED: 1000,
      BULK_WRITES_PER_ORGANIZATION: 2,
      BULK_WRITES_TOTAL: 8,
      JSON_BODY_BUDGET_MB: 32,
      TEST_WRITE_DELAY_MS: 0,
    });
  });

  it('refuses unbounded or test-only load settings', () => {
    expect(() =>
      validateEnvironment({
        JWT_SECRET: secret,
        IMPORT_BATCH_BYTES: String(64 * 1024 * 1024),
        BULK_WRITES_TOTAL: '0',
        TEST_WRITE_DELAY_MS: '100',
      }),
    ).toThrow(
      /IMPORT_BATCH_BYTES must not be greater than 33554432[\s\S]*BULK_WRITES_TOTAL must not be less than 1[\s\S]*TEST_WRITE_DELAY_MS may be set only when NODE_ENV=test/,
    );
  });

  it('reads encryption keys and cluster client settings', () => {
    const key = 'ab'.repeat(32);
    const previous = Buffer.alloc(32, 7).toString('base64');
    expect(
      validateEnvironment({
        JWT_SECRET: secret,
        DATA_ENCRYPTION_KEY: key,
        DATA_ENCRYPTION_PREVIOUS_KEYS: ` ${previous} `,
        CLUSTER_MAX_POOL_SIZE: '5',
      }),
    ).toMatchObject({
      DATA_ENCRYPTION_KEY: key,
      DATA_ENCRYPTION_PREVIOUS_KEYS: [previous],
      CLUSTER_MAX_POOL_SIZE: 5,
      CLUSTER_CLIENT_IDLE_MS: 300_000,
      CLUSTER_CLIENTS_MAX: 100,
    });
    expect(validateEnvironment({ JWT_SECRET: secret }).DATA_ENCRYPTION_KEY).toBeUndefined();
  });

  it('refuses encryption keys that are not 32 bytes, and a short client idle time', () => {
    expect(() =>
      validateEnvironment({
        JWT_SECRET: secret,
        DATA_ENCRYPTION_KEY: 'short',
        DATA_ENCRYPTION_PREVIOUS_KEYS: 'ab'.repeat(16),
        CLUSTER_CLIENT_IDLE_MS: '1000',
      }),
    ).toThrow(
      /DATA_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or as base64[\s\S]*DATA_ENCRYPTION_PREVIOUS_KEYS must be 32 bytes[\s\S]*CLUSTER_CLIENT_IDLE_MS must not be less than 30000/,
    );
  });
});
