import { createHash } from 'node:crypto';
import { mongo } from 'mongoose';
import { addMember, bearer, createOrganization, login, uniqueName } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const ENDED = {
  statusCode: 410,
  error: 'Gone',
  message: 'This invitation was already used or revoked',
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('invitations', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const invite = (token: string, email: string, role = 'viewer') =>
    t.http.post('/org/invitations').set(bearer(token)).send({ email, role });
  const accept = (token: string, password = 'member-password-1') =>
    t.http.post('/invitations/accept').send({ token, password });
  const invitationDoc = (id: string) =>
    t.db.master.collection('invitations').findOne({ _id: new mongo.ObjectId(id) });
  const freshEmail = () => `${uniqueName('invitee')}@members.example`;

  it('shows the token once, stores only its hash, and creates the member on acceptance', async () => {
    const org = await createOrganization(t.http);
    const email = freshEmail();
    const invited = await invite(org.token, ` ${email.toUpperCase()} `, 'admin').expect(201);
    expect(invited.body).toEqual({
      invitation_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      token: expect.stringMatching(/^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/),
      email,
      role: 'admin',
      invited_by: org.adminId,
      created_at: expect.any(String),
      expires_at: expect.any(String),
    });
    const ttl = Date.parse(invited.body.expires_at) - Date.parse(invited.body.created_at);
    expect(Math.abs(ttl - 7 * 86400 * 1000)).toBeLessThan(1000);

    const stored = await invitationDoc(invited.body.invitation_id);
    expect(stored).toMatchObject({ email, role: 'admin', tokenHash: sha256(invited.body.token) });
    expect(JSON.stringify(stored)).not.toContain(invited.body.token.split('.')[1]);

    const pending = await t.http.get('/org/invitations').set(bearer(org.token)).expect(200);
    expect(pending.body.invitations).toEqual([
      expect.objectContaining({ invitation_id: invited.body.invitation_id, email }),
    ]);

    const accepted = await accept(invited.body.token).expect(201);
    expect(accepted.body).toEqual({
      admin_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      organization_id: org.id,
      email,
      role: 'admin',
    });
    const admin = await t.db.admin(email);
    expect(admin).toMatchObject({ role: 'admin', organizationId: new mongo.ObjectId(org.id) });
    expect(await t.db.emailClaims(admin!._id)).toEqual([email]);
    await login(t.http, email, 'member-password-1');

    const after = await t.http.get('/org/invitations').set(bearer(org.token)).expect(200);
    expect(after.body.invitations).toEqual([]);
  });

  it('is single-use: a second acceptance gets 410 and creates nothing', async () => {
    const org = await createOrganization(t.http);
    const invited = await invite(org.token, freshEmail()).expect(201);
    await accept(invited.body.token).expect(201);
    const again = await accept(invited.body.token, 'another-password-2').expect(410);
    expect(again.body).toEqual(ENDED);
    const members = await t.db.master
      .collection('admins')
      .countDocuments({ organizationId: new mongo.ObjectId(org.id) });
    expect(members).toBe(2);
  });

  it('lets exactly one of concurrent acceptances of one token through', async () => {
    const org = await createOrganization(t.http);
    const email = freshEmail();
    const invited = await invite(org.token, email).expect(201);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) => accept(invited.body.token, `password-${index}-xx`)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 410, 410, 410, 410, 410]);
    expect(await t.db.master.collection('admins').countDocuments({ email })).toBe(1);
  });

  it('refuses an expired invitation with 410', async () => {
    const org = await createOrganization(t.http);
    const email = freshEmail();
    const invited = await invite(org.token, email).expect(201);
    await t.db.master
      .collection('invitations')
      .updateOne(
        { _id: new mongo.ObjectId(invited.body.invitation_id) },
        { $set: { expiresAt: new Date(Date.now() - 1000) } },
      );
    const expired = await accept(invited.body.token).expect(410);
    expect(expired.body.message).toBe('This invitation has expired');
    expect(await t.db.admin(email)).toBeNull();
    const pending = await t.http.get('/org/invitations').set(bearer(org.token)).expect(200);
    expect(pending.body.invitations).toEqual([]);
  });

  it('revokes: the token then gets 410, and a second revocation too', async () => {
    const org = await createOrganization(t.http);
    const email = freshEmail();
    const invited = await invite(org.token, email).expect(201);
    const id = invited.body.invitation_id as string;
    await t.http.delete(`/org/invitations/${id}`).set(bearer(org.token)).expect(204);
    expect(await accept(invited.body.token).expect(410)).toHaveProperty('body', ENDED);
    expect(await t.db.admin(email)).toBeNull();
    await t.http.delete(`/org/invitations/${id}`).set(bearer(org.token)).expect(410);
    const pending = await t.http.get('/org/invitations').set(bearer(org.token)).expect(200);
    expect(pending.body.invitations).toEqual([]);
  });

  it('answers 409 for an email that already belongs to an admin, at invitation and acceptance', async () => {
    const org = await createOrganization(t.http);
    const other = await createOrganization(t.http);
    const taken = await invite(org.token, other.input.email).expect(409);
    expect(taken.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'An admin with this email already exists',
    });

    const email = freshEmail();
    const first = await invite(org.token, email).expect(201);
    const second = await invite(other.token, email).expect(201);
    await accept(second.body.token).expect(201);
    await accept(first.body.token).expect(409);
    // The failed acceptance left the invitation open and the email with its holder.
    const holder = await t.db.admin(email);
    expect(holder!.organizationId).toEqual(new mongo.ObjectId(other.id));
    const pending = await t.http.get('/org/invitations').set(bearer(org.token)).expect(200);
    expect(pending.body.invitations.map((i: { email: string }) => i.email)).toEqual([email]);
  });

  it('answers 404 for a token that names no invitation or does not match its hash', async () => {
    const org = await createOrganization(t.http);
    const invited = await invite(org.token, freshEmail()).expect(201);
    const [id] = (invited.body.token as string).split('.');
    await accept(`${id}.${'A'.repeat(43)}`).expect(404);
    await accept(`${new mongo.ObjectId().toHexString()}.${'A'.repeat(43)}`).expect(404);
    await accept(invited.body.token).expect(201);
  });

  it('refuses bad input with 400', async () => {
    const org = await createOrganization(t.http);
    const badRole = await invite(org.token, freshEmail(), 'superuser').expect(400);
    expect(badRole.body.message).toBe('role must be one of: owner, admin, viewer');
    await invite(org.token, 'not-an-email').expect(400);
    await t.http
      .post('/org/invitations')
      .set(bearer(org.token))
      .send({ email: freshEmail(), role: 'viewer', organization_id: org.id })
      .expect(400);
    const malformed = await accept('abc').expect(400);
    expect(malformed.body.message).toBe('token is not an invitation token');
    const weak = await invite(org.token, freshEmail()).expect(201);
    await accept(weak.body.token, 'short').expect(400);
    await t.http.delete('/org/invitations/not-an-id').set(bearer(org.token)).expect(400);
  });

  it('lets admins invite and revoke admins and viewers, never owners', async () => {
    const org = await createOrganization(t.http);
    const admin = await addMember(t.http, org.token, 'admin');
    const refused = await invite(admin.token, freshEmail(), 'owner').expect(403);
    expect(refused.body.message).toBe('Only an owner may manage owners');
    const byOwner = await invite(org.token, freshEmail(), 'owner').expect(201);
    await t.http
      .delete(`/org/invitations/${byOwner.body.invitation_id}`)
      .set(bearer(admin.token))
      .expect(403);
    const byAdmin = await invite(admin.token, freshEmail(), 'admin').expect(201);
    await t.http
      .delete(`/org/invitations/${byAdmin.body.invitation_id}`)
      .set(bearer(admin.token))
      .expect(204);
    await accept(byOwner.body.token).expect(201);
  });

  it('keeps invitations of one organization out of reach of another', async () => {
    const a = await createOrganization(t.http);
    const b = await createOrganization(t.http);
    const invited = await invite(a.token, freshEmail()).expect(201);
    await t.http
      .delete(`/org/invitations/${invited.body.invitation_id}`)
      .set(bearer(b.token))
      .expect(404);
    const listed = await t.http.get('/org/invitations').set(bearer(b.token)).expect(200);
    expect(listed.body.invitations).toEqual([]);
    await accept(invited.body.token).expect(201);
  });

  it('are deleted with their organization, and then the token finds nothing', async () => {
    const org = await createOrganization(t.http);
    const invited = await invite(org.token, freshEmail()).expect(201);
    const used = await invite(org.token, freshEmail()).expect(201);
    await accept(used.body.token).expect(201);
    await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    const organizationId = new mongo.ObjectId(org.id);
    for (const collection of ['invitations', 'invitation_outcomes']) {
      expect(await t.db.master.collection(collection).countDocuments({ organizationId })).toBe(0);
    }
    await accept(invited.body.token).expect(404);
  });
});
