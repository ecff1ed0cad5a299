import { mongo } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { OrganizationReconciler } from '../src/organization/lifecycle/organization-reconciler.service';
import {
  addMember,
  bearer,
  createOrganization,
  organizationInput,
  sessionIdOf,
  uniqueName,
  type CreatedOrganization,
} from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

interface AuditEntryBody {
  id: string;
  action: string;
  actor_id: string | null;
  target: Record<string, unknown> | null;
  organization_id: string | null;
  at: string;
  request_id: string | null;
  client_address: string | null;
}

const CLIENT = '203.0.113.7';

/** A request id of the test's own, sent as X-Request-Id and found again in the entry. */
const requestId = () => `audit-${randomBytes(6).toString('hex')}`;

describe('the audit trail', () => {
  let t: TestContext;
  beforeAll(async () => {
    // Express reads the client from X-Forwarded-For, so an entry's address can be asserted.
    t = await startTestApp({ trustProxy: true });
  });
  afterAll(() => t.close());

  const stored = () => t.db.master.collection('audit_entries');
  /** Stored entries as JSON: ids as hex strings, times as ISO strings. */
  const storedJson = async (filter: mongo.Filter<mongo.Document>) =>
    JSON.parse(JSON.stringify(await stored().find(filter).toArray())) as Record<string, unknown>[];

  /** Every entry of the caller's organization, newest first, read over the API. */
  async function trail(token: string): Promise<AuditEntryBody[]> {
    const { body } = await t.http.get('/org/audit?limit=100').set(bearer(token)).expect(200);
    return body.items as AuditEntryBody[];
  }

  /** The one entry of an action that a request (by its id) wrote. */
  async function entryOf(token: string, id: string, action: string): Promise<AuditEntryBody> {
    const found = (await trail(token)).filter(
      (entry) => entry.request_id === id && entry.action === action,
    );
    expect(found).toHaveLength(1);
    return found[0];
  }

  const from = (id: string) => ({ 'X-Request-Id': id, 'X-Forwarded-For': CLIENT });

  function expectEntry(
    entry: AuditEntryBody,
    expected: Partial<AuditEntryBody> & { request_id: string },
  ): void {
    expect(entry).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      client_address: CLIENT,
      actor_id: null,
      target: null,
      organization_id: null,
      action: expect.any(String),
      ...expected,
    });
    expect(Date.now() - new Date(entry.at).getTime()).toBeLessThan(60_000);
  }

  it('records the organization’s create, rename, email and password changes, and delete', async () => {
    const input = organizationInput();
    const createId = requestId();
    const created = await t.http.post('/org/create').set(from(createId)).send(input).expect(201);
    const organizationId: string = created.body.organization_id;
    const adminId: string = created.body.admin.id;
    const { body: session } = await t.http
      .post('/admin/login')
      .send({ email: input.email, password: input.password })
      .expect(200);

    const updateId = requestId();
    const newName = uniqueName();
    const newEmail = `${uniqueName('owner')}@audit.example`;
    const updated = await t.http
      .put('/org/update')
      .set(bearer(session.access_token))
      .set(from(updateId))
      .send({ organization_name: newName, email: newEmail, password: 'a-new-password-2' })
      .expect(200);
    const token: string = updated.body.access_token;

    const own = { actor_id: adminId, organization_id: organizationId };
    expectEntry(await entryOf(token, createId, 'organization.create'), {
      ...own,
      action: 'organization.create',
      request_id: createId,
      target: { type: 'organization', id: organizationId, name: input.organization_name },
    });
    expectEntry(await entryOf(token, updateId, 'organization.rename'), {
      ...own,
      action: 'organization.rename',
      request_id: updateId,
      target: { type: 'organization', id: organizationId, name: newName },
    });
    expectEntry(await entryOf(token, updateId, 'credentials.email_change'), {
      ...own,
      action: 'credentials.email_change',
      request_id: updateId,
      target: { type: 'admin', id: adminId, email: newEmail },
    });
    expectEntry(await entryOf(token, updateId, 'credentials.password_change'), {
      ...own,
      action: 'credentials.password_change',
      request_id: updateId,
      target: { type: 'admin', id: adminId },
    });

    // Deleting the organization keeps its trail, with who deleted it.
    const deleteId = requestId();
    await t.http.delete('/org/delete').set(bearer(token)).set(from(deleteId)).expect(204);
    expect(await t.db.organization(newName)).toBeNull();
    const kept = await storedJson({ organizationId: new mongo.ObjectId(organizationId) });
    expect(kept.map((entry) => entry.action).sort()).toEqual(
      [
        'auth.login.success',
        'credentials.email_change',
        'credentials.password_change',
        'organization.create',
        'organization.delete',
        'organization.rename',
      ].sort(),
    );
    expect(kept.find((entry) => entry.action === 'organization.delete')).toEqual({
      _id: expect.any(String),
      action: 'organization.delete',
      actorId: adminId,
      organizationId,
      at: expect.any(String),
      requestId: deleteId,
      clientAddress: CLIENT,
      target: { type: 'organization', id: organizationId, name: newName },
    });
  });

  it('records invitations, acceptance, revocation, role changes, removal and transfer', async () => {
    const org = await createOrganization(t.http);
    const own = { organization_id: org.id };
    const email = `${uniqueName('invitee')}@audit.example`;

    const inviteId = requestId();
    const invited = await t.http
      .post('/org/invitations')
      .set(bearer(org.token))
      .set(from(inviteId))
      .send({ email, role: 'admin' })
      .expect(201);
    const invitationId: string = invited.body.invitation_id;
    const acceptId = requestId();
    const accepted = await t.http
      .post('/invitations/accept')
      .set(from(acceptId))
      .send({ token: invited.body.token, password: 'member-password-1' })
      .expect(201);
    const memberId: string = accepted.body.admin_id;

    const pending = await t.http
      .post('/org/invitations')
      .set(bearer(org.token))
      .send({ email: `${uniqueName('pending')}@audit.example`, role: 'viewer' })
      .expect(201);
    const revokeId = requestId();
    await t.http
      .delete(`/org/invitations/${pending.body.invitation_id}`)
      .set(bearer(org.token))
      .set(from(revokeId))
      .expect(204);

    const roleId = requestId();
    await t.http
      .patch(`/org/members/${memberId}`)
      .set(bearer(org.token))
      .set(from(roleId))
      .send({ role: 'viewer' })
      .expect(200);
    const transferId = requestId();
    await t.http
      .post('/org/owner/transfer')
      .set(bearer(org.token))
      .set(from(transferId))
      .send({ admin_id: memberId })
      .expect(204);
    const other = await addMember(t.http, org.token, 'viewer');
    const removeId = requestId();
    await t.http
      .delete(`/org/members/${other.id}`)
      .set(bearer(org.token))
      .set(from(removeId))
      .expect(204);

    const byOwner = { ...own, actor_id: org.adminId };
    expectEntry(await entryOf(org.token, inviteId, 'member.invite'), {
      ...byOwner,
      action: 'member.invite',
      request_id: inviteId,
      target: { type: 'invitation', id: invitationId, email, role: 'admin' },
    });
    expectEntry(await entryOf(org.token, acceptId, 'member.accept'), {
      ...own,
      actor_id: memberId,
      action: 'member.accept',
      request_id: acceptId,
      target: { type: 'admin', id: memberId, email, role: 'admin' },
    });
    expectEntry(await entryOf(org.token, revokeId, 'member.revoke_invitation'), {
      ...byOwner,
      action: 'member.revoke_invitation',
      request_id: revokeId,
      target: {
        type: 'invitation',
        id: pending.body.invitation_id,
        email: pending.body.email,
        role: 'viewer',
      },
    });
    expectEntry(await entryOf(org.token, roleId, 'member.role_change'), {
      ...byOwner,
      action: 'member.role_change',
      request_id: roleId,
      target: { type: 'admin', id: memberId, email, role: 'viewer' },
    });
    expectEntry(await entryOf(org.token, transferId, 'member.transfer_ownership'), {
      ...byOwner,
      action: 'member.transfer_ownership',
      request_id: transferId,
      target: { type: 'admin', id: memberId, email, role: 'owner' },
    });
    expectEntry(await entryOf(org.token, removeId, 'member.remove'), {
      ...byOwner,
      action: 'member.remove',
      request_id: removeId,
      target: { type: 'admin', id: other.id, email: other.email },
    });
  });

  it('records logins per account, and a failure for an unknown email once, keeping nothing of it', async () => {
    const org = await createOrganization(t.http);
    const own = { organization_id: org.id };
    const successId = requestId();
    await t.http
      .post('/admin/login')
      .set(from(successId))
      .send({ email: org.input.email, password: org.input.password })
      .expect(200);
    const failureId = requestId();
    await t.http
      .post('/admin/login')
      .set(from(failureId))
      .send({ email: org.input.email, password: 'not-the-password' })
      .expect(401);
    const account = { type: 'admin', id: org.adminId, email: org.input.email };
    expectEntry(await entryOf(org.token, successId, 'auth.login.success'), {
      ...own,
      actor_id: org.adminId,
      action: 'auth.login.success',
      request_id: successId,
      target: account,
    });
    expectEntry(await entryOf(org.token, failureId, 'auth.login.failure'), {
      ...own,
      action: 'auth.login.failure',
      request_id: failureId,
      target: account,
    });

    const unknownId = requestId();
    const unknownEmail = `${uniqueName('nobody')}@audit.example`;
    await t.http
      .post('/admin/login')
      .set(from(unknownId))
      .send({ email: unknownEmail, password: 'whatever-password' })
      .expect(401);
    const anonymous = await storedJson({ requestId: unknownId });
    expect(anonymous).toEqual([
      {
        _id: expect.any(String),
        action: 'auth.login.failure',
        actorId: null,
        target: null,
        organizationId: null,
        at: expect.any(String),
        requestId: unknownId,
        clientAddress: CLIENT,
      },
    ]);
    expect(JSON.stringify(anonymous)).not.toContain(unknownEmail);
  });

  it('records logouts and refresh-token reuse', async () => {
    const org = await createOrganization(t.http);
    const login = () =>
      t.http
        .post('/admin/login')
        .send({ email: org.input.email, password: org.input.password })
        .expect(200);

    const { body: ended } = await login();
    const logoutId = requestId();
    await t.http
      .post('/admin/logout')
      .set(bearer(ended.access_token))
      .set(from(logoutId))
      .expect(204);
    expectEntry(await entryOf(org.token, logoutId, 'session.logout'), {
      organization_id: org.id,
      actor_id: org.adminId,
      action: 'session.logout',
      request_id: logoutId,
      target: { type: 'session', id: sessionIdOf(ended.access_token) },
    });

    const { body: first } = await login();
    await t.http.post('/admin/refresh').send({ refresh_token: first.refresh_token }).expect(200);
    const reuseId = requestId();
    await t.http
      .post('/admin/refresh')
      .set(from(reuseId))
      .send({ refresh_token: first.refresh_token })
      .expect(401);
    expectEntry(await entryOf(org.token, reuseId, 'session.refresh_reuse'), {
      organization_id: org.id,
      action: 'session.refresh_reuse',
      request_id: reuseId,
      target: { type: 'session', id: sessionIdOf(first.access_token) },
    });
  });

  it('records imports and bulk writes with their counts', async () => {
    const org = await createOrganization(t.http);
    const importId = requestId();
    await t.http
      .post('/org/import')
      .set(bearer(org.token))
      .set(from(importId))
      .set('Content-Type', 'application/x-ndjson')
      .send('{"sku":"a"}\n{"sku":"b"}\nnot json\n')
      .expect(200);
    expectEntry(await entryOf(org.token, importId, 'records.import'), {
      organization_id: org.id,
      actor_id: org.adminId,
      action: 'records.import',
      request_id: importId,
      target: { type: 'records', stored: 2, refused: 1 },
    });
    const bulkId = requestId();
    await t.http
      .post('/org/records/bulk')
      .set(bearer(org.token))
      .set(from(bulkId))
      .send({ records: [{ sku: 'c' }, { $bad: 1 }, { sku: 'd' }, { sku: 'e' }] })
      .expect(200);
    expectEntry(await entryOf(org.token, bulkId, 'records.bulk_create'), {
      organization_id: org.id,
      actor_id: org.adminId,
      action: 'records.bulk_create',
      request_id: bulkId,
      target: { type: 'records', stored: 3, refused: 1 },
    });
  });

  it('keeps entries AUDIT_RETENTION_DAYS: the reconciler sweeps older ones (FerretDB has no TTL)', async () => {
    const org = await createOrganization(t.http);
    const day = 86_400_000;
    const old = (days: number) => ({
      actorId: null,
      action: 'auth.login.failure',
      target: null,
      organizationId: new mongo.ObjectId(org.id),
      at: new Date(Date.now() - days * day),
      requestId: requestId(),
      clientAddress: null,
    });
    const expired = old(366);
    const kept = old(364);
    await stored().insertMany([expired, kept]);
    await t.app.get(OrganizationReconciler).runOnce();
    expect(await stored().countDocuments({ requestId: expired.requestId })).toBe(0);
    expect(await stored().countDocuments({ requestId: kept.requestId })).toBe(1);
    expect((await trail(org.token)).map((entry) => entry.action)).toContain('organization.create');
  });

  it('never stores a password, hash or token', async () => {
    const org = await createOrganization(t.http);
    const { body: session } = await t.http
      .post('/admin/login')
      .send({ email: org.input.email, password: org.input.password })
      .expect(200);
    const { body: next } = await t.http
      .post('/admin/refresh')
      .send({ refresh_token: session.refresh_token })
      .expect(200);
    await t.http.post('/admin/refresh').send({ refresh_token: session.refresh_token }).expect(401);
    await t.http
      .post('/admin/login')
      .send({ email: org.input.email, password: 'a-wrong-password-9' })
      .expect(401);
    const invited = await t.http
      .post('/org/invitations')
      .set(bearer(org.token))
      .send({ email: `${uniqueName('invitee')}@audit.example`, role: 'viewer' })
      .expect(201);
    await t.http
      .post('/invitations/accept')
      .send({ token: invited.body.token, password: 'member-password-7' })
      .expect(201);
    const changed = await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ password: 'a-changed-password-3' })
      .expect(200);
    const passwordHash = String((await t.db.admin(org.input.email))?.passwordHash);

    const everything = JSON.stringify(await stored().find().toArray());
    for (const secret of [
      org.input.password,
      'a-wrong-password-9',
      'member-password-7',
      'a-changed-password-3',
      passwordHash,
      org.token,
      session.access_token,
      session.refresh_token,
      next.refresh_token,
      changed.body.access_token,
      changed.body.refresh_token,
      invited.body.token,
      // The secret part of an opaque token, after its id.
      ...[session, next, changed.body].map(
        (pair: { refresh_token: string }) => pair.refresh_token.split('.')[1],
      ),
      invited.body.token.split('.')[1],
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  describe('GET /org/audit', () => {
    let org: CreatedOrganization;
    beforeAll(async () => {
      org = await createOrganization(t.http);
      for (let i = 0; i < 5; i += 1) {
        await t.http
          .post('/org/invitations')
          .set(bearer(org.token))
          .send({ email: `${uniqueName('page')}@audit.example`, role: 'viewer' })
          .expect(201);
      }
    });

    it('pages newest first with a cursor, and filters by action', async () => {
      const all = await trail(org.token);
      expect(all.map((entry) => entry.action)).toEqual([
        ...Array<string>(5).fill('member.invite'),
        'auth.login.success',
        'organization.create',
      ]);
      const pages: AuditEntryBody[][] = [];
      let after: string | null = null;
      do {
        const query: string = `/org/audit?limit=3${after ? `&after=${after}` : ''}`;
        const { body } = await t.http.get(query).set(bearer(org.token)).expect(200);
        pages.push(body.items);
        after = body.next_cursor;
      } while (after !== null);
      expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(all);

      const invites = await t.http
        .get('/org/audit?action=member.invite&limit=4')
        .set(bearer(org.token))
        .expect(200);
      expect(invites.body.items).toEqual(all.slice(0, 4));
      expect(invites.body.next_cursor).toBe(all[3].id);
      const rest = await t.http
        .get(`/org/audit?action=member.invite&after=${invites.body.next_cursor}`)
        .set(bearer(org.token))
        .expect(200);
      expect(rest.body).toEqual({ items: [all[4]], next_cursor: null });
    });

    it('refuses a bad action, cursor or limit with 400', async () => {
      const refused = await t.http
        .get('/org/audit?action=everything')
        .set(bearer(org.token))
        .expect(400);
      expect(refused.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringContaining('action must be one of: organization.create,'),
      });
      await t.http.get('/org/audit?after=nope').set(bearer(org.token)).expect(400);
      await t.http.get('/org/audit?limit=0').set(bearer(org.token)).expect(400);
    });

    it('is for owners and admins: a viewer gets 403', async () => {
      const admin = await addMember(t.http, org.token, 'admin');
      const viewer = await addMember(t.http, org.token, 'viewer');
      expect((await trail(admin.token)).length).toBeGreaterThan(0);
      const refused = await t.http.get('/org/audit').set(bearer(viewer.token)).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    });

    it('shows another organization’s admin nothing of this one', async () => {
      const other = await createOrganization(t.http);
      const theirs = await trail(other.token);
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.every((entry) => entry.organization_id === other.id)).toBe(true);
      expect(JSON.stringify(theirs)).not.toContain(org.id);
    });
  });

  it('answers 503 when its entry cannot be written, never passing silently', async () => {
    const org = await createOrganization(t.http);
    const id = requestId();
    const invite = () =>
      t.http
        .post('/org/invitations')
        .set(bearer(org.token))
        .set(from(id))
        .send({ email: `${uniqueName('invitee')}@audit.example`, role: 'viewer' });
    await invite().expect(201);
    // A unique index the service does not know makes the next entry of this request id and
    // action a write the database refuses: a real failed write, no mock.
    const index = await stored().createIndex(
      { requestId: 1, action: 1 },
      { unique: true, name: 'audit_test_refuses_duplicates' },
    );
    try {
      const failed = await invite().expect(503);
      expect(failed.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The audit trail could not be written; try again shortly',
      });
      expect(failed.headers['retry-after']).toBe('5');
    } finally {
      await stored().dropIndex(index);
    }
    expect(await stored().countDocuments({ requestId: id })).toBe(1);
  });
});
