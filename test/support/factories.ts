import { randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';

export interface OrganizationInput {
  organization_name: string;
  email: string;
  password: string;
}

/** A unique name on every call, so tests never see each other's data. */
export function uniqueName(prefix = 'org'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function organizationInput(overrides: Partial<OrganizationInput> = {}): OrganizationInput {
  const name = uniqueName();
  return {
    organization_name: name,
    email: `admin@${name}.example`,
    password: 'correct-horse-battery',
    ...overrides,
  };
}

export interface CreatedOrganization {
  input: OrganizationInput;
  id: string;
  adminId: string;
  token: string;
}

/** Creates an organization over HTTP and logs its admin in. */
export async function createOrganization(
  http: TestAgent,
  overrides: Partial<OrganizationInput> = {},
): Promise<CreatedOrganization> {
  const input = organizationInput(overrides);
  const created = await http.post('/org/create').send(input).expect(201);
  const token = await login(http, input.email, input.password);
  return { input, id: created.body.organization_id, adminId: created.body.admin.id, token };
}

export async function login(http: TestAgent, email: string, password: string): Promise<string> {
  const response = await http.post('/admin/login').send({ email, password }).expect(200);
  return response.body.access_token as string;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export type MemberRole = 'owner' | 'admin' | 'viewer';

export interface Member {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** Invites a member into the inviter's organization, accepts and logs it in. */
export async function addMember(
  http: TestAgent,
  inviterToken: string,
  role: MemberRole,
  email = `${uniqueName(role)}@members.example`,
): Promise<Member> {
  const password = 'member-password-1';
  const invited = await http
    .post('/org/invitations')
    .set(bearer(inviterToken))
    .send({ email, role })
    .expect(201);
  const accepted = await http
    .post('/invitations/accept')
    .send({ token: invited.body.token, password })
    .expect(201);
  return { id: accepted.body.admin_id, email, password, token: await login(http, email, password) };
}

/** The session id an access token carries (its `sid` claim), read without verifying. */
export function sessionIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
  return (payload as { sid: string }).sid;
}
