import { createOrganization, uniqueName } from './support/factories';
import { freshAddress, LOGIN_ADDRESS_LIMIT, spray, TOO_MANY } from './support/login-attempts';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * In a file of its own: passport keeps one strategy per name for the whole process, so a
 * second app closed in the same file would leave the first one's guard on a closed
 * connection.
 */
describe('Attacks with TRUST_PROXY off (the default)', () => {
  let direct: TestContext;

  beforeAll(async () => {
    direct = await startTestApp();
  });
  afterAll(() => direct.close());

  it('keys the address limit on the socket, so a spoofed X-Forwarded-For does not help', async () => {
    // Its login is the first attempt counted for 127.0.0.1.
    const org = await createOrganization(direct.http);
    await spray(
      () =>
        direct.http
          .post('/admin/login')
          .set('X-Forwarded-For', freshAddress())
          .send({ email: `${uniqueName('spoof')}@nowhere.example`, password: '' })
          .expect(400),
      LOGIN_ADDRESS_LIMIT - 1,
    );

    const blocked = await direct.http
      .post('/admin/login')
      .set('X-Forwarded-For', freshAddress())
      .send({ email: org.input.email, password: org.input.password })
      .expect(429);
    expect(blocked.body).toEqual(TOO_MANY);
    expect(await direct.db.admin(org.input.email)).toMatchObject({ tokenVersion: 0 });
  });
});
