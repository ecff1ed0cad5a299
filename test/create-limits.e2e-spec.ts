import { PasswordHasher } from '../src/auth/password-hasher.service';
import { createOrganization, organizationInput, uniqueName } from './support/factories';
import { freshAddress } from './support/login-attempts';
import type { TestContext } from './support/test-app';

const CREATE_ADDRESS_LIMIT = 5;
const TOO_MANY_CREATES = {
  statusCode: 429,
  error: 'Too Many Requests',
  message: 'Too many organizations created from this address; try again later',
};
const EMAIL_TAKEN = {
  statusCode: 409,
  error: 'Conflict',
  message: 'An admin with this email already exists',
};

/** `POST /org/create` must not be a way to starve logins of bcrypt time (issue 8, items 4 and 8). */
describe('POST /org/create under a flood', () => {
  let t: TestContext;

  beforeAll(async () => {
    process.env.CREATE_ADDRESS_LIMIT = String(CREATE_ADDRESS_LIMIT);
    // One hashing thread, so the order in which jobs start is observable.
    process.env.BCRYPT_WORKERS = '1';
    // Imported only now: the configuration module reads the environment when it is loaded.
    const { startTestApp } = await import('./support/test-app');
    t = await startTestApp({ trustProxy: true });
  });
  afterAll(() => t.close());

  it('refuses a taken name or email before hashing the password', async () => {
    const taken = await createOrganization(t.http);
    const hash = jest.spyOn(t.app.get(PasswordHasher), 'hash');

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        t.http
          .post('/org/create')
          .set('X-Forwarded-For', freshAddress())
          .send(
            organizationInput(
              index % 2 === 0
                ? { organization_name: taken.input.organization_name }
                : { email: taken.input.email },
            ),
          ),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(409));
    expect(responses[1].body).toEqual(EMAIL_TAKEN);
    expect(hash).not.toHaveBeenCalled();
    hash.mockRestore();
  });

  it('limits creates per client address with 429 and Retry-After, apart from logins', async () => {
    const address = freshAddress();
    const taken = await createOrganization(t.http);
    const create = () =>
      t.http
        .post('/org/create')
        .set('X-Forwarded-For', address)
        .send(organizationInput({ email: taken.input.email }));
    for (let attempt = 0; attempt < CREATE_ADDRESS_LIMIT; attempt += 1) {
      expect((await create().expect(409)).body).toEqual(EMAIL_TAKEN);
    }

    const blocked = await create().expect(429);
    expect(blocked.body).toEqual(TOO_MANY_CREATES);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const valid = organizationInput();
    await t.http.post('/org/create').set('X-Forwarded-For', address).send(valid).expect(429);
    expect(await t.db.organization(valid.organization_name)).toBeNull();

    // Logins from that address keep their own budget; other addresses may still create.
    await t.http
      .post('/admin/login')
      .set('X-Forwarded-For', address)
      .send({ email: taken.input.email, password: taken.input.password })
      .expect(200);
    await t.http.post('/org/create').set('X-Forwarded-For', freshAddress()).send(valid).expect(201);
  });

  it('lets a login go ahead of the hashes of creates already waiting', async () => {
    const admin = await createOrganization(t.http);
    const finished: string[] = [];
    const creates = Array.from({ length: 8 }, () =>
      t.http
        .post('/org/create')
        .set('X-Forwarded-For', freshAddress())
        .send(organizationInput({ organization_name: uniqueName('flood') }))
        .expect(201)
        .then(() => finished.push('create')),
    );
    // Once one create is done, the other seven are waiting for, or running, their hashes.
    await Promise.race(creates);
    const login = t.http
      .post('/admin/login')
      .set('X-Forwarded-For', freshAddress())
      .send({ email: admin.input.email, password: admin.input.password })
      .expect(200)
      .then(() => finished.push('login'));
    await Promise.all([...creates, login]);

    // First come, first served (one thread), it waits for the seven queued hashes.
    expect(finished.indexOf('login')).toBeLessThanOrEqual(2);
  });
});
