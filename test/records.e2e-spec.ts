import { mongo } from 'mongoose';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { exportRecords, importRecords } from './support/records';
import { startTestApp, type TestContext } from './support/test-app';

const { EJSON } = mongo.BSON;
/** An object nested `depth` levels: {"a":{"a":...{"a":1}}}. */
const nested = (depth: number): object => (depth === 1 ? { a: 1 } : { a: nested(depth - 1) });
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('records API', () => {
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

  it('stores, reads, replaces, patches and deletes one document', async () => {
    const created = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ sku: 'w-1', qty: 4, dims: { w: 2, h: 3 }, id: 'client-owned' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      data: { sku: 'w-1', qty: 4, dims: { w: 2, h: 3 }, id: 'client-owned' },
      created_at: expect.stringMatching(ISO_DATE),
      updated_at: expect.stringMatching(ISO_DATE),
    });
    const id = created.body.id as string;
    const stored = await collection().findOne({ _id: new mongo.ObjectId(id) });
    expect(stored).toMatchObject({
      sku: 'w-1',
      qty: 4,
      dims: { w: 2, h: 3 },
      createdAt: expect.any(Date),
    });

    await t.http.get(`/org/records/${id}`).set(bearer(org.token)).expect(200, created.body);

    const replaced = await t.http
      .put(`/org/records/${id}`)
      .set(bearer(org.token))
      .send({ sku: 'w-1b' })
      .expect(200);
    expect(replaced.body).toMatchObject({
      id,
      data: { sku: 'w-1b' },
      created_at: created.body.created_at,
    });

    const patched = await t.http
      .patch(`/org/records/${id}`)
      .set(bearer(org.token))
      .send({ sku: null, colour: 'blue', nested: { a: 1 } })
      .expect(200);
    expect(patched.body.data).toEqual({ colour: 'blue', nested: { a: 1 } });
    expect(
      await collection().findOne(
        { _id: new mongo.ObjectId(id) },
        { projection: { _id: 0, createdAt: 0, updatedAt: 0 } },
      ),
    ).toEqual({
      colour: 'blue',
      nested: { a: 1 },
    });

    await t.http.delete(`/org/records/${id}`).set(bearer(org.token)).expect(204);
    expect(await collection().countDocuments()).toBe(0);
    await t.http.get(`/org/records/${id}`).set(bearer(org.token)).expect(404);
    await t.http.delete(`/org/records/${id}`).set(bearer(org.token)).expect(404);
  });

  it('pages through every document in a stable order, with the total on request', async () => {
    await t.http
      .post('/org/records/bulk')
      .set(bearer(org.token))
      .send({ records: Array.from({ length: 45 }, (_, n) => ({ n })) })
      .expect(200);

    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number | boolean> = {
        limit: 20,
        include_total: pages === 0,
      };
      if (after) query.after = after;
      const page = await t.http.get('/org/records').query(query).set(bearer(org.token)).expect(200);
      if (pages === 0) expect(page.body.total).toBe(45);
      else expect(page.body.total).toBeUndefined();
      seen.push(...page.body.items.map((item: { data: { n: number } }) => item.data.n));
      after = page.body.next_cursor;
      pages += 1;
    } while (after);

    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 45 }, (_, n) => n));
  });

  it('stores the acceptable part of a bulk request and says why the rest was refused', async () => {
    const response = await t.http
      .post('/org/records/bulk')
      .set(bearer(org.token))
      .send({ records: [{ ok: 1 }, { $where: 'x' }, 'text', { ok: 2 }, { _id: 'mine' }] })
      .expect(200);

    expect(response.body.stored.map((s: { index: number }) => s.index)).toEqual([0, 3]);
    expect(response.body.refused).toEqual([
      { index: 1, message: `field "$where" must not start with '$'` },
      { index: 2, message: 'a record must be a JSON object' },
      { index: 4, message: 'field "_id" is set by the server' },
    ]);
    expect(await collection().countDocuments()).toBe(2);
  });

  it.each([
    ['an array', [1, 2], 'a record must be a JSON object'],
    ['a $-key', { $set: { a: 1 } }, `field "$set" must not start with '$'`],
    ['a dotted key', { 'a.b': 1 }, `field "a.b" must not contain '.'`],
    [
      'a quote in a key',
      { 'say "hi"': 1 },
      'field "say "hi"" must not contain double quotes, backslashes or control characters',
    ],
    [
      'a control character in a key',
      { 'bell\u0007': 1 },
      'field "bell\u0007" must not contain double quotes, backslashes or control characters',
    ],
    ['a server-owned field', { createdAt: '2020-01-01' }, 'field "createdAt" is set by the server'],
    [
      'too deep a document',
      nested(21),
      'a record may nest objects and arrays at most 20 levels deep',
    ],
  ])('answers 400 for %s and stores nothing', async (_case, body, message) => {
    const response = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send(body)
      .expect(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    expect(await collection().countDocuments()).toBe(0);
  });

  // FerretDB 1.x cannot store an array directly inside an array; MongoDB can. Either way
  // the answer is exact and the database agrees with it: never a 500, never a lost record.
  it('answers a record the database cannot store with 400, alone or within a bulk request', async () => {
    const single = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ grid: [[1, 2], [3]] });
    expect([201, 400]).toContain(single.status);
    if (single.status === 400) {
      expect(single.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'the database cannot store this record',
      });
    }

    const bulk = await t.http
      .post('/org/records/bulk')
      .set(bearer(org.token))
      .send({ records: [{ flat: 1 }, { grid: [[1]] }, { flat: 2 }] })
      .expect(200);
    const storedIndexes = bulk.body.stored.map((stored: { index: number }) => stored.index);
    expect(
      [
        ...storedIndexes,
        ...bulk.body.refused.map((refused: { index: number }) => refused.index),
      ].sort(),
    ).toEqual([0, 1, 2]);
    expect(storedIndexes).toEqual(expect.arrayContaining([0, 2]));
    for (const refused of bulk.body.refused)
      expect(refused).toEqual({ index: 1, message: 'the database cannot store this record' });
    expect(await collection().countDocuments()).toBe(
      (single.status === 201 ? 1 : 0) + storedIndexes.length,
    );
  });

  it('answers 400 for a document over 256 KB and for malformed ids and cursors', async () => {
    const big = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ text: 'x'.repeat(300 * 1024) })
      .expect(400);
    expect(big.body.message).toMatch(/^a record must be at most 262144 bytes of JSON/);
    const badId = await t.http.get('/org/records/not-an-id').set(bearer(org.token)).expect(400);
    expect(badId.body.message).toBe('id must be a record id (24 hexadecimal characters)');
    const badCursor = await t.http
      .get('/org/records')
      .query({ after: 'zzz' })
      .set(bearer(org.token))
      .expect(400);
    expect(badCursor.body.message).toBe('after must be a cursor returned by a previous page');
    const badLimit = await t.http
      .get('/org/records')
      .query({ limit: 101 })
      .set(bearer(org.token))
      .expect(400);
    expect(badLimit.body.message).toBe('limit must be at most 100');
    expect(await collection().countDocuments()).toBe(0);
  });

  it('exports NDJSON that, imported into an empty organization, gives back the same documents', async () => {
    const typed = [
      {
        _id: new mongo.ObjectId(),
        createdAt: new Date('2024-01-02T03:04:05.678Z'),
        updatedAt: new Date('2024-01-03T00:00:00.000Z'),
        when: new Date('1999-12-31T23:59:59.999Z'),
        big: mongo.Long.fromString('9007199254740993'),

        blob: new mongo.Binary(Buffer.from([1, 2, 3])),
        small: 7,
        ratio: 0.5,
        list: [1, 'two', null],
      },
      {
        _id: new mongo.ObjectId(),
        createdAt: new Date('2024-02-02T00:00:00.000Z'),
        updatedAt: new Date('2024-02-02T00:00:00.000Z'),
        name: 'plain',
      },
    ];
    const ndjson = typed.map((doc) => EJSON.stringify(doc, { relaxed: false })).join('\n') + '\n';
    const imported = await importRecords(t.http, org.token, ndjson).expect(200);
    expect(imported.body).toEqual({
      imported: 2,
      refused: 0,
      problems: [],
      stopped_at_line: null,
    });

    const exported = await exportRecords(t.http, org.token);
    expect(exported.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(exported.body).toBe(ndjson);

    const empty = await createOrganization(t.http);
    await importRecords(t.http, empty.token, exported.body).expect(200);
    const copy = await t.db.tenants
      .collection(`org_${empty.input.organization_name}`)
      .find({}, { sort: { _id: 1 } })
      .toArray();
    expect(copy.map((doc) => EJSON.stringify(doc, { relaxed: false })).join('\n') + '\n').toBe(
      ndjson,
    );
  });

  it('reports the lines an import refuses, and keeps the rest', async () => {
    const existing = new mongo.ObjectId();
    await collection().insertOne({ _id: existing, createdAt: new Date(), updatedAt: new Date() });
    const body = [
      '{"a":1}',
      'not json',
      EJSON.stringify({ _id: existing }),
      '{"$bad":1}',
      '',
      '{"b":2}',
    ].join('\n');
    const response = await importRecords(t.http, org.token, body).expect(200);
    expect(response.body).toEqual({
      imported: 2,
      refused: 4,
      problems: [
        { line: 2, message: 'not valid Extended JSON' },
        { line: 3, message: 'a record with this _id already exists' },
        { line: 4, message: `field "$bad" must not start with '$'` },
        { line: 5, message: 'empty line' },
      ],
      stopped_at_line: null,
    });
    expect(await collection().countDocuments()).toBe(3);
  });

  it('answers 415 for an import that is not NDJSON', async () => {
    await t.http.post('/org/import').set(bearer(org.token)).send({ a: 1 }).expect(415);
  });
});
