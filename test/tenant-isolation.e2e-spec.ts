import { mongo } from 'mongoose';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

interface Tenant {
  org: CreatedOrganization;
  ids: string[];
  secret: string;
}

/**
 * Two organizations; every records route called with one's token and the other's ids.
 * The answer is always 404 or a view of the caller's own data, never a byte of the
 * other's, and the other's collection is exactly as it was.
 */
describe('tenant isolation', () => {
  let t: TestContext;
  let a: Tenant;
  let b: Tenant;

  const collectionOf = (tenant: Tenant) =>
    t.db.tenants.collection(`org_${tenant.org.input.organization_name}`);
  const snapshot = async (tenant: Tenant) =>
    mongo.BSON.EJSON.stringify(
      await collectionOf(tenant)
        .find({}, { sort: { _id: 1 } })
        .toArray(),
    );

  async function seed(): Promise<Tenant> {
    const org = await createOrganization(t.http);
    const secret = `secret-of-${org.input.organization_name}`;
    const response = await t.http
      .post('/org/records/bulk')
      .set(bearer(org.token))
      .send({ records: [1, 2, 3].map((n) => ({ n, secret })) })
      .expect(200);
    return { org, secret, ids: response.body.stored.map((stored: { id: string }) => stored.id) };
  }

  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([seed(), seed()]);
  });
  afterAll(() => t.close());

  const attacks: [
    string,
    (caller: Tenant, victim: Tenant) => Promise<{ status: number; text: string }>,
    number[],
  ][] = [
    [
      'GET /org/records/:id',
      (caller, victim) => t.http.get(`/org/records/${victim.ids[0]}`).set(bearer(caller.org.token)),
      [404],
    ],
    [
      'PUT /org/records/:id',
      (caller, victim) =>
        t.http
          .put(`/org/records/${victim.ids[0]}`)
          .set(bearer(caller.org.token))
          .send({ hijacked: true }),
      [404],
    ],
    [
      'PATCH /org/records/:id',
      (caller, victim) =>
        t.http
          .patch(`/org/records/${victim.ids[1]}`)
          .set(bearer(caller.org.token))
          .send({ secret: null }),
      [404],
    ],
    [
      'DELETE /org/records/:id',
      (caller, victim) =>
        t.http.delete(`/org/records/${victim.ids[2]}`).set(bearer(caller.org.token)),
      [404],
    ],
    [
      'GET /org/records',
      (caller) =>
        t.http.get('/org/records').query({ include_total: true }).set(bearer(caller.org.token)),
      [200],
    ],
    [
      'GET /org/records?after=<victim id>',
      (caller, victim) =>
        t.http.get('/org/records').query({ after: victim.ids[0] }).set(bearer(caller.org.token)),
      [200],
    ],
    [
      'GET /org/records?organization_name=<victim>',
      (caller, victim) =>
        t.http
          .get('/org/records')
          .query({ organization_name: victim.org.input.organization_name })
          .set(bearer(caller.org.token)),
      [400],
    ],
    [
      'GET /org/export',
      (caller) => t.http.get('/org/export').set(bearer(caller.org.token)).buffer(true),
      [200],
    ],
    [
      'POST /org/import with a victim id',
      (caller, victim) =>
        t.http
          .post('/org/import')
          .set(bearer(caller.org.token))
          .set('Content-Type', 'application/x-ndjson')
          .send(
            mongo.BSON.EJSON.stringify({ _id: new mongo.ObjectId(victim.ids[0]), planted: true }),
          ),
      [200],
    ],
    [
      'POST /org/records',
      (caller) => t.http.post('/org/records').set(bearer(caller.org.token)).send({ planted: true }),
      [201],
    ],
    [
      'POST /org/records/bulk',
      (caller) =>
        t.http
          .post('/org/records/bulk')
          .set(bearer(caller.org.token))
          .send({ records: [{ planted: true }] }),
      [200],
    ],
  ];

  it.each(attacks)('%s never reaches the other organization', async (_route, attack, statuses) => {
    for (const [caller, victim] of [
      [a, b],
      [b, a],
    ]) {
      const before = await snapshot(victim);
      const response = await attack(caller, victim);

      expect(statuses).toContain(response.status);
      expect(response.text).not.toContain(victim.secret);
      // Any record id in the answer is the caller's own, or the one it asked about (a 404
      // names it exactly as it would name an id that exists nowhere).
      const callerIds = new Set(
        (
          await collectionOf(caller)
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((doc) => doc._id.toString()),
      );
      const named = response.text.match(/[0-9a-f]{24}/g) ?? [];
      for (const id of named) {
        if (response.status === 404 && victim.ids.includes(id)) continue;
        expect(callerIds.has(id) || id === caller.org.id || id === caller.org.adminId).toBe(true);
      }
      expect(await snapshot(victim)).toBe(before);
    }
  });
});
