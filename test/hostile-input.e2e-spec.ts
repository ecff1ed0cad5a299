import { mongo } from 'mongoose';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { exportRecords, importRecords } from './support/records';
import { startTestApp, type TestContext } from './support/test-app';

const { EJSON } = mongo.BSON;
const DEPTHS = [1, 10, 21, 22, 23, 100, 1_000, 3_000, 5_000, 20_000, 100_000];
/** `depth` levels of objects around a value, written as text (no recursion to build it). */
const nestedJson = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
const TOO_DEEP = {
  statusCode: 400,
  error: 'Bad Request',
  message: 'Request body nests objects and arrays too deeply',
};

/**
 * Inputs that once answered 500 (or broke a tenant's data for good). Each must get a
 * 4xx, or succeed, and change nothing it should not.
 */
describe('hostile input', () => {
  let t: TestContext;
  let org: CreatedOrganization;
  let recordId: string;
  const collection = () => t.db.tenants.collection(`org_${org.input.organization_name}`);

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t.http);
    const created = await t.http.post('/org/records').set(bearer(org.token)).send({ seed: 1 });
    recordId = created.body.id as string;
  });
  afterAll(() => t.close());

  const routes = () => [
    {
      method: 'post',
      path: '/admin/login',
      wrap: (v: string) => `{"email":"a@b.example","password":${v}}`,
    },
    { method: 'post', path: '/org/create', wrap: (v: string) => `{"organization_name":${v}}` },
    { method: 'put', path: '/org/update', wrap: (v: string) => `{"organization_name":${v}}` },
    { method: 'delete', path: '/org/delete', wrap: (v: string) => `{"confirm":${v}}` },
    { method: 'post', path: '/org/records', wrap: (v: string) => `{"x":${v}}` },
    { method: 'put', path: `/org/records/${recordId}`, wrap: (v: string) => `{"x":${v}}` },
    { method: 'patch', path: `/org/records/${recordId}`, wrap: (v: string) => `{"x":${v}}` },
    { method: 'post', path: '/org/records/bulk', wrap: (v: string) => `{"records":[{"x":${v}}]}` },
  ];

  it.each(DEPTHS)('answers every JSON route nested %i levels deep without a 5xx', async (depth) => {
    const before = await collection().find().toArray();
    for (const route of routes()) {
      const response = await t.http[route.method as 'post'](route.path)
        .set(bearer(org.token))
        .set('Content-Type', 'application/json')
        .send(route.wrap(nestedJson(depth)));
      expect({ route: route.path, status: response.status }).toEqual({
        route: route.path,
        status: expect.any(Number) as number,
      });
      expect(response.status).toBeLessThan(500);
      if (depth > 22) expect(response.body).toEqual(TOO_DEEP);
    }
    // Nothing deeper than a record may be stored was stored; the organization is intact.
    if (depth > 20) expect(await collection().find().toArray()).toEqual(before);
    const org2 = await t.http
      .get('/org/get')
      .query({ organization_name: org.input.organization_name });
    expect(org2.status).toBe(200);
  });

  it('answers a query string nested 1,000 levels deep without a 5xx', async () => {
    const key = 'organization_name' + '[a]'.repeat(1_000);
    const response = await t.http.get(`/org/get?${key}=x`);
    expect(response.status).toBe(400);
  });

  it('takes a record holding an array of 200,000 numbers, or refuses it with 400', async () => {
    const body = JSON.stringify({ numbers: Array.from({ length: 200_000 }, () => 1) });
    const one = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .set('Content-Type', 'application/json')
      .send(body);
    expect(one.status).toBe(400);
    expect(one.body.message).toMatch(/^a record must be at most 262144 bytes of JSON/);
    const bulk = await t.http
      .post('/org/records/bulk')
      .set(bearer(org.token))
      .set('Content-Type', 'application/json')
      .send(`{"records":[${body}]}`);
    expect(bulk.status).toBe(200);
    expect(bulk.body.refused).toHaveLength(1);
    const imported = await importRecords(t.http, org.token, `${body}\n`);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 0, refused: 1 });
  });

  it.each(['gzip', 'deflate'])(
    'answers 400 to a body labelled %s that is not',
    async (encoding) => {
      const response = await t.http
        .post('/org/records')
        .set(bearer(org.token))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"plain":true}');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Request body does not match its Content-Encoding',
      });
    },
  );

  it('stores keys Mongoose treats specially as plain data, and lists them', async () => {
    const created = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ isNew: false, toObject: 1, _doc: { a: 1 }, x: 1 })
      .expect(201);
    expect(created.body.data).toEqual({ isNew: false, toObject: 1, _doc: { a: 1 }, x: 1 });
    const stored = await collection().findOne({
      _id: new mongo.ObjectId(created.body.id as string),
    });
    expect(stored).toMatchObject({ isNew: false, toObject: 1, _doc: { a: 1 }, x: 1 });
    await t.http.get('/org/records').set(bearer(org.token)).expect(200);
    await t.http.get(`/org/records/${created.body.id}`).set(bearer(org.token)).expect(200);
    await t.http.get('/org/export').set(bearer(org.token)).expect(200);
    const refused = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ a: { _bsontype: 'ObjectId', id: 'x' } })
      .expect(400);
    expect(refused.body.message).toBe('field "a._bsontype" is a reserved name');
  });

  it('refuses, line by line, Extended JSON types the databases do not both store', async () => {
    const lines = [
      '{"ok":1}',
      '{"d":{"$numberDecimal":"1.5"}}',
      '{"c":{"$code":"function(){}"}}',
      '{"s":{"$symbol":"sym"}}',
      '{"min":{"$minKey":1}}',
      '{"max":{"$maxKey":1}}',
      '{"n":{"$numberDouble":"NaN"}}',
      '{"n":NaN}',
      '{"when":{"$date":{"$numberLong":"9223372036854775807"}}}',
      '{"_id":{"a":1}}',
      '{"createdAt":"yesterday"}',
      nestedJson(100_000),
      '{"ok":2}',
    ];
    const before = await collection().countDocuments();
    const response = await importRecords(t.http, org.token, lines.join('\n')).expect(200);
    expect(response.body).toEqual({
      imported: 2,
      refused: 11,
      problems: [
        { line: 2, message: 'field "d" has a type the database cannot store (Decimal128)' },
        { line: 3, message: 'field "c" has a type the database cannot store (Code)' },
        { line: 4, message: 'field "s" has a type the database cannot store (BSONSymbol)' },
        { line: 5, message: 'field "min" has a type the database cannot store (MinKey)' },
        { line: 6, message: 'field "max" has a type the database cannot store (MaxKey)' },
        { line: 7, message: 'field "n" must be a finite number' },
        { line: 8, message: 'not valid Extended JSON' },
        { line: 9, message: 'field "when" must be a date within ±275,000 years' },
        { line: 10, message: 'field "_id" must be an ObjectId' },
        { line: 11, message: 'field "createdAt" must be a date' },
        { line: 12, message: 'a record may nest objects and arrays at most 20 levels deep' },
      ],
      stopped_at_line: null,
    });
    expect(await collection().countDocuments()).toBe(before + 2);
    await t.http.get('/org/records').query({ limit: 100 }).set(bearer(org.token)).expect(200);
  });

  it('stops an import after too many refused lines, empty ones included', async () => {
    const before = await collection().countDocuments();
    const startedAt = Date.now();
    const response = await importRecords(
      t.http,
      org.token,
      '{"first":1}\n' + '\n'.repeat(2 * 1024 * 1024),
    ).expect(200);
    expect(response.body).toMatchObject({ imported: 1, refused: 1_001, stopped_at_line: 1_002 });
    expect(response.body.problems).toHaveLength(100);
    expect(response.body.problems[0]).toEqual({ line: 2, message: 'empty line' });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(await collection().countDocuments()).toBe(before + 1);
  });

  it('gives back every type both databases store, byte for byte, through export and import', async () => {
    const source = await createOrganization(t.http);
    const viaApi = await t.http
      .post('/org/records')
      .set(bearer(source.token))
      .send({ z: 1, a: 'text', m: { y: [1, 2.5, null, true] } })
      .expect(201);
    const typed = {
      _id: new mongo.ObjectId(),
      double: new mongo.Double(1.25),
      int: new mongo.Int32(-7),
      long: mongo.Long.fromString('9223372036854775807'),
      smallLong: mongo.Long.fromNumber(5),
      string: 'é',
      object: { nested: { deeper: 'yes' } },
      array: [new mongo.Int32(1), 'two', { three: 3 }],
      binary: new mongo.Binary(Buffer.from([0, 1, 2]), 0),
      uuid: new mongo.Binary(Buffer.alloc(16, 7), 4),
      id: new mongo.ObjectId(),
      yes: true,
      date: new Date('2024-05-06T07:08:09.010Z'),
      nothing: null,
      regex: new mongo.BSONRegExp('^a.c$', 'i'),
      timestamp: new mongo.Timestamp({ t: 1_700_000_000, i: 3 }),
      createdAt: new Date('2024-01-01T00:00:00.000Z'),
      updatedAt: new Date('2024-01-02T00:00:00.000Z'),
    };
    await importRecords(t.http, source.token, EJSON.stringify(typed, { relaxed: false })).expect(
      200,
    );
    const exportOf = async (token: string) => (await exportRecords(t.http, token)).body as string;
    const first = await exportOf(source.token);
    const copy = await createOrganization(t.http);
    const imported = await importRecords(t.http, copy.token, first).expect(200);
    expect(imported.body).toMatchObject({ imported: 2, refused: 0 });
    expect(await exportOf(copy.token)).toBe(first);
    expect(first).toContain(`"$oid":"${viaApi.body.id}"`);
    expect(first).toContain('"long":{"$numberLong":"9223372036854775807"}');
    expect(first).toContain('"smallLong":{"$numberLong":"5"}');

    const read = await t.http
      .get(`/org/records/${typed._id.toHexString()}`)
      .set(bearer(copy.token))
      .expect(200);
    expect(read.body.data).toMatchObject({
      long: { $numberLong: '9223372036854775807' },
      smallLong: 5,
      int: -7,
      date: { $date: '2024-05-06T07:08:09.010Z' },
      id: { $oid: typed.id.toHexString() },
    });
  });
});
