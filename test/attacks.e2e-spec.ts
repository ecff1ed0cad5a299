import { JwtService } from '@nestjs/jwt';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { createHmac } from 'node:crypto';
import { Admin } from '../src/auth/schemas/admin.schema';
import {
  bearer,
  createOrganization,
  organizationInput,
  uniqueName,
  type CreatedOrganization,
  sessionIdOf,
} from './support/factories';
import { INVALID_CREDENTIALS, INVALID_TOKEN } from './support/expected-errors';
import {
  freshAddress,
  LOGIN_ACCOUNT_LIMIT,
  LOGIN_ADDRESS_LIMIT,
  LOGIN_BLOCK_SECONDS,
  spray,
  TOO_MANY,
} from './support/login-attempts';
import { startTestApp, type TestContext } from './support/test-app';

const ISSUER = 'org-management-service';
const AUDIENCE = 'org-management-api';
/** `{"a":{"a":...}}`, nested `depth` levels. */
const deeplyNested = (depth: number): object => {
  let value: object = {};
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
};
const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message });
const now = () => Math.floor(Date.now() / 1000);
const signer = () => new JwtService({ secret: process.env.JWT_SECRET });
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Signs any payload with the real secret, bypassing the claim checks of the JWT library. */
const signRaw = (payload: object) => {
  const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  const signature = createHmac('sha256', process.env.JWT_SECRET!).update(unsigned).digest();
  return `${unsigned}.${signature.toString('base64url')}`;
};

describe('Attacks', () => {
  let t: TestContext;

  beforeAll(async () => {
    // As if deployed behind a proxy on the same host (TRUST_PROXY=loopback): each test
    // sends its own X-Forwarded-For, so its login counters are its own.
    t = await startTestApp({ trustProxy: ['loopback'] });
  });
  afterAll(() => t.close());

  describe('forged and tampered tokens are refused and change nothing', () => {
    let org: CreatedOrganization;
    let other: CreatedOrganization;
    const claims = () => ({ sub: org.adminId, org: org.id, ver: 0, sid: sessionIdOf(org.token) });
    const standard = { issuer: ISSUER, audience: AUDIENCE } as const;

    beforeAll(async () => {
      org = await createOrganization(t.http);
      other = await createOrganization(t.http);
    });

    it.each<[string, () => string]>([
      [
        'alg none',
        () =>
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims(), iss: ISSUER, aud: AUDIENCE, exp: now() + 60 })}.`,
      ],
      [
        'HS512 with the right secret (algorithm not pinned)',
        () => signer().sign(claims(), { ...standard, expiresIn: 60, algorithm: 'HS512' }),
      ],
      [
        'a payload swapped under a valid signature',
        () => {
          const [header, , signature] = signer()
            .sign(claims(), { ...standard, expiresIn: 60 })
            .split('.');
          const forged = {
            ...claims(),
            org: other.id,
            iss: ISSUER,
            aud: AUDIENCE,
            exp: now() + 60,
          };
          return `${header}.${base64url(forged)}.${signature}`;
        },
      ],
      [
        'expiry 60 s ago (beyond the 5 s tolerance)',
        () => signer().sign({ ...claims(), exp: now() - 60 }, standard),
      ],
      [
        'not valid before 60 s from now',
        () => signer().sign({ ...claims(), nbf: now() + 60, exp: now() + 600 }, standard),
      ],
      ['no issuer', () => signer().sign(claims(), { audience: AUDIENCE, expiresIn: 60 })],
      [
        'another issuer',
        () => signer().sign(claims(), { issuer: 'evil', audience: AUDIENCE, expiresIn: 60 }),
      ],
      ['no audience', () => signer().sign(claims(), { issuer: ISSUER, expiresIn: 60 })],
      [
        'one admin with another organization',
        () => signer().sign({ ...claims(), org: other.id }, { ...standard, expiresIn: 60 }),
      ],
      [
        'an operator object as subject',
        () => signer().sign({ ...claims(), sub: { $ne: null } }, { ...standard, expiresIn: 60 }),
      ],
      [
        'a stale token version',
        () => signer().sign({ ...claims(), ver: -1 }, { ...standard, expiresIn: 60 }),
      ],
      [
        'an exp claim given as a string',
        () => signRaw({ ...claims(), iss: ISSUER, aud: AUDIENCE, exp: String(now() + 600) }),
      ],
    ])('%s', async (_case, token) => {
      const response = await t.http
        .put('/org/update')
        .set(bearer(token()))
        .send({ email: `moved-${org.input.email}` })
        .expect(401);

      expect(response.body).toEqual(INVALID_TOKEN);
      expect(await t.db.admin(`moved-${org.input.email}`)).toBeNull();
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
    });

    it('refuses a token sent in the query string instead of the header', async () => {
      const response = await t.http
        .put('/org/update')
        .query({ access_token: org.token })
        .send({ email: `moved-${org.input.email}` })
        .expect(401);
      expect(response.body).toEqual(INVALID_TOKEN);
      expect(await t.db.admin(org.input.email)).not.toBeNull();
    });

    it.each([
      ['expired 2 s ago', () => ({ exp: now() - 2 })],
      ['valid from 2 s from now', () => ({ nbf: now() + 2, exp: now() + 600 })],
    ])('accepts a token %s, within the 5 s clock tolerance', async (_case, times) => {
      const owner = await createOrganization(t.http);
      const token = signer().sign(
        { sub: owner.adminId, org: owner.id, ver: 0, sid: sessionIdOf(owner.token), ...times() },
        standard,
      );
      const newEmail = `skew-${owner.input.email}`;
      const response = await t.http
        .put('/org/update')
        .set(bearer(token))
        .send({ email: newEmail })
        .expect(200);
      expect(response.body.admin).toEqual({ id: owner.adminId, email: newEmail });
      expect(await t.db.admin(newEmail)).not.toBeNull();
    });

    it("refuses a deleted organization's token", async () => {
      const doomed = await createOrganization(t.http);
      await t.http.delete('/org/delete').set(bearer(doomed.token)).expect(204);
      const response = await t.http
        .put('/org/update')
        .set(bearer(doomed.token))
        .send({ email: `back-${doomed.input.email}` })
        .expect(401);
      expect(response.body).toEqual(INVALID_TOKEN);
      expect(await t.db.admin(`back-${doomed.input.email}`)).toBeNull();
      expect(await t.db.organization(doomed.input.organization_name)).toBeNull();
    });
  });

  describe('injection and prototype pollution are refused with 400 and store nothing', () => {
    it.each<[string, (input: Record<string, unknown>) => string | object, string]>([
      [
        'an operator object as organization_name',
        (input) => ({ ...input, organization_name: { $gt: '' } }),
        'organization_name must be a string',
      ],
      [
        'an operator object as email',
        (input) => ({ ...input, email: { $ne: null } }),
        'email must be a valid email address',
      ],
      [
        'a top-level __proto__ key',
        (input) => `{"__proto__":{"polluted":true},${JSON.stringify(input).slice(1)}`,
        'property __proto__ is not allowed',
      ],
      [
        'a nested __proto__ key',
        (input) => `{"profile":{"__proto__":{"polluted":true}},${JSON.stringify(input).slice(1)}`,
        'property __proto__ is not allowed',
      ],
      [
        'a constructor.prototype key',
        (input) => ({ ...input, constructor: { prototype: { polluted: true } } }),
        'property constructor is not allowed',
      ],
      [
        'a mass-assigned tokenVersion',
        (input) => ({ ...input, tokenVersion: 99 }),
        'property tokenVersion should not exist',
      ],
      [
        'a collection name with a dot (system.js)',
        (input) => ({ ...input, organization_name: 'system.js' }),
        'organization_name must be 3 to 60 characters of ASCII letters, digits, _ or -, and must not begin with "system"',
      ],
      [
        'a path-traversal name',
        (input) => ({ ...input, organization_name: '../admin' }),
        'organization_name must be 3 to 60 characters of ASCII letters, digits, _ or -, and must not begin with "system"',
      ],
      [
        'a NUL byte in the name',
        (input) => ({ ...input, organization_name: 'abc\u0000def' }),
        'organization_name must be 3 to 60 characters of ASCII letters, digits, _ or -, and must not begin with "system"',
      ],
      [
        'a CRLF in the email',
        (input) => ({ ...input, email: 'a@b.example\r\nBcc: c@d.example' }),
        'email must be a valid email address',
      ],
      [
        'a password over 72 bytes (bcrypt would truncate it)',
        (input) => ({ ...input, password: 'p'.repeat(73) }),
        'password must be at most 72 bytes long (UTF-8)',
      ],
    ])('POST /org/create with %s', async (_case, body, message) => {
      const input = organizationInput();
      const payload = body(input as unknown as Record<string, unknown>);
      const response = await t.http
        .post('/org/create')
        .set('Content-Type', 'application/json')
        .send(typeof payload === 'string' ? payload : JSON.stringify(payload))
        .expect(400);

      expect(response.body).toEqual(badRequest(message));
      expect(await t.db.organization(input.organization_name)).toBeNull();
      expect(await t.db.admin(input.email)).toBeNull();
      expect(await t.db.tenantCollectionExists(`org_${input.organization_name}`)).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['an operator in brackets', 'organization_name[$ne]=x'],
      ['a __proto__ key', '__proto__=x&organization_name=abc'],
      ['a regular expression', 'organization_name=.*'],
    ])('GET /org/get with %s answers 400', async (_case, query) => {
      const org = await createOrganization(t.http);
      const response = await t.http.get(`/org/get?${query}`).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(response.body)).not.toContain(org.input.email);
      expect(await t.db.organization(org.input.organization_name)).toMatchObject({
        status: 'active',
      });
    });

    it('PUT /org/update with a nested __proto__ changes nothing', async () => {
      const org = await createOrganization(t.http);
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .set('Content-Type', 'application/json')
        .send('{"email":"x@y.example","__proto__":{"tokenVersion":5}}')
        .expect(400);
      expect(response.body).toEqual(badRequest('property __proto__ is not allowed'));
      expect(await t.db.admin('x@y.example')).toBeNull();
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
    });

    it('never lets an operator reach the admins filter, even past the DTOs', async () => {
      const org = await createOrganization(t.http);
      const admins = t.app.get<Model<Admin>>(getModelToken(Admin.name));

      // sanitizeFilter wraps the operator in $eq: it is a literal, which is not a string.
      await expect(admins.findOne({ email: { $ne: null } }).lean()).rejects.toThrow(
        /Cast to string failed/,
      );
      await expect(admins.countDocuments({ email: { $gt: '' } })).rejects.toThrow(
        /Cast to string failed/,
      );
      expect(await admins.findOne({ email: org.input.email }).lean()).toMatchObject({
        email: org.input.email,
      });
      // strictQuery 'throw': an unknown path fails instead of being dropped (which would
      // widen the filter to every admin).
      await expect(admins.findOne({ emial: org.input.email }).lean()).rejects.toThrow(
        /not in schema/,
      );
    });
  });

  describe('one tenant cannot touch another', () => {
    it.each<[string, (me: CreatedOrganization, victim: CreatedOrganization) => Promise<unknown>]>([
      [
        'rename naming the victim as the current organization (403)',
        (me, victim) =>
          t.http
            .put('/org/update')
            .set(bearer(me.token))
            .send({
              organization_name: victim.input.organization_name,
              new_organization_name: uniqueName(),
            })
            .expect(403),
      ],
      [
        "delete confirming the victim's name in the query (403)",
        (me, victim) =>
          t.http
            .delete('/org/delete')
            .query({ organization_name: victim.input.organization_name })
            .set(bearer(me.token))
            .expect(403),
      ],
      [
        "delete confirming the victim's name in the body (403)",
        (me, victim) =>
          t.http
            .delete('/org/delete')
            .send({ organization_name: victim.input.organization_name })
            .set(bearer(me.token))
            .expect(403),
      ],
      [
        "taking the victim's admin email (409)",
        (me, victim) =>
          t.http
            .put('/org/update')
            .set(bearer(me.token))
            .send({ email: victim.input.email })
            .expect(409),
      ],
    ])('%s', async (_case, attack) => {
      const me = await createOrganization(t.http);
      const victim = await createOrganization(t.http);
      await attack(me, victim);

      expect(await t.db.organization(victim.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.admin(victim.input.email)).toMatchObject({ tokenVersion: 0 });
      expect(await t.db.organization(me.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.admin(me.input.email)).not.toBeNull();
      expect(await t.db.tenantCollectionExists(`org_${victim.input.organization_name}`)).toBe(true);
    });
  });

  describe('login guessing', () => {
    const loginFrom = (address: string, email: string, password: string) =>
      t.http.post('/admin/login').set('X-Forwarded-For', address).send({ email, password });

    it('answers an unknown email and a wrong password identically', async () => {
      const org = await createOrganization(t.http);
      const address = freshAddress();
      const wrong = await loginFrom(address, org.input.email, 'wrong-password').expect(401);
      const unknown = await loginFrom(address, `nobody-${org.input.email}`, 'x').expect(401);
      expect(wrong.body).toEqual(INVALID_CREDENTIALS);
      expect(unknown.body).toEqual(INVALID_CREDENTIALS);
      expect(Object.keys(wrong.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    });

    it(`blocks an account after ${LOGIN_ACCOUNT_LIMIT} attempts from any mix of addresses, even with the right password`, async () => {
      const org = await createOrganization(t.http);
      const bystander = await createOrganization(t.http);
      const email = org.input.email.toUpperCase(); // counted under its normalized form
      // The factory's login was the first attempt counted for this account.
      for (let attempt = 1; attempt < LOGIN_ACCOUNT_LIMIT; attempt += 1) {
        await loginFrom(freshAddress(), email, `guess-${attempt}`).expect(401);
      }

      const address = freshAddress();
      const blocked = await loginFrom(address, org.input.email, org.input.password).expect(429);
      expect(blocked.body).toEqual(TOO_MANY);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(LOGIN_BLOCK_SECONDS);
      expect(blocked.body).not.toHaveProperty('access_token');

      // Bounded: asking again while blocked does not push the end of the block further out.
      const again = await loginFrom(freshAddress(), org.input.email, 'x').expect(429);
      expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(retryAfter);

      // The block is the account's alone: the same address still logs another admin in.
      await loginFrom(address, bystander.input.email, bystander.input.password).expect(200);
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
      // Tokens issued before the attack keep working.
      await t.http
        .get('/org/get')
        .query({ organization_name: org.input.organization_name })
        .set(bearer(org.token))
        .expect(200);
    });

    it(`blocks an address after ${LOGIN_ADDRESS_LIMIT} attempts, whatever the accounts`, async () => {
      const org = await createOrganization(t.http);
      const address = freshAddress();
      await spray(
        () => loginFrom(address, `${uniqueName('spray')}@nowhere.example`, '').expect(400),
        LOGIN_ADDRESS_LIMIT,
      );

      const blocked = await loginFrom(address, org.input.email, org.input.password).expect(429);
      expect(blocked.body).toEqual(TOO_MANY);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // The account itself is not blocked: its admin logs in from elsewhere.
      await loginFrom(freshAddress(), org.input.email, org.input.password).expect(200);
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
    });
  });

  describe('mass assignment, nesting and by-id access', () => {
    it.each([
      ['_id', () => '665f1c2e8b3e4a0012345678'],
      ['organization_id', (victim: CreatedOrganization) => victim.id],
      ['admin_id', (victim: CreatedOrganization) => victim.adminId],
      ['passwordHash', () => '$2b$10$abcdefghijklmnopqrstuu1234567890123456789012345678901'],
      ['tokenVersion', () => 7],
      ['role', () => 'superadmin'],
      ['status', () => 'deleting'],
    ])('PUT /org/update refuses a mass-assigned %s and changes nothing', async (field, value) => {
      const [org, victim] = await Promise.all([
        createOrganization(t.http),
        createOrganization(t.http),
      ]);
      const response = await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ organization_name: uniqueName(), [field]: value(victim) })
        .expect(400);

      expect(response.body).toEqual(badRequest(`property ${field} should not exist`));
      for (const each of [org, victim]) {
        expect(await t.db.organization(each.input.organization_name)).toMatchObject({
          status: 'active',
        });
        expect(await t.db.admin(each.input.email)).toMatchObject({ tokenVersion: 0 });
      }
    });

    it('refuses to address another organization by id in the query or the body', async () => {
      const [org, victim] = await Promise.all([
        createOrganization(t.http),
        createOrganization(t.http),
      ]);
      await t.http
        .delete('/org/delete')
        .query({ organization_id: victim.id })
        .set(bearer(org.token))
        .expect(400);
      await t.http
        .delete('/org/delete')
        .send({ organization_id: victim.id })
        .set(bearer(org.token))
        .expect(400);
      await t.http
        .get('/org/get')
        .query({ organization_id: victim.id })
        .set(bearer(org.token))
        .expect(400);
      expect(await t.db.organization(victim.input.organization_name)).toMatchObject({
        status: 'active',
      });
      expect(await t.db.organization(org.input.organization_name)).toMatchObject({
        status: 'active',
      });
    });

    it.each([
      ['a deeply nested unknown property', () => ({ nest: deeplyNested(5_000) })],
      ['a deeply nested value in a known field', () => ({ email: deeplyNested(5_000) })],
    ])('answers %s with 400 and no crash', async (_case, extra) => {
      const input = organizationInput();
      const response = await t.http
        .post('/org/create')
        .send({ ...input, ...extra() })
        .expect(400);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'message', 'statusCode']);
      expect(await t.db.organization(input.organization_name)).toBeNull();
    });

    it.each([
      ['full-width letters', 'ＡＣＭＥ-corp'],
      ['a Cyrillic look-alike', 'асме-corp'],
      ['a zero-width space', 'acme​corp'],
      ['61 characters', 'x'.repeat(61)],
      ['a system. prefix', 'system.profile'],
      ['a dollar sign', 'acme$corp'],
    ])('refuses an organization name with %s', async (_case, name) => {
      const input = organizationInput({ organization_name: name });
      await t.http.post('/org/create').send(input).expect(400);
      expect(await t.db.admin(input.email)).toBeNull();
    });

    it('takes a name that differs only in case as the same name', async () => {
      const org = await createOrganization(t.http);
      const input = organizationInput({
        organization_name: org.input.organization_name.toUpperCase(),
      });
      await t.http.post('/org/create').send(input).expect(409);
      expect(await t.db.admin(input.email)).toBeNull();
    });

    it('never treats two passwords that differ only after byte 72 as equal', async () => {
      const password = 'k'.repeat(72);
      const org = await createOrganization(t.http, { password });
      const response = await t.http
        .post('/admin/login')
        .set('X-Forwarded-For', freshAddress())
        .send({ email: org.input.email, password: `${password}-but-longer` })
        .expect(400);
      expect(response.body).toEqual(badRequest('password must be at most 72 bytes long (UTF-8)'));
      await t.http
        .put('/org/update')
        .set(bearer(org.token))
        .send({ password: `${password}x` })
        .expect(400);
      expect(await t.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
    });

    it('never shows a stack trace or a driver message in an error', async () => {
      const org = await createOrganization(t.http);
      const answers = await Promise.all([
        t.http.post('/org/create').set('Content-Type', 'application/json').send('{"a":'),
        t.http
          .post('/org/create')
          .send(organizationInput({ organization_name: org.input.organization_name })),
        t.http.post('/org/create').send(organizationInput({ email: org.input.email })),
        t.http
          .put('/org/update')
          .set(bearer(`${org.token}x`))
          .send({ password: 'whatever-1234' }),
        t.http.get('/org/get').query({ organization_name: uniqueName() }),
        t.http.post('/org/create').send({ ...organizationInput(), email: deeplyNested(5_000) }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([400, 409, 409, 401, 404, 400]);
      for (const { body } of answers) {
        expect(Object.keys(body).sort()).toEqual(['error', 'message', 'statusCode']);
        expect(body.message).not.toMatch(
          /E11000|Mongo|BSON|SyntaxError|\bat \S+ \(|\.ts:\d+|node_modules/,
        );
      }
    });
  });

  describe('browser-facing hardening', () => {
    it('sends security headers and no CORS grant to a foreign origin', async () => {
      const org = await createOrganization(t.http);
      const preflight = await t.http
        .options('/org/update')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'PUT')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-headers']).toBeUndefined();

      const response = await t.http
        .get('/org/get')
        .query({ organization_name: org.input.organization_name })
        .set('Origin', 'https://evil.example')
        .expect(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain(
        'upgrade-insecure-requests',
      );
      expect(await t.db.organization(org.input.organization_name)).toMatchObject({
        status: 'active',
      });
    });
  });
});
