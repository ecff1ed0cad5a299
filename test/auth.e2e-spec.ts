import { JwtService } from '@nestjs/jwt';
import { bearer, createOrganization, sessionIdOf } from './support/factories';
import { INVALID_CREDENTIALS, INVALID_TOKEN } from './support/expected-errors';
import { startTestApp, type TestContext } from './support/test-app';

describe('POST /admin/login and bearer tokens', () => {
  let t: TestContext;
  const signer = () => new JwtService({ secret: process.env.JWT_SECRET });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('issues an HS256 token carrying the admin id and the organization id', async () => {
    const org = await createOrganization(t.http);
    const response = await t.http
      .post('/admin/login')
      .send({ email: org.input.email.toUpperCase(), password: org.input.password })
      .expect(200);

    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/),
      refresh_expires_in: 30 * 86400,
      admin_id: org.adminId,
      organization_id: org.id,
    });
    const [header] = (response.body.access_token as string).split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    const claims = signer().verify(response.body.access_token, {
      issuer: 'org-management-service',
      audience: 'org-management-api',
    });
    expect(claims).toMatchObject({
      sub: org.adminId,
      org: org.id,
      ver: 0,
      sid: expect.any(String),
    });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('answers an unknown email and a wrong password with the same 401', async () => {
    const org = await createOrganization(t.http);
    const wrongPassword = await t.http
      .post('/admin/login')
      .send({ email: org.input.email, password: 'wrong-password' })
      .expect(401);
    const unknownEmail = await t.http
      .post('/admin/login')
      .send({ email: `nobody-${org.input.email}`, password: org.input.password })
      .expect(401);

    expect(wrongPassword.body).toEqual(INVALID_CREDENTIALS);
    expect(unknownEmail.body).toEqual(INVALID_CREDENTIALS);
  });

  it.each([
    ['no email', { password: 'whatever-password' }, 'email is required'],
    ['no password', { email: 'a@b.example' }, 'password is required'],
    [
      'an operator object as password',
      { email: 'a@b.example', password: { $gt: '' } },
      'password must be a string',
    ],
  ])('answers 400 for %s', async (_case, body, message) => {
    const response = await t.http.post('/admin/login').send(body).expect(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  describe('protected routes refuse', () => {
    let org: Awaited<ReturnType<typeof createOrganization>>;
    const claims = () => ({ sub: org.adminId, org: org.id, ver: 0, sid: sessionIdOf(org.token) });
    const standard = { issuer: 'org-management-service', audience: 'org-management-api' } as const;

    beforeAll(async () => {
      org = await createOrganization(t.http);
    });

    it.each([
      ['no token', () => ({})],
      ['a malformed token', () => bearer('not.a.jwt')],
      [
        'a token signed with another secret',
        () =>
          bearer(
            new JwtService({ secret: 'x'.repeat(48) }).sign(claims(), {
              ...standard,
              expiresIn: 60,
            }),
          ),
      ],
      [
        'an expired token',
        () =>
          bearer(signer().sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, standard)),
      ],
      ['a token without exp', () => bearer(signer().sign(claims(), standard))],
      [
        'a token for another audience',
        () =>
          bearer(
            signer().sign(claims(), { issuer: standard.issuer, audience: 'other', expiresIn: 60 }),
          ),
      ],
      [
        'a token with alg none',
        () =>
          bearer(
            `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims(), exp: 9999999999, iss: standard.issuer, aud: standard.audience })).toString('base64url')}.`,
          ),
      ],
    ])('%s with 401', async (_case, headers) => {
      const response = await t.http
        .put('/org/update')
        .set(headers())
        .send({ email: 'new@x.example' })
        .expect(401);
      expect(response.body).toEqual(INVALID_TOKEN);
      expect(await t.db.admin('new@x.example')).toBeNull();
    });
  });
});
