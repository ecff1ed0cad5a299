import { createHash } from 'node:crypto';
import { mongo } from 'mongoose';
import { OrganizationReconciler } from '../src/organization/lifecycle/organization-reconciler.service';
import { INVALID_TOKEN } from './support/expected-errors';
import { addMember, bearer, createOrganization, sessionIdOf } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const INVALID_REFRESH = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Invalid, expired or revoked refresh token',
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Pair {
  access_token: string;
  refresh_token: string;
}

describe('sessions: refresh tokens, logout and revocation', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const logIn = async (email: string, password: string): Promise<Pair> =>
    (await t.http.post('/admin/login').send({ email, password }).expect(200)).body as Pair;
  const refresh = (refreshToken: string) =>
    t.http.post('/admin/refresh').send({ refresh_token: refreshToken });
  const records = (accessToken: string) => t.http.get('/org/records').set(bearer(accessToken));
  const session = (accessToken: string) =>
    t.db.master
      .collection('sessions')
      .findOne({ _id: new mongo.ObjectId(sessionIdOf(accessToken)) });

  it('stores only a hash of the refresh token, and rotates it on every use', async () => {
    const org = await createOrganization(t.http);
    const first = await logIn(org.input.email, org.input.password);
    const stored = await session(first.access_token);
    expect(stored).toMatchObject({
      adminId: new mongo.ObjectId(org.adminId),
      refreshHash: sha256(first.refresh_token),
    });
    expect(JSON.stringify(stored)).not.toContain(first.refresh_token.split('.')[1]);

    const second = await refresh(first.refresh_token).expect(200);
    expect(second.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
      refresh_expires_in: 30 * 86400,
      admin_id: org.adminId,
      organization_id: org.id,
    });
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(sessionIdOf(second.body.access_token)).toBe(sessionIdOf(first.access_token));
    await records(second.body.access_token).expect(200);
    const third = await refresh(second.body.refresh_token).expect(200);
    await records(third.body.access_token).expect(200);
  });

  it('ends the whole session when a rotated refresh token is used again', async () => {
    const org = await createOrganization(t.http);
    const first = await logIn(org.input.email, org.input.password);
    const second = (await refresh(first.refresh_token).expect(200)).body as Pair;

    const replay = await refresh(first.refresh_token).expect(401);
    expect(replay.body).toEqual(INVALID_REFRESH);
    expect(await session(first.access_token)).toBeNull();
    expect((await records(second.access_token).expect(401)).body).toEqual(INVALID_TOKEN);
    await records(first.access_token).expect(401);
    await refresh(second.refresh_token).expect(401);
    // Other sessions of the same admin are not affected.
    await records(org.token).expect(200);
  });

  it('lets one of two concurrent uses of a refresh token through, and ends the session', async () => {
    const org = await createOrganization(t.http);
    const pair = await logIn(org.input.email, org.input.password);
    const answers = await Promise.all([refresh(pair.refresh_token), refresh(pair.refresh_token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const winner = answers.find((answer) => answer.status === 200)!.body as Pair;
    await refresh(winner.refresh_token).expect(401);
    await records(winner.access_token).expect(401);
  });

  it('logout stops the session’s access and refresh tokens at once, and only that session', async () => {
    const org = await createOrganization(t.http);
    const pair = await logIn(org.input.email, org.input.password);
    await records(pair.access_token).expect(200);
    await t.http.post('/admin/logout').set(bearer(pair.access_token)).expect(204);
    expect((await records(pair.access_token).expect(401)).body).toEqual(INVALID_TOKEN);
    await refresh(pair.refresh_token).expect(401);
    expect(await session(pair.access_token)).toBeNull();
    await records(org.token).expect(200);
    await t.http.post('/admin/logout').expect(401);
  });

  it('lets a viewer log out too', async () => {
    const org = await createOrganization(t.http);
    const viewer = await addMember(t.http, org.token, 'viewer');
    await t.http.post('/admin/logout').set(bearer(viewer.token)).expect(204);
    await records(viewer.token).expect(401);
  });

  it('ends every session on a password change; the answer carries a new one', async () => {
    const org = await createOrganization(t.http);
    const other = await logIn(org.input.email, org.input.password);
    const changed = await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ password: 'a-new-password-1' })
      .expect(200);
    expect(changed.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    await records(other.access_token).expect(401);
    await refresh(other.refresh_token).expect(401);
    const sessions = await t.db.master
      .collection('sessions')
      .find({ adminId: new mongo.ObjectId(org.adminId) })
      .toArray();
    expect(sessions.map((s) => s._id.toString())).toEqual([sessionIdOf(changed.body.access_token)]);
    await records(changed.body.access_token).expect(200);
    await refresh(changed.body.refresh_token).expect(200);
  });

  it('ends every session of a removed member', async () => {
    const org = await createOrganization(t.http);
    const member = await addMember(t.http, org.token, 'admin');
    const pair = await logIn(member.email, member.password);
    await t.http.delete(`/org/members/${member.id}`).set(bearer(org.token)).expect(204);
    await refresh(pair.refresh_token).expect(401);
    await records(pair.access_token).expect(401);
    expect(
      await t.db.master
        .collection('sessions')
        .countDocuments({ adminId: new mongo.ObjectId(member.id) }),
    ).toBe(0);
  });

  it('deletes every session of a deleted organization', async () => {
    const org = await createOrganization(t.http);
    const pair = await logIn(org.input.email, org.input.password);
    await refresh(pair.refresh_token).expect(200);
    await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    const organizationId = new mongo.ObjectId(org.id);
    for (const collection of ['sessions', 'rotated_refresh_tokens']) {
      expect(await t.db.master.collection(collection).countDocuments({ organizationId })).toBe(0);
    }
  });

  it('refuses an expired session, and the reconciler sweeps it away', async () => {
    const org = await createOrganization(t.http);
    const pair = await logIn(org.input.email, org.input.password);
    await t.db.master
      .collection('sessions')
      .updateOne(
        { _id: new mongo.ObjectId(sessionIdOf(pair.access_token)) },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    expect((await refresh(pair.refresh_token).expect(401)).body).toEqual(INVALID_REFRESH);
    await t.app.get(OrganizationReconciler).runOnce();
    expect(await session(pair.access_token)).toBeNull();
    await records(pair.access_token).expect(401);
  });

  it('answers bad refresh requests with 400 and unknown tokens with 401', async () => {
    const missing = await t.http.post('/admin/refresh').send({}).expect(400);
    expect(missing.body.message).toBe('refresh_token is required');
    const malformed = await refresh('nope').expect(400);
    expect(malformed.body.message).toBe('refresh_token is not a refresh token');
    await refresh(`${new mongo.ObjectId().toHexString()}.${'A'.repeat(43)}`).expect(401);
    const org = await createOrganization(t.http);
    const pair = await logIn(org.input.email, org.input.password);
    const [id] = pair.refresh_token.split('.');
    await refresh(`${id}.${'B'.repeat(43)}`).expect(401);
    // A wrong secret is not reuse: the session lives on.
    await refresh(pair.refresh_token).expect(200);
  });
});
