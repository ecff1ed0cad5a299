import { createOrganization, organizationInput } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const NAME_RULES =
  'organization_name must be 3 to 60 characters of ASCII letters, digits, _ or -, and must not begin with "system"';

describe('POST /org/create', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates the record, the admin and the tenant collection', async () => {
    const input = organizationInput();
    const response = await t.http.post('/org/create').send(input).expect(201);

    expect(response.body).toEqual({
      organization_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      organization_name: input.organization_name,
      collection_name: `org_${input.organization_name}`,
      status: 'active',
      admin: { id: expect.stringMatching(/^[0-9a-f]{24}$/), email: input.email },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const record = await t.db.organization(input.organization_name);
    expect(record).toMatchObject({
      status: 'active',
      location: {
        database: process.env.TENANT_DB_NAME,
        collectionName: `org_${input.organization_name}`,
      },
    });
    expect(record!._id.toString()).toBe(response.body.organization_id);
    expect(record!.adminId.toString()).toBe(response.body.admin.id);

    const admin = await t.db.admin(input.email);
    expect(admin!.organizationId.toString()).toBe(response.body.organization_id);
    expect(admin!.passwordHash).toMatch(/^\$2[ab]\$10\$/);
    expect(JSON.stringify(admin)).not.toContain(input.password);

    expect(await t.db.tenantCollectionExists(`org_${input.organization_name}`)).toBe(true);
  });

  it('stores the name trimmed and lowercase, and the email lowercase', async () => {
    const input = organizationInput();
    const response = await t.http
      .post('/org/create')
      .send({
        ...input,
        organization_name: `  ${input.organization_name.toUpperCase()} `,
        email: input.email.toUpperCase(),
      })
      .expect(201);

    expect(response.body.organization_name).toBe(input.organization_name);
    expect(response.body.admin.email).toBe(input.email);
    expect(await t.db.tenantCollectionExists(`org_${input.organization_name}`)).toBe(true);
  });

  it('answers 409 for a name that is taken, whatever its case, and changes nothing', async () => {
    const existing = await createOrganization(t.http);
    const input = organizationInput({
      organization_name: existing.input.organization_name.toUpperCase(),
    });
    const response = await t.http.post('/org/create').send(input).expect(409);

    expect(response.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: `Organization name "${existing.input.organization_name}" is already taken`,
    });
    expect(
      await t.db.master
        .collection('organizations')
        .countDocuments({ name: existing.input.organization_name }),
    ).toBe(1);
    expect(await t.db.admin(input.email)).toBeNull();
  });

  it('answers 409 for an email any admin already uses, and leaves no record or collection behind', async () => {
    const existing = await createOrganization(t.http);
    const input = organizationInput({ email: existing.input.email.toUpperCase() });
    const response = await t.http.post('/org/create').send(input).expect(409);

    expect(response.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'An admin with this email already exists',
    });
    expect(await t.db.organization(input.organization_name)).toBeNull();
    expect(await t.db.tenantCollectionExists(`org_${input.organization_name}`)).toBe(false);
  });

  it('answers 409 when a stray collection of that name holds documents, and keeps them', async () => {
    const input = organizationInput();
    const stray = t.db.tenants.collection(`org_${input.organization_name}`);
    await stray.insertOne({ stray: true });
    try {
      const response = await t.http.post('/org/create').send(input).expect(409);

      expect(response.body.message).toBe(
        `Organization name "${input.organization_name}" is already taken`,
      );
      expect(await stray.countDocuments({ stray: true })).toBe(1);
      expect(await t.db.organization(input.organization_name)).toBeNull();
      expect(await t.db.admin(input.email)).toBeNull();
      expect(
        await t.db.master
          .collection('organization_names')
          .countDocuments({ _id: input.organization_name } as object),
      ).toBe(0);
    } finally {
      await stray.drop();
    }
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'a'.repeat(61)],
    ['reserved prefix', 'system_users'],
    ['reserved prefix in capitals', 'SYSTEM-x'],
    ['a space', 'has space'],
    ['a dot', 'acme.sub'],
    ['a dollar sign', '$acme'],
    ['a NUL byte', 'acm\u0000e'],
    ['a Unicode look-alike', 'аcme'],
    ['an accent', 'naïve'],
  ])('answers 400 for a name with %s and creates nothing', async (_case, name) => {
    const input = organizationInput({ organization_name: name });
    const response = await t.http.post('/org/create').send(input).expect(400);

    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: NAME_RULES });
    expect(await t.db.admin(input.email)).toBeNull();
  });

  it.each([
    ['an operator object', { $ne: null }, 'organization_name must be a string'],
    ['a number', 123, 'organization_name must be a string'],
    ['null', null, 'organization_name is required'],
  ])('answers 400 for a name that is %s', async (_case, name, message) => {
    const response = await t.http
      .post('/org/create')
      .send({ ...organizationInput(), organization_name: name })
      .expect(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it.each([
    ['missing email', { email: undefined }, 'email is required'],
    ['invalid email', { email: 'not-an-email' }, 'email must be a valid email address'],
    ['missing password', { password: undefined }, 'password is required'],
    ['short password', { password: 'short' }, 'password must be at least 8 characters long'],
    // 37 two-byte characters: 37 characters but 74 bytes, which bcrypt would truncate.
    [
      'password over 72 bytes',
      { password: 'é'.repeat(37) },
      'password must be at most 72 bytes long (UTF-8)',
    ],
    ['unknown field', { role: 'owner' }, 'property role should not exist'],
  ])('answers 400 for %s', async (_case, overrides, message) => {
    const input = { ...organizationInput(), ...overrides };
    const response = await t.http.post('/org/create').send(input).expect(400);

    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
    expect(await t.db.organization(input.organization_name)).toBeNull();
  });

  it('accepts a password of exactly 72 bytes and logs in with it', async () => {
    const password = 'é'.repeat(36);
    const input = organizationInput({ password });
    await t.http.post('/org/create').send(input).expect(201);
    await t.http.post('/admin/login').send({ email: input.email, password }).expect(200);
  });
});
