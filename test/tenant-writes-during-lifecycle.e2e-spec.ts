import { bearer, createOrganization, uniqueName } from './support/factories';
import { isolatedDatabaseNames, ServiceProcess } from './support/service-process';
import { DatabaseInspector } from './support/test-app';
import { startWriters } from './support/writers';
import { mongo } from 'mongoose';

/** The service's own account of any 500 it answered, for the failure message. */
const unhandledErrors = (service: ServiceProcess) =>
  service.output
    .filter((line) => line.includes('Unhandled error'))
    .map((line) => line.slice(0, 2000));
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two instances of the service on one database: writes go to one, the rename or delete
 * to the other, which never saw those writes. MongoDB (and FerretDB) create a collection
 * on the first insert into it, so a late write through a stale binding would bring the
 * old collection back; the binding TTL and the lifecycle's fence must prevent that.
 */
describe('writes from another instance during a rename or a delete', () => {
  let names: ReturnType<typeof isolatedDatabaseNames>;
  let db: DatabaseInspector;
  let lifecycleInstance: ServiceProcess;
  let writeInstance: ServiceProcess;

  beforeEach(async () => {
    names = isolatedDatabaseNames('fence');
    db = await DatabaseInspector.connect(undefined, names);
    [lifecycleInstance, writeInstance] = await Promise.all([
      ServiceProcess.start(names),
      ServiceProcess.start(names),
    ]);
  });
  afterEach(async () => {
    await Promise.all([lifecycleInstance.stop(), writeInstance.stop()]);
    await db.drop();
    await db.close();
  });

  it('keeps every acknowledged write through a rename and never re-creates the old collection', async () => {
    const org = await createOrganization(lifecycleInstance.http);
    const oldName = org.input.organization_name;
    const newName = uniqueName('moved');
    const writers = startWriters(writeInstance, org.token);
    await settle(500);
    const beforeRename = writers.acknowledged.length;

    await lifecycleInstance.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: newName })
      .expect(200);
    await settle(700);
    await writers.stop();
    await settle(1_000);

    expect(beforeRename).toBeGreaterThan(0);
    expect(writers.acknowledged.length).toBeGreaterThan(beforeRename);
    expect({
      unexpected: [...writers.statuses].filter((status) => status !== 201 && status !== 503),
      errors: unhandledErrors(writeInstance),
    }).toEqual({ unexpected: [], errors: [] });
    expect(await db.tenantCollections()).toEqual([`org_${newName}`]);
    const stored = await db.tenants
      .collection(`org_${newName}`)
      .find(
        { _id: { $in: writers.acknowledged.map((id) => new mongo.ObjectId(id)) } },
        { projection: { _id: 1 } },
      )
      .toArray();
    expect(stored).toHaveLength(writers.acknowledged.length);
    expect(await db.organization(oldName)).toBeNull();
  });

  it('never brings the collection back after a delete', async () => {
    const org = await createOrganization(lifecycleInstance.http);
    const writers = startWriters(writeInstance, org.token);
    await settle(500);

    await lifecycleInstance.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    await settle(700);
    await writers.stop();
    await settle(1_000);

    expect(writers.acknowledged.length).toBeGreaterThan(0);
    expect(
      [...writers.statuses].filter((status) => ![201, 401, 404, 503].includes(status)),
    ).toEqual([]);
    expect(writers.statuses.has(401)).toBe(true);
    expect(await db.tenantCollections()).toEqual([]);
    expect(await db.master.collection('organizations').countDocuments()).toBe(0);
  });
});

/**
 * Writes slower than any fixed wait: each tenant write sleeps TEST_WRITE_DELAY_MS after
 * passing the barrier, as a big import batch on a loaded database would. A rename or
 * delete must wait for them, on the instance that runs it and on any other.
 */
describe.each([
  ['on the instance that writes', true],
  ['on another instance', false],
])('slow imports and bulk writes, with the rename or delete %s', (_label, sameInstance) => {
  const WRITE_DELAY_MS = 4_000;
  let names: ReturnType<typeof isolatedDatabaseNames>;
  let db: DatabaseInspector;
  let writeInstance: ServiceProcess;
  let lifecycleInstance: ServiceProcess;

  beforeEach(async () => {
    names = isolatedDatabaseNames('slow');
    db = await DatabaseInspector.connect(undefined, names);
    writeInstance = await ServiceProcess.start(names, {
      TEST_WRITE_DELAY_MS: String(WRITE_DELAY_MS),
    });
    lifecycleInstance = sameInstance ? writeInstance : await ServiceProcess.start(names);
  });
  afterEach(async () => {
    await Promise.all([writeInstance.stop(), lifecycleInstance.stop()]);
    await db.drop();
    await db.close();
  });

  /** A bulk write of 50 records and an import of 50 lines, both in flight. */
  function startSlowWrites(token: string) {
    const bulk = writeInstance.http
      .post('/org/records/bulk')
      .set(bearer(token))
      .send({ records: Array.from({ length: 50 }, (_, index) => ({ bulk: index })) })
      .then((response) => response);
    const lines = Array.from({ length: 50 }, (_, index) => JSON.stringify({ imported: index }));
    const importing = writeInstance.http
      .post('/org/import')
      .set(bearer(token))
      .set('Content-Type', 'application/x-ndjson')
      .send(lines.join('\n'))
      .then((response) => response);
    return Promise.all([bulk, importing]);
  }

  it('waits for them before renaming, and keeps every record', async () => {
    const org = await createOrganization(lifecycleInstance.http);
    const oldName = org.input.organization_name;
    const newName = uniqueName('slowmoved');
    const writes = startSlowWrites(org.token);
    await settle(1_000);

    const startedAt = Date.now();
    await lifecycleInstance.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: newName })
      .expect(200);
    const renameMs = Date.now() - startedAt;
    const [bulk, imported] = await writes;

    expect([bulk.status, imported.status]).toEqual([200, 200]);
    expect(bulk.body.stored).toHaveLength(50);
    expect(imported.body).toMatchObject({ imported: 50, refused: 0 });
    expect(renameMs).toBeGreaterThan(WRITE_DELAY_MS - 1_500);
    expect(await db.tenantCollections()).toEqual([`org_${newName}`]);
    expect(await db.tenants.collection(`org_${newName}`).countDocuments()).toBe(100);
    expect(await db.organization(oldName)).toBeNull();
    await settle(1_000);
    expect(await db.tenantCollectionExists(`org_${oldName}`)).toBe(false);
  });

  it('waits for them before deleting, and leaves nothing behind', async () => {
    const org = await createOrganization(lifecycleInstance.http);
    const writes = startSlowWrites(org.token);
    await settle(1_000);

    await lifecycleInstance.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    const [bulk, imported] = await writes;

    expect([bulk.status, imported.status]).toEqual([200, 200]);
    await settle(1_000);
    expect(await db.tenantCollections()).toEqual([]);
    expect(await db.master.collection('organizations').countDocuments()).toBe(0);
    expect(await db.master.collection('tenant_writers').countDocuments()).toBe(0);
  });
});
