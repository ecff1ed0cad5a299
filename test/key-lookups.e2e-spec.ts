import mongoose, { mongo } from 'mongoose';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import type { TestContext } from './support/test-app';

/** Operations whose first argument is a filter. */
const FILTERED = new Set(['find', 'findOne', 'countDocuments', 'findOneAndUpdate']);

interface Query {
  database: string;
  collection: string;
  method: string;
  filter: mongo.Filter<mongo.Document>;
}

/**
 * Every query a request path makes must be a key lookup, whatever the number of
 * organizations. The queries the service sends are recorded (through Mongoose's debug hook),
 * then each is explained: on FerretDB, whose SQLite handler pushes only an exact `_id`
 * filter down to SQLite, it must say `filterPushdown: true` and SQLite's plan must search the
 * `_id` index (see tools/ferretdb/patches.json); on MongoDB, its plan must not scan the
 * collection.
 */
describe('request paths use key lookups only', () => {
  let t: TestContext;
  let org: CreatedOrganization;
  let recordId: string;
  const recorded: Query[] = [];

  beforeAll(async () => {
    // Every request reads what it needs: no token check or tenant binding is reused.
    process.env.TOKEN_CHECK_TTL_MS = '0';
    process.env.TENANT_BINDING_TTL_MS = '50';
    // Imported only now: the configuration module reads the environment when it is loaded.
    const { startTestApp } = await import('./support/test-app');
    t = await startTestApp();
    org = await createOrganization(t.http);
    const created = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ sku: 'a' })
      .expect(201);
    recordId = created.body.id as string;
  });
  afterAll(async () => {
    mongoose.set('debug', false);
    await t.close();
  });

  async function queriesOf(send: () => Promise<unknown>): Promise<Query[]> {
    await new Promise((resolve) => setTimeout(resolve, 60)); // past the binding TTL
    recorded.length = 0;
    mongoose.set('debug', function (this: mongoose.Collection, collection, method, ...args) {
      if (!FILTERED.has(method)) return;
      recorded.push({
        database: this.conn.name,
        collection: collection,
        method: method,
        filter: args[0] as mongo.Filter<mongo.Document>,
      });
    });
    await send();
    mongoose.set('debug', false);
    return [...recorded];
  }

  async function expectKeyLookups(queries: Query[], expected: string[]): Promise<void> {
    expect(queries.map(({ collection }) => collection).sort()).toEqual(expected.sort());
    for (const query of queries) {
      const collection = t.db.client.db(query.database).collection(query.collection);
      const plan = await collection.find(query.filter).limit(1).explain();
      const described = `${query.method} ${query.collection} ${JSON.stringify(query.filter)}`;
      if ('filterPushdown' in plan) {
        expect({
          query: described,
          filterPushdown: plan.filterPushdown,
          sqlitePlan: JSON.stringify(plan.queryPlanner),
        }).toEqual({
          query: described,
          filterPushdown: true,
          sqlitePlan: expect.stringMatching(/SEARCH \S+ USING INDEX \S+__id_ /),
        });
      } else {
        expect({ query: described, plan: JSON.stringify(plan) }).toEqual({
          query: described,
          plan: expect.not.stringContaining('COLLSCAN'),
        });
      }
    }
  }

  it('GET /org/get: the name claim, then the organization', async () => {
    const queries = await queriesOf(() =>
      t.http.get('/org/get').query({ organization_name: org.input.organization_name }).expect(200),
    );
    await expectKeyLookups(queries, ['organization_names', 'organizations']);
  });

  it("GET /org/get by the organization's admin: the token check (session, admin) and the admin too", async () => {
    const queries = await queriesOf(() =>
      t.http
        .get('/org/get')
        .query({ organization_name: org.input.organization_name })
        .set(bearer(org.token))
        .expect(200),
    );
    await expectKeyLookups(queries, [
      'admins',
      'admins',
      'organization_names',
      'organizations',
      'sessions',
    ]);
  });

  it('POST /admin/login: the email claim, then the admin', async () => {
    const queries = await queriesOf(() =>
      t.http
        .post('/admin/login')
        .send({ email: org.input.email, password: org.input.password })
        .expect(200),
    );
    await expectKeyLookups(queries, ['admin_emails', 'admins']);
  });

  it('GET /org/records/:id: the token check (session, admin), the tenant binding and the record', async () => {
    const queries = await queriesOf(() =>
      t.http.get(`/org/records/${recordId}`).set(bearer(org.token)).expect(200),
    );
    await expectKeyLookups(queries, [
      'admins',
      'organizations',
      `org_${org.input.organization_name}`,
      'sessions',
    ]);
  });

  it('POST /org/records: the token check and the tenant binding', async () => {
    const queries = await queriesOf(() =>
      t.http.post('/org/records').set(bearer(org.token)).send({ sku: 'b' }).expect(201),
    );
    await expectKeyLookups(queries, ['admins', 'organizations', 'sessions']);
  });

  it('POST /admin/refresh: the session, then its admin', async () => {
    const { body } = await t.http
      .post('/admin/login')
      .send({ email: org.input.email, password: org.input.password })
      .expect(200);
    const queries = await queriesOf(() =>
      t.http.post('/admin/refresh').send({ refresh_token: body.refresh_token }).expect(200),
    );
    await expectKeyLookups(queries, ['admins', 'sessions']);
  });
});
