import { mongo } from 'mongoose';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector, type TestContext } from './support/test-app';

const OPERATOR_KEY = 'operator-key-for-tests-0123456789abcdef';
const operator = bearer(OPERATOR_KEY);
const INVALID_KEY = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Missing or invalid operator key',
};

interface OperatorOrganization {
  id: string;
  name: string;
  status: string;
  placement: string;
  cluster: string | null;
  records: number | null;
}

describe('operator API', () => {
  let t: TestContext;
  const orgs: CreatedOrganization[] = [];

  beforeAll(async () => {
    process.env.OPERATOR_API_KEY = OPERATOR_KEY;
    // Imported only now: the configuration module reads the environment when it is loaded.
    const { startTestApp } = await import('./support/test-app');
    t = await startTestApp();
    for (const records of [0, 1, 2]) {
      const org = await createOrganization(t.http);
      if (records > 0) {
        await t.http
          .post('/org/records/bulk')
          .set(bearer(org.token))
          .send({ records: Array.from({ length: records }, (_, n) => ({ n })) })
          .expect(200);
      }
      orgs.push(org);
    }
  });
  afterAll(() => t.close());

  it.each([
    ['no credentials', {}],
    ['a wrong key', bearer(`${OPERATOR_KEY}x`)],
    ['a key that is a prefix', bearer(OPERATOR_KEY.slice(0, 32))],
  ])('refuses %s with 401', async (_label, headers) => {
    const response = await t.http.get('/operator/organizations').set(headers).expect(401);
    expect(response.body).toEqual(INVALID_KEY);
  });

  it('refuses an admin token', async () => {
    const response = await t.http
      .get('/operator/organizations')
      .set(bearer(orgs[0].token))
      .expect(401);
    expect(response.body).toEqual(INVALID_KEY);
  });

  /** Every organization, two a page, checking the cursor of each page on the way. */
  async function listAll(): Promise<OperatorOrganization[]> {
    const listed: OperatorOrganization[] = [];
    let after: string | undefined;
    do {
      const page = await t.http
        .get('/operator/organizations')
        .query({ limit: 2, ...(after ? { after } : {}) })
        .set(operator)
        .expect(200);
      const items = page.body.items as OperatorOrganization[];
      expect(items.length).toBeLessThanOrEqual(2);
      after = page.body.next_cursor ?? undefined;
      if (after) expect(after).toBe(items[items.length - 1].id);
      listed.push(...items);
    } while (after);
    return listed;
  }

  const ours = (listed: OperatorOrganization[]) =>
    listed.filter((item) => orgs.some((org) => org.id === item.id));

  it('lists every organization with placement and record count, cursor-paged', async () => {
    const listed = await listAll();
    expect(listed.map((item) => item.id)).toEqual(listed.map((item) => item.id).sort());
    expect(ours(listed)).toEqual(
      orgs.map((org, records) => ({
        id: org.id,
        name: org.input.organization_name,
        status: 'active',
        placement: 'shared',
        cluster: null,
        records,
      })),
    );
  });

  it('shows a record without a placement as shared', async () => {
    await t.db.master
      .collection('organizations')
      .updateOne({ _id: new mongo.ObjectId(orgs[0].id) }, { $unset: { placement: '' } });
    expect(
      await t.db.master
        .collection('organizations')
        .findOne({ _id: new mongo.ObjectId(orgs[0].id) }),
    ).not.toHaveProperty('placement');
    expect(ours(await listAll())[0]).toMatchObject({ id: orgs[0].id, placement: 'shared' });
  });

  it('refuses a bad page request with 400', async () => {
    const response = await t.http
      .get('/operator/organizations')
      .query({ limit: 0, after: 'nope' })
      .set(operator)
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('documents the operator routes under their own tag and security scheme', async () => {
    const document = (await t.http.get('/docs-json').expect(200)).body;
    expect(document.components.securitySchemes['operator-key']).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const route of [
      document.paths['/operator/organizations'].get,
      document.paths['/operator/clusters'].get,
      document.paths['/operator/clusters'].post,
    ]) {
      expect(route.tags).toEqual(['operator']);
      expect(route.security).toEqual([{ 'operator-key': [] }]);
    }
    expect(Object.keys(document.paths['/operator/clusters'].post.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '404',
      '409',
      '422',
      '503',
    ]);
  });
});

describe('operator API without OPERATOR_API_KEY', () => {
  it('answers 404 as for an unknown route, whatever is sent', async () => {
    const names = isolatedDatabaseNames('nooperator');
    const service = await ServiceProcess.start(names, { OPERATOR_API_KEY: '' });
    try {
      for (const headers of [{}, operator]) {
        const response = await service.http.get('/operator/organizations').set(headers).expect(404);
        expect(response.body).toEqual({
          statusCode: 404,
          error: 'Not Found',
          message: 'Cannot GET /operator/organizations',
        });
      }
    } finally {
      await service.stop();
      const db = await DatabaseInspector.connect(undefined, names);
      await db.drop();
      await db.close();
    }
  });
});
