import { mongo } from 'mongoose';
import type { Test } from 'supertest';
import { addMember, bearer, createOrganization, uniqueName } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

type Role = 'owner' | 'admin' | 'viewer';
const ROLES: Role[] = ['owner', 'admin', 'viewer'];
const MANAGERS: Role[] = ['owner', 'admin'];

/** Ids in the target organization that a route acts on, made fresh for every cell. */
interface Target {
  recordId: string;
  viewerId: string;
  invitationId: string;
}

interface Route {
  /** `METHOD /path` as the OpenAPI document names it. */
  route: string;
  allowed: Role[];
  success: number;
  /** Whether the route names something of the target organization (so another one gets 404). */
  targeted: boolean;
  call(t: TestContext, token: string, target: Target): Test;
}

const json = (test: Test, body: object) => test.send(body);

const ROUTES: Route[] = [
  {
    route: 'PUT /org/update',
    allowed: ['owner'],
    success: 200,
    targeted: false,
    call: (t, token) =>
      json(t.http.put('/org/update').set(bearer(token)), {
        email: `${uniqueName('owner')}@matrix.example`,
      }),
  },
  {
    route: 'GET /org/members',
    allowed: ROLES,
    success: 200,
    targeted: false,
    call: (t, token) => t.http.get('/org/members').set(bearer(token)),
  },
  {
    route: 'PATCH /org/members/{admin_id}',
    allowed: MANAGERS,
    success: 200,
    targeted: true,
    call: (t, token, target) =>
      json(t.http.patch(`/org/members/${target.viewerId}`).set(bearer(token)), { role: 'admin' }),
  },
  {
    route: 'DELETE /org/members/{admin_id}',
    allowed: MANAGERS,
    success: 204,
    targeted: true,
    call: (t, token, target) => t.http.delete(`/org/members/${target.viewerId}`).set(bearer(token)),
  },
  {
    route: 'POST /org/invitations',
    allowed: MANAGERS,
    success: 201,
    targeted: false,
    call: (t, token) =>
      json(t.http.post('/org/invitations').set(bearer(token)), {
        email: `${uniqueName('invitee')}@matrix.example`,
        role: 'viewer',
      }),
  },
  {
    route: 'GET /org/invitations',
    allowed: MANAGERS,
    success: 200,
    targeted: false,
    call: (t, token) => t.http.get('/org/invitations').set(bearer(token)),
  },
  {
    route: 'DELETE /org/invitations/{id}',
    allowed: MANAGERS,
    success: 204,
    targeted: true,
    call: (t, token, target) =>
      t.http.delete(`/org/invitations/${target.invitationId}`).set(bearer(token)),
  },
  {
    route: 'POST /org/records',
    allowed: MANAGERS,
    success: 201,
    targeted: false,
    call: (t, token) => json(t.http.post('/org/records').set(bearer(token)), { sku: 'new' }),
  },
  {
    route: 'GET /org/records',
    allowed: ROLES,
    success: 200,
    targeted: false,
    call: (t, token) => t.http.get('/org/records').set(bearer(token)),
  },
  {
    route: 'POST /org/records/bulk',
    allowed: MANAGERS,
    success: 200,
    targeted: false,
    call: (t, token) =>
      json(t.http.post('/org/records/bulk').set(bearer(token)), { records: [{ sku: 'bulk' }] }),
  },
  {
    route: 'GET /org/records/{id}',
    allowed: ROLES,
    success: 200,
    targeted: true,
    call: (t, token, target) => t.http.get(`/org/records/${target.recordId}`).set(bearer(token)),
  },
  {
    route: 'PUT /org/records/{id}',
    allowed: MANAGERS,
    success: 200,
    targeted: true,
    call: (t, token, target) =>
      json(t.http.put(`/org/records/${target.recordId}`).set(bearer(token)), { sku: 'replaced' }),
  },
  {
    route: 'PATCH /org/records/{id}',
    allowed: MANAGERS,
    success: 200,
    targeted: true,
    call: (t, token, target) =>
      json(t.http.patch(`/org/records/${target.recordId}`).set(bearer(token)), { sku: 'patched' }),
  },
  {
    route: 'DELETE /org/records/{id}',
    allowed: MANAGERS,
    success: 204,
    targeted: true,
    call: (t, token, target) => t.http.delete(`/org/records/${target.recordId}`).set(bearer(token)),
  },
  {
    route: 'GET /org/export',
    allowed: ROLES,
    success: 200,
    targeted: false,
    call: (t, token) => t.http.get('/org/export').set(bearer(token)),
  },
  {
    route: 'POST /org/import',
    allowed: MANAGERS,
    success: 200,
    targeted: false,
    call: (t, token) =>
      t.http
        .post('/org/import')
        .set(bearer(token))
        .set('Content-Type', 'application/x-ndjson')
        .send('{"sku":"imported"}\n'),
  },
  {
    route: 'GET /org/audit',
    allowed: MANAGERS,
    success: 200,
    targeted: false,
    call: (t, token) => t.http.get('/org/audit').set(bearer(token)),
  },
];

/** Routes that end the caller's own standing; each has its own test below. */
const SELF_ENDING = ['DELETE /org/delete', 'POST /org/owner/transfer', 'POST /admin/logout'];

describe('the role matrix: every Bearer route × role × own and other organization', () => {
  let t: TestContext;
  const tokens: Record<'a' | 'b', Record<Role, string>> = { a: {}, b: {} } as never;
  let ownerOfA: string;

  beforeAll(async () => {
    t = await startTestApp();
    for (const side of ['a', 'b'] as const) {
      const org = await createOrganization(t.http);
      tokens[side].owner = org.token;
      tokens[side].admin = (await addMember(t.http, org.token, 'admin')).token;
      tokens[side].viewer = (await addMember(t.http, org.token, 'viewer')).token;
    }
    ownerOfA = tokens.a.owner;
  });
  afterAll(() => t.close());

  /** A record, a viewer and an invitation of organization A, made by its owner. */
  async function freshTarget(): Promise<Target> {
    const record = await t.http
      .post('/org/records')
      .set(bearer(ownerOfA))
      .send({ sku: 'original' })
      .expect(201);
    const viewer = await t.http
      .post('/org/invitations')
      .set(bearer(ownerOfA))
      .send({ email: `${uniqueName('viewer')}@matrix.example`, role: 'viewer' })
      .expect(201);
    const accepted = await t.http
      .post('/invitations/accept')
      .send({ token: viewer.body.token, password: 'member-password-1' })
      .expect(201);
    const invitation = await t.http
      .post('/org/invitations')
      .set(bearer(ownerOfA))
      .send({ email: `${uniqueName('pending')}@matrix.example`, role: 'viewer' })
      .expect(201);
    return {
      recordId: record.body.id,
      viewerId: accepted.body.admin_id,
      invitationId: invitation.body.invitation_id,
    };
  }

  /** A's target as it was made: another organization's request changed nothing. */
  async function expectUntouched(target: Target): Promise<void> {
    const record = await t.http
      .get(`/org/records/${target.recordId}`)
      .set(bearer(ownerOfA))
      .expect(200);
    expect(record.body.data).toEqual({ sku: 'original' });
    const viewer = await t.db.master
      .collection('admins')
      .findOne({ _id: new mongo.ObjectId(target.viewerId) });
    expect(viewer?.role).toBe('viewer');
    const pending = await t.http.get('/org/invitations').set(bearer(ownerOfA)).expect(200);
    expect(
      pending.body.invitations.map((i: { invitation_id: string }) => i.invitation_id),
    ).toContain(target.invitationId);
  }

  it('covers every Bearer route of the OpenAPI document', async () => {
    const { body } = await t.http.get('/docs-json').expect(200);
    const bearerRoutes: string[] = [];
    for (const [path, operations] of Object.entries(body.paths as Record<string, object>)) {
      for (const [method, operation] of Object.entries(
        operations as Record<string, { security?: object[] }>,
      )) {
        const only = operation.security?.length === 1 ? Object.keys(operation.security[0]) : [];
        if (only[0] === 'bearer') bearerRoutes.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(bearerRoutes.sort()).toEqual(
      [...ROUTES.map((route) => route.route), ...SELF_ENDING].sort(),
    );
  });

  describe.each(ROUTES)('$route', (route) => {
    it('refuses a request without a token with 401', async () => {
      const target = await freshTarget();
      await route.call(t, '', target).unset('Authorization').expect(401);
    });

    it.each(ROLES)('in its own organization, %s', async (role) => {
      const target = await freshTarget();
      const answer = await route.call(t, tokens.a[role], target);
      if (route.allowed.includes(role)) {
        expect(answer.status).toBe(route.success);
      } else {
        expect(answer.status).toBe(403);
        expect(answer.body.error).toBe('Forbidden');
        await expectUntouched(target);
      }
    });

    if (route.targeted) {
      it.each(ROLES)('aimed at another organization, %s', async (role) => {
        const target = await freshTarget();
        const answer = await route.call(t, tokens.b[role], target);
        expect(answer.status).toBe(route.allowed.includes(role) ? 404 : 403);
        await expectUntouched(target);
      });
    }
  });

  it('GET /org/audit: each role of another organization sees nothing of A', async () => {
    const target = await freshTarget();
    const organizationA = (await t.db.master
      .collection('admins')
      .findOne({ _id: new mongo.ObjectId(target.viewerId) }))!.organizationId.toString();
    const own = await t.http.get('/org/audit?limit=100').set(bearer(ownerOfA)).expect(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    for (const role of ROLES) {
      const answer = await t.http.get('/org/audit?limit=100').set(bearer(tokens.b[role]));
      expect(answer.status).toBe(MANAGERS.includes(role) ? 200 : 403);
      if (answer.status !== 200) continue;
      expect(answer.body.items.length).toBeGreaterThan(0);
      expect(JSON.stringify(answer.body)).not.toContain(organizationA);
      expect(JSON.stringify(answer.body)).not.toContain(target.viewerId);
    }
  });

  it('POST /admin/logout: every role, for its own session only', async () => {
    const org = await createOrganization(t.http);
    const members = [
      org.token,
      (await addMember(t.http, org.token, 'admin')).token,
      (await addMember(t.http, org.token, 'viewer')).token,
    ];
    await t.http.post('/admin/logout').unset('Authorization').expect(401);
    for (const token of members) {
      await t.http.post('/admin/logout').set(bearer(token)).expect(204);
      await t.http.get('/org/records').set(bearer(token)).expect(401);
    }
    await t.http.get('/org/records').set(bearer(tokens.a.viewer)).expect(200);
  });

  it('DELETE /org/delete: owners only', async () => {
    const org = await createOrganization(t.http);
    const admin = await addMember(t.http, org.token, 'admin');
    const viewer = await addMember(t.http, org.token, 'viewer');
    for (const member of [admin, viewer]) {
      await t.http.delete('/org/delete').set(bearer(member.token)).expect(403);
    }
    expect(await t.db.organization(org.input.organization_name)).not.toBeNull();
    await t.http.delete('/org/delete').unset('Authorization').expect(401);
    await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    expect(await t.db.organization(org.input.organization_name)).toBeNull();
  });

  it('POST /org/owner/transfer: owners only, and only to their own members', async () => {
    const target = await freshTarget();
    for (const role of ['admin', 'viewer'] as const) {
      await t.http
        .post('/org/owner/transfer')
        .set(bearer(tokens.a[role]))
        .send({ admin_id: target.viewerId })
        .expect(403);
      await t.http
        .post('/org/owner/transfer')
        .set(bearer(tokens.b[role]))
        .send({ admin_id: target.viewerId })
        .expect(403);
    }
    await t.http
      .post('/org/owner/transfer')
      .set(bearer(tokens.b.owner))
      .send({ admin_id: target.viewerId })
      .expect(404);
    await expectUntouched(target);
    const org = await createOrganization(t.http);
    const viewer = await addMember(t.http, org.token, 'viewer');
    await t.http
      .post('/org/owner/transfer')
      .set(bearer(org.token))
      .send({ admin_id: viewer.id })
      .expect(204);
  });
});
