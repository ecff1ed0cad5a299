import { INVALID_TOKEN } from './support/expected-errors';
import { bearer, createOrganization } from './support/factories';
import { eventually, isolatedDatabaseNames, ServiceProcess } from './support/service-process';

const TOKEN_CHECK_TTL_MS = 3_000;

/**
 * Two instances on one database, each reusing a token's check for TOKEN_CHECK_TTL_MS:
 * the instance that revokes a token refuses it at once, the other within the TTL.
 */
describe('the token check cache across instances', () => {
  const services: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
  });

  /** Two instances on databases of their own, and an organization created through the first. */
  async function twoInstances(label: string, ttlMs: number) {
    const names = isolatedDatabaseNames(label);
    const env = { TOKEN_CHECK_TTL_MS: String(ttlMs) };
    const [revoking, other] = await Promise.all([
      ServiceProcess.start(names, env),
      ServiceProcess.start(names, env),
    ]);
    services.push(revoking, other);
    return { revoking, other, org: await createOrganization(revoking.http) };
  }

  const changePassword = (service: ServiceProcess, token: string) =>
    service.http.put('/org/update').set(bearer(token)).send({ password: 'a-new-password-1' });

  it('stops a revoked token at once where it was revoked, and within the TTL elsewhere', async () => {
    const { revoking, other, org } = await twoInstances('tokens', TOKEN_CHECK_TTL_MS);
    // Both instances have checked the token, and remember it.
    await revoking.http.get('/org/records').set(bearer(org.token)).expect(200);
    await other.http.get('/org/records').set(bearer(org.token)).expect(200);

    await changePassword(revoking, org.token).expect(200);
    const revokedAt = Date.now();

    const refused = await revoking.http.get('/org/records').set(bearer(org.token)).expect(401);
    expect(refused.body).toEqual(INVALID_TOKEN);
    await other.http.get('/org/records').set(bearer(org.token)).expect(200);
    await eventually(() => other.http.get('/org/records').set(bearer(org.token)).expect(401));
    expect(Date.now() - revokedAt).toBeLessThan(TOKEN_CHECK_TTL_MS + 1_000);
    await revoking.http.get('/org/records').set(bearer(org.token)).expect(401);
  });

  it('reads the admin on every request with TOKEN_CHECK_TTL_MS=0', async () => {
    const { revoking, other, org } = await twoInstances('nocache', 0);
    await other.http.get('/org/records').set(bearer(org.token)).expect(200);

    await changePassword(revoking, org.token).expect(200);

    await other.http.get('/org/records').set(bearer(org.token)).expect(401);
  });
});
