import { mongo } from 'mongoose';
import { bearer, createOrganization, uniqueName } from './support/factories';
import type { TestContext } from './support/test-app';

/**
 * DEFAULT_PLACEMENT=database: every new organization keeps its collection in a database
 * of its own, named after its id; creating, reading, writing, renaming and deleting all
 * happen there, and nothing lands in the shared tenant database.
 */
describe('organizations with a database of their own', () => {
  let t: TestContext;

  beforeAll(async () => {
    process.env.DEFAULT_PLACEMENT = 'database';
    // Imported only now: the configuration module reads the environment when it is loaded.
    const { startTestApp } = await import('./support/test-app');
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates the collection in the organization’s own database', async () => {
    const org = await createOrganization(t.http);
    const name = org.input.organization_name;

    const record = await t.db.organization(name);
    expect(record).toMatchObject({
      placement: 'database',
      location: {
        database: `${process.env.TENANT_DB_NAME}_${org.id}`,
        collectionName: `org_${name}`,
      },
    });
    expect(record!.location.cluster).toBeUndefined();
    const collections = await t.db.ownDatabase(org.id).listCollections().toArray();
    expect(collections.map((collection) => collection.name)).toEqual([`org_${name}`]);
    expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(false);
  });

  it('writes and reads records there, and renames inside that database', async () => {
    const org = await createOrganization(t.http);
    const own = t.db.ownDatabase(org.id);
    const created = await t.http
      .post('/org/records')
      .set(bearer(org.token))
      .send({ sku: 'a', qty: 1 })
      .expect(201);
    expect(
      await own
        .collection(`org_${org.input.organization_name}`)
        .findOne({ _id: new mongo.ObjectId(created.body.id as string) }),
    ).toMatchObject({ sku: 'a', qty: 1 });

    const newName = uniqueName('renamed');
    await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: newName })
      .expect(200);

    expect(await t.db.organization(newName)).toMatchObject({
      placement: 'database',
      location: { database: own.databaseName, collectionName: `org_${newName}` },
    });
    const collections = await own.listCollections().toArray();
    expect(collections.map((collection) => collection.name)).toEqual([`org_${newName}`]);
    const page = await t.http.get('/org/records').set(bearer(org.token)).expect(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ id: created.body.id, data: { sku: 'a', qty: 1 } }),
    ]);
    for (const name of [org.input.organization_name, newName]) {
      expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(false);
    }
  });

  it('drops the organization’s database with it', async () => {
    const org = await createOrganization(t.http);
    await t.http.post('/org/records').set(bearer(org.token)).send({ n: 1 }).expect(201);
    const database = t.db.ownDatabase(org.id).databaseName;
    expect(await t.db.ownDatabases()).toContain(database);

    await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);

    expect(await t.db.ownDatabases()).not.toContain(database);
    expect(
      await t.db.master
        .collection('organizations')
        .countDocuments({ _id: new mongo.ObjectId(org.id) }),
    ).toBe(0);
  });
});
