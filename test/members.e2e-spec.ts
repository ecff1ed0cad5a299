import { mongo } from 'mongoose';
import { INVALID_TOKEN } from './support/expected-errors';
import { addMember, bearer, createOrganization } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

const LAST_OWNER = {
  statusCode: 409,
  error: 'Conflict',
  message: 'An organization keeps at least one owner; make another member owner first',
};

describe('organization members', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const roleIn = async (adminId: string): Promise<unknown> =>
    (await t.db.master.collection('admins').findOne({ _id: new mongo.ObjectId(adminId) }))?.role;
  const setRole = (token: string, adminId: string, role: string) =>
    t.http.patch(`/org/members/${adminId}`).set(bearer(token)).send({ role });

  it('lists every member with id, email, role and joining time; the creator is owner', async () => {
    const org = await createOrganization(t.http);
    const viewer = await addMember(t.http, org.token, 'viewer');
    const { body } = await t.http.get('/org/members').set(bearer(viewer.token)).expect(200);
    expect(body).toEqual({
      members: [
        { id: org.adminId, email: org.input.email, role: 'owner', joined_at: expect.any(String) },
        { id: viewer.id, email: viewer.email, role: 'viewer', joined_at: expect.any(String) },
      ],
    });
  });

  it('treats an admin stored without a role as an owner', async () => {
    const org = await createOrganization(t.http);
    await t.db.master
      .collection('admins')
      .updateOne({ _id: new mongo.ObjectId(org.adminId) }, { $unset: { role: '' } });
    const { body } = await t.http.get('/org/members').set(bearer(org.token)).expect(200);
    expect(body.members[0].role).toBe('owner');
    const viewer = await addMember(t.http, org.token, 'viewer');
    await setRole(org.token, viewer.id, 'admin').expect(200);
  });

  it('changes roles, and the new role applies to the member’s existing token', async () => {
    const org = await createOrganization(t.http);
    const member = await addMember(t.http, org.token, 'viewer');
    await t.http.post('/org/records').set(bearer(member.token)).send({ a: 1 }).expect(403);
    const changed = await setRole(org.token, member.id, 'admin').expect(200);
    expect(changed.body).toMatchObject({ id: member.id, role: 'admin' });
    expect(await roleIn(member.id)).toBe('admin');
    await t.http.post('/org/records').set(bearer(member.token)).send({ a: 1 }).expect(201);
    await setRole(org.token, member.id, 'viewer').expect(200);
    await t.http.post('/org/records').set(bearer(member.token)).send({ a: 2 }).expect(403);
  });

  it('kills a removed member’s token at once and frees its email', async () => {
    const org = await createOrganization(t.http);
    const member = await addMember(t.http, org.token, 'admin');
    await t.http.get('/org/records').set(bearer(member.token)).expect(200);
    await t.http.delete(`/org/members/${member.id}`).set(bearer(org.token)).expect(204);

    const refused = await t.http.get('/org/records').set(bearer(member.token)).expect(401);
    expect(refused.body).toEqual(INVALID_TOKEN);
    expect(await t.db.admin(member.email)).toBeNull();
    expect(await t.db.emailClaims(new mongo.ObjectId(member.id))).toEqual([]);
    await t.http
      .post('/admin/login')
      .send({ email: member.email, password: member.password })
      .expect(401);
    // The email can join again.
    await addMember(t.http, org.token, 'viewer', member.email);
  });

  it('never lets the last owner be demoted or removed, even by itself', async () => {
    const org = await createOrganization(t.http);
    const admin = await addMember(t.http, org.token, 'admin');
    expect((await setRole(org.token, org.adminId, 'admin').expect(409)).body).toEqual(LAST_OWNER);
    const removal = await t.http
      .delete(`/org/members/${org.adminId}`)
      .set(bearer(org.token))
      .expect(409);
    expect(removal.body).toEqual(LAST_OWNER);
    expect(await roleIn(org.adminId)).toBe('owner');

    // With a second owner, either may step down.
    await setRole(org.token, admin.id, 'owner').expect(200);
    await setRole(admin.token, org.adminId, 'viewer').expect(200);
    expect((await setRole(admin.token, admin.id, 'admin').expect(409)).body).toEqual(LAST_OWNER);
  });

  it('keeps an owner when two owners demote each other at the same time', async () => {
    const org = await createOrganization(t.http);
    const second = await addMember(t.http, org.token, 'owner');
    const answers = await Promise.all([
      setRole(org.token, second.id, 'admin'),
      setRole(second.token, org.adminId, 'admin'),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const roles = [await roleIn(org.adminId), await roleIn(second.id)].sort();
    expect(roles).toEqual(['admin', 'owner']);
  });

  it('lets admins manage admins and viewers but not owners', async () => {
    const org = await createOrganization(t.http);
    const admin = await addMember(t.http, org.token, 'admin');
    const viewer = await addMember(t.http, org.token, 'viewer');
    const owner = await addMember(t.http, org.token, 'owner');
    const forbidden = {
      statusCode: 403,
      error: 'Forbidden',
      message: 'Only an owner may manage owners',
    };
    expect((await setRole(admin.token, viewer.id, 'owner').expect(403)).body).toEqual(forbidden);
    await setRole(admin.token, owner.id, 'viewer').expect(403);
    await t.http.delete(`/org/members/${owner.id}`).set(bearer(admin.token)).expect(403);
    expect(await roleIn(owner.id)).toBe('owner');
    await setRole(admin.token, viewer.id, 'admin').expect(200);
    await t.http.delete(`/org/members/${viewer.id}`).set(bearer(admin.token)).expect(204);
  });

  it('transfers ownership: the member becomes owner, the caller admin', async () => {
    const org = await createOrganization(t.http);
    const viewer = await addMember(t.http, org.token, 'viewer');
    await t.http
      .post('/org/owner/transfer')
      .set(bearer(org.token))
      .send({ admin_id: viewer.id })
      .expect(204);
    expect(await roleIn(viewer.id)).toBe('owner');
    expect(await roleIn(org.adminId)).toBe('admin');
    await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ email: 'x@y.example' })
      .expect(403);
    const self = await t.http
      .post('/org/owner/transfer')
      .set(bearer(viewer.token))
      .send({ admin_id: viewer.id })
      .expect(400);
    expect(self.body.message).toBe('admin_id must name another member');
  });

  it('answers 404 for a member of another organization and 400 for a malformed id', async () => {
    const a = await createOrganization(t.http);
    const b = await createOrganization(t.http);
    const viewerOfA = await addMember(t.http, a.token, 'viewer');
    const notFound = await setRole(b.token, viewerOfA.id, 'admin').expect(404);
    expect(notFound.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Member ${viewerOfA.id} was not found`,
    });
    await t.http.delete(`/org/members/${viewerOfA.id}`).set(bearer(b.token)).expect(404);
    await t.http
      .post('/org/owner/transfer')
      .set(bearer(b.token))
      .send({ admin_id: viewerOfA.id })
      .expect(404);
    expect(await roleIn(viewerOfA.id)).toBe('viewer');
    const listed = await t.http.get('/org/members').set(bearer(b.token)).expect(200);
    expect(listed.body.members.map((m: { id: string }) => m.id)).toEqual([b.adminId]);

    await setRole(a.token, 'nope', 'admin').expect(400);
    await setRole(a.token, viewerOfA.id, 'root').expect(400);
    await t.http.post('/org/owner/transfer').set(bearer(a.token)).send({}).expect(400);
  });

  it('removes every member and releases every email claim when the organization is deleted', async () => {
    const org = await createOrganization(t.http);
    const admin = await addMember(t.http, org.token, 'admin');
    const viewer = await addMember(t.http, org.token, 'viewer');
    await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    const organizationId = new mongo.ObjectId(org.id);
    expect(await t.db.master.collection('admins').countDocuments({ organizationId })).toBe(0);
    expect(await t.db.master.collection('admin_emails').countDocuments({ organizationId })).toBe(0);
    for (const member of [admin, viewer]) {
      await t.http.get('/org/records').set(bearer(member.token)).expect(401);
    }
    // Their emails are free for a new organization.
    await createOrganization(t.http, { email: viewer.email });
  });
});
