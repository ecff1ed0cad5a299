import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DatabaseInspector } from './support/test-app';
import { LOGIN_ACCOUNT_LIMIT, TOO_MANY } from './support/login-attempts';
import { requireRedisServer, startRedisServer, type RedisServer } from './support/redis-server';
import { eventually, isolatedDatabaseNames, ServiceProcess } from './support/service-process';

const LIMITS_UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'Rate limiting is unavailable; try again later',
};

/** With REDIS_URL, every instance counts login attempts in one place (issue 11). */
describe('login limits shared through Redis', () => {
  const password = randomBytes(12).toString('hex');
  let redis: RedisServer;
  let db: DatabaseInspector;
  let services: ServiceProcess[];

  beforeAll(async () => {
    requireRedisServer();
    redis = await startRedisServer(password);
    const names = isolatedDatabaseNames('limits');
    db = await DatabaseInspector.connect(undefined, names);
    const env = { REDIS_URL: `redis://:${password}@127.0.0.1:${redis.port}` };
    services = await Promise.all([
      ServiceProcess.start(names, env),
      ServiceProcess.start(names, env),
    ]);
  });
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await redis.stop();
    await db.drop();
    await db.close();
  });

  /** An attempt without a password: counted by the limiter, refused by validation, never hashed. */
  const attempt = (service: ServiceProcess, email: string) =>
    service.http.post('/admin/login').send({ email });

  it('blocks an account on every instance once the attempts on all of them reach the limit', async () => {
    const email = `shared-${randomBytes(4).toString('hex')}@example.com`;
    for (let sent = 0; sent < LOGIN_ACCOUNT_LIMIT; sent += 1) {
      await attempt(services[sent % 2], email).expect(400);
    }

    for (const service of services) {
      const blocked = await attempt(service, email).expect(429);
      expect(blocked.body).toEqual(TOO_MANY);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    }
    const client = new Redis({ port: redis.port, password });
    try {
      expect((await client.keys('*')).some((key) => key.endsWith(':blocked'))).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('refuses logins with 503 and Retry-After while Redis is away, and counts again when it returns', async () => {
    const email = `away-${randomBytes(4).toString('hex')}@example.com`;
    await redis.stop();

    const started = Date.now();
    const refused = await attempt(services[0], email).expect(503);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(refused.body).toEqual(LIMITS_UNAVAILABLE);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    redis = await startRedisServer(password, redis.port);
    await eventually(() => attempt(services[1], email).expect(400), 15_000);
  });

  it('never prints the Redis password', () => {
    const printed = services.flatMap((service) => service.output).join('\n');
    expect(printed).toContain('Redis unreachable');
    expect(printed).not.toContain(password);
  });
});
