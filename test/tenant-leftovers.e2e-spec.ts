import { mongo } from 'mongoose';
import { OrganizationReconciler } from '../src/organization/lifecycle/organization-reconciler.service';
import { bearer, createOrganization, organizationInput, uniqueName } from './support/factories';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * A write sent before a rename or delete but reaching the server after it (its instance
 * died, or stalled past its lease) re-creates the retired collection. Such documents
 * belong to the organization that was renamed, or to nobody after a delete; they must
 * never block the name or end up in another organization's collection.
 */
describe('late writes into a retired collection', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const lateWrite = (collection: string, count: number) =>
    t.db.tenants.collection(collection).insertMany(
      Array.from({ length: count }, (_, late) => ({
        late,
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    );

  it('moves them to the renamed organization when the old name is created again', async () => {
    const org = await createOrganization(t.http);
    const oldName = org.input.organization_name;
    const newName = uniqueName('renamed');
    await t.http.post('/org/records').set(bearer(org.token)).send({ kept: true }).expect(201);
    await t.http
      .put('/org/update')
      .set(bearer(org.token))
      .send({ organization_name: newName })
      .expect(200);
    await lateWrite(`org_${oldName}`, 3);

    const reused = await t.http
      .post('/org/create')
      .send(organizationInput({ organization_name: oldName }))
      .expect(201);

    expect(reused.body.organization_name).toBe(oldName);
    expect(await t.db.tenants.collection(`org_${oldName}`).countDocuments()).toBe(0);
    const renamed = t.db.tenants.collection(`org_${newName}`);
    expect(await renamed.countDocuments({ late: { $exists: true } })).toBe(3);
    expect(await renamed.countDocuments({ kept: true })).toBe(1);
  });

  it('drops them after a delete, and the name can be created again', async () => {
    const org = await createOrganization(t.http);
    const name = org.input.organization_name;
    await t.http.delete('/org/delete').set(bearer(org.token)).expect(204);
    await lateWrite(`org_${name}`, 2);

    await t.http
      .post('/org/create')
      .send(organizationInput({ organization_name: name }))
      .expect(201);

    expect(await t.db.tenants.collection(`org_${name}`).countDocuments()).toBe(0);
  });

  it('settles them in the reconciler pass even when nobody takes the name', async () => {
    const renamedOrg = await createOrganization(t.http);
    const oldName = renamedOrg.input.organization_name;
    const newName = uniqueName('renamed');
    await t.http
      .put('/org/update')
      .set(bearer(renamedOrg.token))
      .send({ organization_name: newName })
      .expect(200);
    const deletedOrg = await createOrganization(t.http);
    const deletedName = deletedOrg.input.organization_name;
    await t.http.delete('/org/delete').set(bearer(deletedOrg.token)).expect(204);
    await lateWrite(`org_${oldName}`, 2);
    await lateWrite(`org_${deletedName}`, 2);

    const deadInstance = new mongo.ObjectId();
    await t.db.master.collection('service_instances').insertOne({
      _id: deadInstance,
      expiresAt: new Date(Date.now() - 60_000),
    });
    await t.db.master.collection('tenant_writers').insertOne({
      organizationId: new mongo.ObjectId(renamedOrg.id),
      instanceId: deadInstance,
      createdAt: new Date(),
    });

    const reconciler = t.app.get(OrganizationReconciler);
    // The start-up pass was a full scan; a fresh instance's first pass is one too.
    Object.assign(reconciler, { lastFullScanAt: 0 });
    await reconciler.runOnce();

    const collections = await t.db.tenantCollections();
    expect(collections).not.toContain(`org_${oldName}`);
    expect(collections).not.toContain(`org_${deletedName}`);
    expect(
      await t.db.tenants.collection(`org_${newName}`).countDocuments({ late: { $exists: true } }),
    ).toBe(2);
    expect(reconciler.getHealth().unresolved).toBe(0);
    expect(
      await t.db.master.collection('tenant_writers').countDocuments({ instanceId: deadInstance }),
    ).toBe(0);
    expect(
      await t.db.master.collection('service_instances').countDocuments({ _id: deadInstance }),
    ).toBe(0);
    expect(
      await t.db.master.collection('retired_locations').countDocuments({
        _id: `${process.env.TENANT_DB_NAME}.org_${oldName}` as unknown as mongo.ObjectId,
      }),
    ).toBe(1);
  });
});
