import {
  bearer,
  createOrganization,
  login,
  organizationInput,
  uniqueName,
} from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

describe('GET /org/get, PUT /org/update, DELETE /org/delete', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('GET /org/get', () => {
    it('shows the metadata to anyone, and the admin email only to its own admin', async () => {
      const org = await createOrganization(t.http);
      const other = await createOrganization(t.http);
      const name = org.input.organization_name;

      const anonymous = await t.http
        .get('/org/get')
        .query({ organization_name: name.toUpperCase() })
        .expect(200);
      expect(anonymous.body).toEqual({
        organization_id: org.id,
        organization_name: name,
        collection_name: `org_${name}`,
        status: 'active',
        admin: { id: org.adminId },
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });

      const asOwner = await t.http
        .get('/org/get')
        .query({ organization_name: name })
        .set(bearer(org.token))
        .expect(200);
      expect(asOwner.body.admin).toEqual({ id: org.adminId, email: org.input.email });

      const asStranger = await t.http
        .get('/org/get')
        .query({ organization_name: name })
        .set(bearer(other.token))
        .expect(200);
      expect(asStranger.body.admin).toEqual({ id: org.adminId });
    });

    it('answers 404 for an unknown organization', async () => {
      const name = uniqueName();
      const response = await t.http.get('/org/get').query({ organization_name: name }).expect(404);
      expect(response.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `Organization "${name}" was not found`,
      });
    });

    it.each([
      ['missing', '', 'organization_name is required'],
      [
        'repeated',
        'organization_name=aaa&organization_name=bbb',
        'organization_name must be a string',
      ],
      [
        'an operator',
        'organization_name[$ne]=x',
        'property organization_name[$ne] should not exist; organization_name is required',
      ],
      [
        'invalid',
        'organization_name=a.b',
        'organization_name must be 3 to 60 characters of ASCII letters, digits, _ or -, and must not begin with "system"',
      ],
    ])('answers 400 when the name is %s', async (_case, query, message) => {
      const response = await t.http.get(`/org/get?${query}`).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    });

    it('answers 401 when a bearer token is sent but is not valid', async () => {
      const org = await createOrganization(t.http);
      await t.http
        .get('/org/get')
        .query({ organization_name: org.input.organization_name })
        .set(bearer('forged'))
        .expect(401);
    });
  });

  describe('PUT /org/update: rename', () => {
    it('moves the collection with its documents and indexes, frees the old name, and keeps the token valid', async () => {
      const org = await createOrganization(t.http);
      const oldName = org.input.organization_name;
      const newName = uniqueName('renamed');
      const before = t.db.tenants.collection(`org_${oldName}`);
      await before.insertMany([
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ]);
      await before.createIndex({ sku: 1 }, { unique: true });

      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: newName })
        .expect(200);

      expect(response.body).toMatchObject({
        organization_id: org.id,
        organization_name: newName,
        collection_name: `org_${newName}`,
        status: 'active',
        admin: { id: org.adminId, email: org.input.email },
      });
      expect(await t.db.tenantCollectionExists(`org_${oldName}`)).toBe(false);
      const after = t.db.tenants.collection(`org_${newName}`);
      expect(
        await after
          .find({}, { projection: { _id: 0 } })
          .sort({ sku: 1 })
          .toArray(),
      ).toEqual([
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ]);
      expect((await after.indexes()).map((index) => index.name)).toContain('sku_1');
      expect(await t.db.organization(oldName)).toBeNull();
      expect(await t.db.organization(newName)).toMatchObject({
        location: { collectionName: `org_${newName}` },
      });

      await t.http
        .get('/org/get')
        .query({ organization_name: newName })
        .set(bearer(org.token))
        .expect(200);
      await t.http
        .post('/org/create')
        .send(organizationInput({ organization_name: oldName }))
        .expect(201);
    });

    it('accepts the current name with new_organization_name', async () => {
      const org = await createOrganization(t.http);
      const newName = uniqueName('renamed');
      await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({
          organization_name: org.input.organization_name.toUpperCase(),
          new_organization_name: newName,
        })
        .expect(200);
      expect(await t.db.tenantCollectionExists(`org_${newName}`)).toBe(true);
    });

    it('answers 409 for a name that is taken and leaves both organizations as they were', async () => {
      const org = await createOrganization(t.http);
      const other = await createOrganization(t.http);
      await t.db.tenants
        .collection(`org_${other.input.organization_name}`)
        .insertOne({ keep: true });

      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: other.input.organization_name })
        .expect(409);

      expect(response.body.message).toBe(
        `Organization name "${other.input.organization_name}" is already taken`,
      );
      expect(await t.db.organization(org.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.tenantCollectionExists(`org_${org.input.organization_name}`)).toBe(true);
      expect(
        await t.db.tenants
          .collection(`org_${other.input.organization_name}`)
          .countDocuments({ keep: true }),
      ).toBe(1);
    });

    it('answers 403 when organization_name names another organization, and renames nothing', async () => {
      const org = await createOrganization(t.http);
      const victim = await createOrganization(t.http);
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({
          organization_name: victim.input.organization_name,
          new_organization_name: uniqueName(),
        })
        .expect(403);

      expect(response.body).toEqual({
        statusCode: 403,
        error: 'Forbidden',
        message: 'organization_name does not name your organization',
      });
      expect(await t.db.organization(victim.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.organization(org.input.organization_name)).toMatchObject({
        status: 'active',
      });
    });

    it('treats a rename to the current name as a no-op', async () => {
      const org = await createOrganization(t.http);
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: org.input.organization_name.toUpperCase() })
        .expect(200);
      expect(response.body.organization_name).toBe(org.input.organization_name);
      expect(await t.db.tenantCollectionExists(`org_${org.input.organization_name}`)).toBe(true);
    });
  });

  describe('PUT /org/update: credentials', () => {
    it('changes the admin email', async () => {
      const org = await createOrganization(t.http);
      const email = `new-${org.input.email}`;
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ email: email.toUpperCase() })
        .expect(200);

      expect(response.body.admin).toEqual({ id: org.adminId, email });
      expect(await t.db.admin(org.input.email)).toBeNull();
      await login(t.http, email, org.input.password);
      await t.http
        .post('/admin/login')
        .send({ email: org.input.email, password: org.input.password })
        .expect(401);
    });

    it('answers 409 for an email another admin uses', async () => {
      const org = await createOrganization(t.http);
      const other = await createOrganization(t.http);
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ email: other.input.email })
        .expect(409);
      expect(response.body.message).toBe('An admin with this email already exists');
      expect((await t.db.admin(org.input.email))!._id.toString()).toBe(org.adminId);
    });

    it('keeps every token when the password sent is the current one', async () => {
      const org = await createOrganization(t.http);
      const newName = uniqueName();
      // What the assignment's clients send on every update: name, email and password.
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: newName, email: org.input.email, password: org.input.password })
        .expect(200);

      expect(response.body.organization_name).toBe(newName);
      expect(response.body).not.toHaveProperty('access_token');
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
      await t.http
        .get('/org/get')
        .query({ organization_name: newName })
        .set(bearer(org.token))
        .expect(200);
      await login(t.http, org.input.email, org.input.password);
    });

    it('changes the password, refuses every earlier token and answers with a fresh one', async () => {
      const org = await createOrganization(t.http);
      const password = 'a-brand-new-password';
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ email: org.input.email, password })
        .expect(200);

      expect(response.body).toMatchObject({
        organization_id: org.id,
        admin: { id: org.adminId, email: org.input.email },
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
      });
      const fresh = response.body.access_token as string;
      await t.http
        .get('/org/get')
        .query({ organization_name: org.input.organization_name })
        .set(bearer(fresh))
        .expect(200)
        .expect(({ body }) => expect(body.admin.email).toBe(org.input.email));

      await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ email: 'late@x.example' })
        .expect(401);
      await t.http
        .post('/admin/login')
        .send({ email: org.input.email, password: org.input.password })
        .expect(401);
      await login(t.http, org.input.email, password);
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 1 });
    });

    it.each([
      [
        'an empty body',
        {},
        'Send at least one of organization_name, new_organization_name, email or password',
      ],
      ['an unknown field', { role: 'superadmin' }, 'property role should not exist'],
      ['a null email', { email: null }, 'email is required'],
      ['a short password', { password: 'short' }, 'password must be at least 8 characters long'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const org = await createOrganization(t.http);
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send(body)
        .expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    });
  });

  describe('DELETE /org/delete', () => {
    it('drops the collection, removes the record and the admin, and ends login and tokens', async () => {
      const org = await createOrganization(t.http);
      const name = org.input.organization_name;
      await t.db.tenants.collection(`org_${name}`).insertOne({ doomed: true });

      const response = await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);

      expect(response.text).toBe('');
      expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(false);
      expect(await t.db.organization(name)).toBeNull();
      expect(await t.db.admin(org.input.email)).toBeNull();
      await t.http
        .post('/admin/login')
        .send({ email: org.input.email, password: org.input.password })
        .expect(401);
      await t.http.delete('/org/delete').set(bearer(org.token)).expect(401);
      await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ password: 'whatever-else' })
        .expect(401);
      await t.http.get('/org/get').query({ organization_name: name }).expect(404);
    });

    it('accepts its own name as confirmation in the query or the body', async () => {
      const first = await createOrganization(t.http);
      await t.http
        .delete('/org/delete')
        .query({ organization_name: first.input.organization_name })
        .set(bearer(first.token))
        .expect(204);
      const second = await createOrganization(t.http);
      await t.http
        .delete('/org/delete')
        .send({ organization_name: second.input.organization_name })
        .set(bearer(second.token))
        .expect(204);
      expect(await t.db.organization(first.input.organization_name)).toBeNull();
      expect(await t.db.organization(second.input.organization_name)).toBeNull();
    });

    it('answers 403 when asked to delete another organization, and deletes nothing', async () => {
      const org = await createOrganization(t.http);
      const victim = await createOrganization(t.http);
      await t.http
        .delete('/org/delete')
        .query({ organization_name: victim.input.organization_name })
        .set(bearer(org.token))
        .expect(403);

      expect(await t.db.organization(victim.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.organization(org.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.tenantCollectionExists(`org_${victim.input.organization_name}`)).toBe(true);
    });

    it('answers 401 without a token', async () => {
      const response = await t.http.delete('/org/delete').expect(401);
      expect(response.body.statusCode).toBe(401);
    });
  });
});
