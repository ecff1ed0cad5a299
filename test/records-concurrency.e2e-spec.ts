import { mongo } from 'mongoose';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const WRITERS = 20;
const STRONG_ETAG = /^"[0-9a-z]+"$/;

/** Real concurrency against the database: every acknowledged change takes effect. */
describe('concurrent record changes', () => {
  let t: TestContext;
  let org: CreatedOrganization;
  const collection = () => t.db.tenants.collection(`org_${org.input.organization_name}`);

  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(async () => {
    org = await createOrganization(t.http);
  });
  afterAll(() => t.close());

  const create = async (data: object) => {
    const response = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send(data)
      .expect(201);
    return { id: response.body.id as string, etag: response.headers.etag };
  };

  it(`keeps all of ${WRITERS} concurrent merge patches of different fields`, async () => {
    const { id } = await create({ base: true, nested: { keep: 1 } });
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, index) =>
        t.http
          .patch(`/org/records/${id}`)
          .set(bearer(org.token))
          .set('Content-Type', 'application/merge-patch+json')
          .send({ [`k${index}`]: index, nested: { [`n${index}`]: index } }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(WRITERS).fill(200));
    const etags = new Set(responses.map((response) => response.headers.etag));
    expect(etags.size).toBe(WRITERS);

    const stored = await collection().findOne({ _id: new mongo.ObjectId(id) });
    for (let index = 0; index < WRITERS; index += 1) {
      expect(stored).toHaveProperty(`k${index}`, index);
      expect(stored).toHaveProperty(`nested.n${index}`, index);
    }
    expect(stored).toHaveProperty('base', true);
    expect(stored).toHaveProperty('nested.keep', 1);
    const read = await t.http.get(`/org/records/${id}`).set(bearer(org.token)).expect(200);
    expect(Object.keys(read.body.data as object)).toHaveLength(WRITERS + 2);
  });

  it('answers every single-record change with a new strong ETag', async () => {
    const { id, etag: created } = await create({ a: 1 });
    const read = await t.http.get(`/org/records/${id}`).set(bearer(org.token)).expect(200);
    const replaced = await t.http
      .put(`/org/records/${id}`)
      .set(bearer(org.token))
      .set('If-Match', created)
      .send({ a: 2 })
      .expect(200);
    const patched = await t.http
      .patch(`/org/records/${id}`)
      .set(bearer(org.token))
      .set('If-Match', replaced.headers.etag)
      .send({ b: 3 })
      .expect(200);
    expect(created).toMatch(STRONG_ETAG);
    expect(read.headers.etag).toBe(created);
    expect(new Set([created, replaced.headers.etag, patched.headers.etag]).size).toBe(3);
    expect(patched.body.data).toEqual({ a: 2, b: 3 });
  });

  it(`lets exactly one of ${WRITERS} conditional writes of one version win; the rest get 412`, async () => {
    const { id, etag } = await create({ winner: null });
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, index) =>
        index % 2 === 0
          ? t.http
              .put(`/org/records/${id}`)
              .set(bearer(org.token))
              .set('If-Match', etag)
              .send({ winner: index })
          : t.http
              .patch(`/org/records/${id}`)
              .set(bearer(org.token))
              .set('If-Match', etag)
              .send({ winner: index }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, ...Array(WRITERS - 1).fill(412)]);
    const winner = responses.find((response) => response.status === 200)!;
    const stored = await collection().findOne({ _id: new mongo.ObjectId(id) });
    expect(stored?.winner).toBe(winner.body.data.winner);
    const refused = responses.find((response) => response.status === 412)!;
    expect(refused.body).toEqual({
      statusCode: 412,
      error: 'Precondition Failed',
      message: 'The record has changed since the version in If-Match; read it again and retry',
    });
  });

  it('refuses a stale If-Match with 412 and changes nothing, on PUT, PATCH and DELETE', async () => {
    const { id, etag: stale } = await create({ v: 1 });
    const current = await t.http
      .patch(`/org/records/${id}`)
      .set(bearer(org.token))
      .send({ v: 2 })
      .expect(200);
    const before = await collection().findOne({ _id: new mongo.ObjectId(id) });

    await t.http
      .put(`/org/records/${id}`)
      .set(bearer(org.token))
      .set('If-Match', stale)
      .send({ v: 9 })
      .expect(412);
    await t.http
      .patch(`/org/records/${id}`)
      .set(bearer(org.token))
      .set('If-Match', stale)
      .send({ v: 9 })
      .expect(412);
    await t.http
      .delete(`/org/records/${id}`)
      .set(bearer(org.token))
      .set('If-Match', stale)
      .expect(412);

    expect(await collection().findOne({ _id: new mongo.ObjectId(id) })).toEqual(before);
    await t.http
      .delete(`/org/records/${id}`)
      .set(bearer(org.token))
      .set('If-Match', current.headers.etag)
      .expect(204);
    expect(await collection().countDocuments({ _id: new mongo.ObjectId(id) })).toBe(0);
    expect(await t.db.master.collection('record_locks').countDocuments()).toBe(0);
  });

  it('documents ETag, If-Match and 412 in the OpenAPI document', async () => {
    const { body: document } = await t.http.get('/docs-json').expect(200);
    const operations = document.paths['/org/records/{id}'];
    for (const method of ['put', 'patch', 'delete']) {
      expect(operations[method].parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header' })]),
      );
      expect(operations[method].responses).toHaveProperty('412');
    }
    for (const method of ['get', 'put', 'patch']) {
      expect(operations[method].responses['200'].headers).toHaveProperty('ETag');
    }
  });
});
