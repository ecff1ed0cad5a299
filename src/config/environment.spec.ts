import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
        '  - BCRYPT_COST must be at least 10',
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
});
