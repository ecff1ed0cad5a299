import {
  FAILURE_POINTS,
  type FailurePoint,
} from '../src/organization/lifecycle/failure-point-names';
import {
  bearer,
  login,
  organizationInput,
  uniqueName,
  type OrganizationInput,
} from './support/factories';
import { eventually, isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector } from './support/test-app';
import { DOCUMENTS, RENAME_OUTCOMES } from './support/recovery-cases';

const RECOVERY = { LIFECYCLE_LEASE_MS: '200', RECONCILE_INTERVAL_MS: '200' };

/**
 * For every gap between two lifecycle steps: a service armed to die there gets the
 * request and is killed mid-operation; a fresh service must then bring the organization
 * to a consistent end on its own, losing no document written before the operation.
 */
describe('crash recovery', () => {
  let db: DatabaseInspector;
  let names: ReturnType<typeof isolatedDatabaseNames>;
  const services: ServiceProcess[] = [];

  beforeEach(async () => {
    names = isolatedDatabaseNames('crash');
    db = await DatabaseInspector.connect(undefined, names);
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await db.drop();
    await db.close();
  });

  async function start(env: Record<string, string>): Promise<ServiceProcess> {
    const service = await ServiceProcess.start(names, env);
    services.push(service);
    return service;
  }

  async function crashDuring(
    point: FailurePoint,
    send: (service: ServiceProcess) => Promise<unknown>,
    service: ServiceProcess,
  ) {
    await expect(send(service)).rejects.toThrow();
    expect(await service.exited).toEqual({ code: null, signal: 'SIGKILL' });
  }

  async function createActive(
    service: ServiceProcess,
  ): Promise<{ input: OrganizationInput; token: string }> {
    const input = organizationInput();
    await service.http.post('/org/create').send(input).expect(201);
    await db.tenants
      .collection(`org_${input.organization_name}`)
      .insertMany(DOCUMENTS.map((doc) => ({ ...doc })));
    return { input, token: await login(service.http, input.email, input.password) };
  }

  async function expectNothingLeft(): Promise<void> {
    expect(await db.master.collection('organizations').countDocuments()).toBe(0);
    expect(await db.master.collection('admins').countDocuments()).toBe(0);
    expect(await db.master.collection('organization_names').countDocuments()).toBe(0);
    expect(await db.master.collection('admin_emails').countDocuments()).toBe(0);
    expect(await db.tenantCollections()).toEqual([]);
  }

  it.each(FAILURE_POINTS.filter((point) => point.startsWith('create:')))(
    'rolls a create back completely after a crash at %s',
    async (point) => {
      const crashing = await start({ FAILURE_POINTS: point });
      await crashDuring(
        point,
        (service) => service.http.post('/org/create').send(organizationInput()),
        crashing,
      );

      const recovering = await start(RECOVERY);
      await eventually(expectNothingLeft);
      await recovering.http.get('/health/ready').expect(200);
    },
  );

  it.each(RENAME_OUTCOMES)(
    'after a crash at %s, keeps the %s name with every document',
    async (point, outcome) => {
      const crashing = await start({ FAILURE_POINTS: point });
      const { input, token } = await createActive(crashing);
      const oldName = input.organization_name;
      const newName = uniqueName('renamed');
      await crashDuring(
        point,
        (service) =>
          service.http.put('/org/update').set(bearer(token)).send({ organization_name: newName }),
        crashing,
      );

      const recovering = await start(RECOVERY);
      const [kept, freed] = outcome === 'new' ? [newName, oldName] : [oldName, newName];
      await eventually(async () => {
        const record = await db.organization(kept);
        expect(record).toMatchObject({
          status: 'active',
          location: { collectionName: `org_${kept}` },
        });
        expect((await db.nameClaims(record!._id)).map((claim) => claim._id)).toEqual([kept]);
        expect(await db.tenantCollections()).toEqual([`org_${kept}`]);
      });
      const documents = await db.tenants
        .collection(`org_${kept}`)
        .find({}, { projection: { _id: 0 } })
        .sort({ sku: 1 })
        .toArray();
      expect(documents).toEqual(DOCUMENTS);
      expect(await db.organization(freed)).toBeNull();
      await recovering.http
        .get('/org/get')
        .query({ organization_name: kept })
        .set(bearer(token))
        .expect(200);
      await recovering.http
        .post('/org/create')
        .send(organizationInput({ organization_name: freed }))
        .expect(201);
    },
  );

  // Before the switch the admin keeps the old email; after it, the new one. Either way the
  // other email's claim is released, and only the kept email logs in.
  it.each([
    ['email:after-claim', 'old'],
    ['email:after-switch', 'new'],
  ] as const)('after a crash at %s, keeps the %s email alone', async (point, outcome) => {
    const crashing = await start({ FAILURE_POINTS: point });
    const { input, token } = await createActive(crashing);
    const newEmail = `${uniqueName('moved')}@example.com`;
    await crashDuring(
      point,
      (service) => service.http.put('/org/update').set(bearer(token)).send({ email: newEmail }),
      crashing,
    );

    const recovering = await start(RECOVERY);
    const [kept, freed] = outcome === 'new' ? [newEmail, input.email] : [input.email, newEmail];
    const admin = await db.admin(kept);
    await eventually(async () => expect(await db.emailClaims(admin!._id)).toEqual([kept]));
    await login(recovering.http, kept, input.password);
    await recovering.http
      .post('/admin/login')
      .send({ email: freed, password: input.password })
      .expect(401);
    await recovering.http
      .post('/org/create')
      .send(organizationInput({ email: freed }))
      .expect(201);
  });

  it('claims at start-up the email of an admin stored without a claim', async () => {
    const first = await start({});
    const { input } = await createActive(first);
    await db.master.collection('admin_emails').deleteMany({});
    await first.http
      .post('/admin/login')
      .send({ email: input.email, password: input.password })
      .expect(401);

    const next = await start({});
    await login(next.http, input.email, input.password);
  });

  it.each(FAILURE_POINTS.filter((point) => point.startsWith('delete:')))(
    'finishes a delete after a crash at %s',
    async (point) => {
      const crashing = await start({ FAILURE_POINTS: point });
      const { input, token } = await createActive(crashing);
      await crashDuring(
        point,
        (service) => service.http.delete('/org/delete').set(bearer(token)),
        crashing,
      );

      const recovering = await start(RECOVERY);
      await eventually(expectNothingLeft);
      await recovering.http
        .post('/admin/login')
        .send({ email: input.email, password: input.password })
        .expect(401);
      await recovering.http
        .get('/org/get')
        .query({ organization_name: input.organization_name })
        .expect(404);
    },
  );
});
