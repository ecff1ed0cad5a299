import { mongo } from 'mongoose';
import { INVALID_TOKEN } from './support/expected-errors';
import { bearer, createOrganization, type CreatedOrganization } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const MERGE_PATCH = 'application/merge-patch+json';

describe('Records: media types and envelopes', () => {
  let t: TestContext;
  let org: CreatedOrganization;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganization(t.http);
  });
  afterAll(() => t.close());

  const collection = () => t.db.tenants.collection(`org_${org.input.organization_name}`);

  async function storedRecord(document: object): Promise<string> {
    const created = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send(document)
      .expect(201);
    return created.body.id as string;
  }

  const storedData = (id: string) =>
    collection().findOne(
      { _id: new mongo.ObjectId(id) },
      { projection: { _id: 0, createdAt: 0, updatedAt: 0 } },
    );

  describe('PATCH /org/records/:id', () => {
    it.each([MERGE_PATCH, `${MERGE_PATCH}; charset=utf-8`, 'application/json'])(
      'reads a %s body as a JSON merge patch',
      async (contentType) => {
        const id = await storedRecord({ sku: 'w-1', qty: 4, dims: { w: 2, h: 3 } });
        const response = await t.http
          .patch(`/org/records/${id}`)
          .set(bearer(org.token))
          .set('Content-Type', contentType)
          .send(JSON.stringify({ qty: null, dims: { h: 5 }, colour: 'blue' }))
          .expect(200);

        const merged = { sku: 'w-1', dims: { w: 2, h: 5 }, colour: 'blue' };
        expect(response.body.data).toEqual(merged);
        expect(await storedData(id)).toEqual(merged);
      },
    );

    it.each([
      ['text/plain', '{"qty": 5}'],
      ['application/x-www-form-urlencoded', 'qty=5'],
      ['application/xml', '<qty>5</qty>'],
      ['application/json-patch+json', '[{"op": "replace", "path": "/qty", "value": 5}]'],
    ])('answers 415 for a %s body and changes nothing', async (contentType, body) => {
      const id = await storedRecord({ qty: 4 });
      const response = await t.http
        .patch(`/org/records/${id}`)
        .set(bearer(org.token))
        .set('Content-Type', contentType)
        .send(body)
        .expect(415);

      expect(response.body).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: `Send the patch as ${MERGE_PATCH} or application/json`,
      });
      expect(await storedData(id)).toEqual({ qty: 4 });
    });

    it('answers a malformed merge patch with the JSON parser error', async () => {
      const id = await storedRecord({ qty: 4 });
      const response = await t.http
        .patch(`/org/records/${id}`)
        .set(bearer(org.token))
        .set('Content-Type', MERGE_PATCH)
        .send('{"qty": ')
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Request body is not valid JSON',
      });
      expect(await storedData(id)).toEqual({ qty: 4 });
    });

    it('refuses prototype keys in a merge patch, as in any JSON body', async () => {
      const id = await storedRecord({ qty: 4 });
      const response = await t.http
        .patch(`/org/records/${id}`)
        .set(bearer(org.token))
        .set('Content-Type', MERGE_PATCH)
        .send('{"__proto__": {"polluted": true}}')
        .expect(400);

      expect(response.body.message).toBe('property __proto__ is not allowed');
      expect(await storedData(id)).toEqual({ qty: 4 });
    });

    it('answers 401 before looking at the media type', async () => {
      const id = await storedRecord({ qty: 4 });
      const response = await t.http
        .patch(`/org/records/${id}`)
        .set('Content-Type', 'text/plain')
        .send('qty')
        .expect(401);
      expect(response.body).toEqual(INVALID_TOKEN);
    });
  });

  describe('POST /org/records/bulk', () => {
    it('answers a bare array with one sentence that shows the envelope, and stores nothing', async () => {
      const before = await collection().countDocuments();
      const response = await t.http
        .post('/org/records/bulk')
        .set(bearer(org.token))
        .send([{ sku: 'a' }, { sku: 'b' }])
        .expect(400);

      expect(response.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message:
          'Send the records wrapped in an object: {"records": [{...}, {...}]}, not a bare array',
      });
      expect(await collection().countDocuments()).toBe(before);
    });

    it('answers 401 to a bare array without a token', async () => {
      const response = await t.http
        .post('/org/records/bulk')
        .send([{ sku: 'a' }])
        .expect(401);
      expect(response.body).toEqual(INVALID_TOKEN);
    });
  });
});
