import { Types } from 'mongoose';
import { OrganizationReconciler } from '../src/organization/lifecycle/organization-reconciler.service';
import { bearer, createOrganization, uniqueName } from './support/factories';
import { labelValues, sampleSum } from './support/prometheus-text';
import type { TestContext } from './support/test-app';

const METRICS_TOKEN = 'metrics-token-for-the-e2e-suite';
const LOGIN_ACCOUNT_LIMIT = 3;

/**
 * `GET /metrics` after real traffic: every series the service defines is there, with the
 * values that traffic must have produced, and no label carries a name, id or email.
 */
describe('GET /metrics', () => {
  let t: TestContext;

  beforeAll(async () => {
    process.env.METRICS_TOKEN = METRICS_TOKEN;
    process.env.LOGIN_ACCOUNT_LIMIT = String(LOGIN_ACCOUNT_LIMIT);
    // Long enough that two requests in a row certainly reuse one tenant binding.
    process.env.TENANT_BINDING_TTL_MS = '10000';
    // Imported only now: the configuration module reads the environment when it is loaded.
    const { startTestApp } = await import('./support/test-app');
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function scrape(): Promise<string> {
    const response = await t.http.get('/metrics').set(bearer(METRICS_TOKEN)).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return response.text;
  }

  it('answers 401 without the metrics token or with another one', async () => {
    const refused = {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Missing or wrong metrics token',
    };
    await t.http.get('/metrics').expect(401, refused);
    await t.http
      .get('/metrics')
      .set(bearer(`${METRICS_TOKEN}x`))
      .expect(401, refused);
    await t.http.get('/metrics').set('Authorization', METRICS_TOKEN).expect(401, refused);
  });

  it('counts requests, database commands, hashing, bindings and lifecycle operations', async () => {
    const before = await scrape();
    const org = await createOrganization(t.http);
    await t.http.get('/org/records').set(bearer(org.token)).expect(200);
    await t.http.get('/org/records').set(bearer(org.token)).expect(200);
    await t.http.get('/no/such/route').expect(404);
    const newName = uniqueName('renamed');
    await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: newName })
      .expect(200);
    const taken = await createOrganization(t.http);
    await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: taken.input.organization_name })
      .expect(409);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    const requests = (method: string, route: string, status: string) =>
      delta('http_request_duration_seconds_count', { method, route, status });

    expect(requests('POST', '/org/create', '201')).toBe(2);
    expect(requests('POST', '/admin/login', '200')).toBe(2);
    expect(requests('GET', '/org/records', '200')).toBe(2);
    expect(requests('PUT', '/org/update', '200')).toBe(1);
    expect(requests('PUT', '/org/update', '409')).toBe(1);
    expect(requests('GET', 'unmatched', '404')).toBe(1);
    // The earlier scrape was answered before it was counted; this one is still in flight.
    expect(requests('GET', '/metrics', '200')).toBe(1);
    expect(sampleSum(after, 'http_requests_in_flight')).toBe(1);

    const commands = (command: string) =>
      delta('db_command_duration_seconds_count', { command, outcome: 'succeeded' });
    expect(commands('insert')).toBeGreaterThanOrEqual(2);
    expect(commands('find')).toBeGreaterThanOrEqual(2);
    expect(commands('renameCollection')).toBe(1);

    for (const name of ['password_hash_queue_wait_seconds', 'password_hash_duration_seconds']) {
      expect(delta(`${name}_count`, { operation: 'hash' })).toBe(2);
      expect(delta(`${name}_count`, { operation: 'compare' })).toBe(2);
    }
    expect(delta('password_hash_duration_seconds_sum', { operation: 'hash' })).toBeGreaterThan(0);

    // The first read binds the collection, the second reuses the binding, the rename drops it.
    expect(delta('tenant_binding_lookups_total', { result: 'miss' })).toBe(1);
    expect(delta('tenant_binding_lookups_total', { result: 'hit' })).toBe(1);
    expect(delta('tenant_binding_evictions_total', { reason: 'invalidated' })).toBe(1);

    const operations = (kind: string, outcome: string) =>
      delta('lifecycle_operations_total', { kind, outcome });
    expect(operations('create', 'completed')).toBe(2);
    expect(operations('rename', 'completed')).toBe(1);
    expect(operations('rename', 'refused')).toBe(1);

    const values = labelValues(after);
    for (const secret of [org.id, org.adminId, org.input.email, newName, taken.input.email]) {
      expect(values.has(secret)).toBe(false);
      expect(after).not.toContain(secret);
    }
  });

  it('counts login limiter blocks by limiter', async () => {
    const org = await createOrganization(t.http);
    const before = await scrape();
    const attempt = () =>
      t.http.post('/admin/login').send({ email: org.input.email, password: 'wrong-password!' });
    for (let index = 1; index < LOGIN_ACCOUNT_LIMIT; index += 1) await attempt().expect(401);
    await attempt().expect(429);
    await attempt().expect(429);
    const after = await scrape();

    const blocks = (limiter: string) =>
      sampleSum(after, 'rate_limit_blocks_total', { limiter }) -
      sampleSum(before, 'rate_limit_blocks_total', { limiter });
    expect(blocks('login-account')).toBe(2);
    expect(blocks('login-address')).toBe(0);
    expect(after).not.toContain(org.input.email);
  });

  it('counts reconciler passes and the repairs they make', async () => {
    const org = await createOrganization(t.http);
    const before = await scrape();
    expect(sampleSum(before, 'reconciler_passes_total', { outcome: 'completed' })).toBeGreaterThan(
      0,
    );
    // A delete abandoned an hour ago, as a crash would leave it.
    const _id = new Types.ObjectId(org.id);
    await t.db.master
      .collection('organizations')
      .updateOne({ _id }, { $set: { status: 'deleting', statusChangedAt: new Date(0) } });

    await t.app.get(OrganizationReconciler).runOnce();
    const after = await scrape();

    expect(await t.db.master.collection('organizations').findOne({ _id })).toBeNull();
    const delta = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(delta('reconciler_passes_total', { outcome: 'completed' })).toBe(1);
    expect(delta('reconciler_repairs_total', { kind: 'resumed_deleting' })).toBe(1);
  });
});
