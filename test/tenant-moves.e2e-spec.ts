import { mongo } from 'mongoose';
import {
  FAILURE_POINTS,
  type FailurePoint,
} from '../src/organization/lifecycle/failure-point-names';
import {
  bearer,
  createOrganization,
  uniqueName,
  type CreatedOrganization,
} from './support/factories';
import { eventually, isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector } from './support/test-app';
import { startWriters } from './support/writers';

const OPERATOR_KEY = 'operator-key-for-move-tests-0123456789';
const operator = bearer(OPERATOR_KEY);
const RECOVERY = { LIFECYCLE_LEASE_MS: '200', RECONCILE_INTERVAL_MS: '200' };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Online moves between the shared tenant database and a database of the organization's
 * own, with two instances on one master: writes go to one, the move runs on the other.
 */
describe('moving an organization between placements', () => {
  let names: ReturnType<typeof isolatedDatabaseNames>;
  let db: DatabaseInspector;
  const services: ServiceProcess[] = [];

  beforeEach(async () => {
    names = isolatedDatabaseNames('move');
    db = await DatabaseInspector.connect(undefined, names);
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await db.drop();
    await db.close();
  });

  async function start(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const service = await ServiceProcess.start(names, { OPERATOR_API_KEY: OPERATOR_KEY, ...env });
    services.push(service);
    return service;
  }

  const record = (org: CreatedOrganization) =>
    db.master.collection('organizations').findOne({ _id: new mongo.ObjectId(org.id) });

  async function moveAndWait(
    service: ServiceProcess,
    org: CreatedOrganization,
    placement: string,
  ): Promise<void> {
    const started = await service.http
      .post(`/operator/organizations/${org.id}/move`)
      .set(operator)
      .send({ placement })
      .expect(202);
    const moveId = started.body.move_id as string;
    await eventually(async () => {
      const status = await service.http.get(`/operator/moves/${moveId}`).set(operator).expect(200);
      expect(status.body).toMatchObject({ state: 'done' });
    }, 30_000);
  }

  it('keeps every acknowledged write through moves to database and back to shared', async () => {
    const [mover, writer] = await Promise.all([start(), start()]);
    const org = await createOrganization(mover.http);
    const name = org.input.organization_name;
    const shared = db.tenants.collection(`org_${name}`);
    const own = db.ownDatabase(org.id).collection(`org_${name}`);
    const writers = startWriters(writer, org.token);
    await settle(500);

    await moveAndWait(mover, org, 'database');
    expect(await record(org)).toMatchObject({
      status: 'active',
      placement: 'database',
      location: { database: db.ownDatabase(org.id).databaseName, collectionName: `org_${name}` },
    });
    expect(await db.tenantCollectionExists(`org_${name}`)).toBe(false);
    await settle(300);

    await moveAndWait(mover, org, 'shared');
    await settle(300);
    await writers.stop();

    expect(writers.acknowledged.length).toBeGreaterThan(0);
    expect([...writers.statuses].filter((status) => status !== 201 && status !== 503)).toEqual([]);
    expect(await record(org)).toMatchObject({ status: 'active', placement: 'shared' });
    expect(await record(org)).not.toHaveProperty('pendingMove');
    expect(await db.ownDatabases()).toEqual([]);
    const stored = await shared
      .find({ _id: { $in: writers.acknowledged.map((id) => new mongo.ObjectId(id)) } })
      .toArray();
    expect(stored).toHaveLength(writers.acknowledged.length);
    expect(await shared.countDocuments()).toBe(writers.acknowledged.length);
    expect(await own.countDocuments()).toBe(0);
    const page = await writer.http
      .get('/org/records')
      .query({ include_total: true, limit: 1 })
      .set(bearer(org.token))
      .expect(200);
    expect(page.body.total).toBe(writers.acknowledged.length);
    // Two moves, each copying under four writers on two instances: minutes on a loaded machine.
  }, 120_000);

  it('refuses a rename, a delete and a second move while a move runs', async () => {
    const service = await start();
    const org = await createOrganization(service.http);
    await service.http
      .post(`/operator/organizations/${org.id}/move`)
      .set(operator)
      .send({ placement: 'database' })
      .expect(202);

    await service.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: uniqueName('renamed') })
      .expect(409);
    await service.http.delete('/org/delete').set(bearer(org.token)).expect(409);
    await service.http
      .post(`/operator/organizations/${org.id}/move`)
      .set(operator)
      .send({ placement: 'shared' })
      .expect(409);
    await eventually(async () =>
      expect(await record(org)).toMatchObject({ status: 'active', placement: 'database' }),
    );
  });

  it('refuses bad move requests with 4xx', async () => {
    const service = await start();
    const org = await createOrganization(service.http);
    const move = (id: string, body: object) =>
      service.http.post(`/operator/organizations/${id}/move`).set(operator).send(body);
    expect((await move(org.id, { placement: 'moon' })).status).toBe(400);
    expect((await move('nope', { placement: 'database' })).status).toBe(400);
    expect((await move(new mongo.ObjectId().toString(), { placement: 'database' })).status).toBe(
      404,
    );
    expect((await move(org.id, { placement: 'shared' })).body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'The organization is already in the shared placement',
    });
    await service.http
      .get(`/operator/moves/${new mongo.ObjectId().toString()}`)
      .set(operator)
      .expect(404);
  });

  it('keeps answering reads from the source while the switch holds writes', async () => {
    const crashing = await start({ FAILURE_POINTS: 'move:after-mark' });
    const org = await createOrganization(crashing.http);
    const created = await crashing.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ sku: 'kept' })
      .expect(201);
    await crashing.http
      .post(`/operator/organizations/${org.id}/move`)
      .set(operator)
      .send({ placement: 'database' })
      .catch(() => undefined);
    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await record(org)).toMatchObject({ status: 'moving', placement: 'shared' });

    // The crashed move holds the switch until its lease runs out: writes wait, reads go on.
    const other = await start();
    const read = await other.http
      .get(`/org/records/${created.body.id as string}`)
      .set(bearer(org.token))
      .expect(200);
    expect(read.body).toMatchObject({ id: created.body.id, data: { sku: 'kept' } });
    const write = await other.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ sku: 'held' })
      .expect(503);
    expect(write.body.message).toBe(
      'The organization is being renamed, moved or deleted; try again shortly',
    );
    expect(write.headers['retry-after']).toBeDefined();
    const stored = await db.tenants
      .collection(`org_${org.input.organization_name}`)
      .find({}, { projection: { _id: 0, sku: 1 } })
      .toArray();
    expect(stored).toEqual([{ sku: 'kept' }]);
  });

  it.each(FAILURE_POINTS.filter((point) => point.startsWith('move:')))(
    'converges after a crash at %s, with every document in the new placement',
    async (point: FailurePoint) => {
      const crashing = await start({ FAILURE_POINTS: point });
      const org = await createOrganization(crashing.http);
      const name = org.input.organization_name;
      await crashing.http
        .post('/org/records/bulk')
        .set(bearer(org.token))
        .send({ records: Array.from({ length: 50 }, (_, n) => ({ n })) })
        .expect(200);
      await crashing.http
        .post(`/operator/organizations/${org.id}/move`)
        .set(operator)
        .send({ placement: 'database' })
        .catch(() => undefined);
      expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const recovering = await start(RECOVERY);
      await eventually(async () => {
        expect(await record(org)).toMatchObject({ status: 'active', placement: 'database' });
        expect(await record(org)).not.toHaveProperty('pendingMove');
        expect(await db.tenantCollectionExists(`org_${name}`)).toBe(false);
        const moves = await db.master.collection('tenant_moves').find().toArray();
        expect(moves.map((move) => move.state as string)).toEqual(['done']);
      }, 45_000);
      const numbers = await db
        .ownDatabase(org.id)
        .collection(`org_${name}`)
        .find({}, { projection: { _id: 0, n: 1 } })
        .sort({ n: 1 })
        .toArray();
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, n) => ({ n })));
      const page = await recovering.http
        .get('/org/records')
        .query({ include_total: true })
        .set(bearer(org.token))
        .expect(200);
      expect(page.body.total).toBe(50);
    },
    60_000,
  );
});
