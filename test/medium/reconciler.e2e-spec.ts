import { Types } from 'mongoose';
import type { OrganizationLifecycle } from '../../src/organization/lifecycle/organization-lifecycle.service';
import type { OrganizationReconciler } from '../../src/organization/lifecycle/organization-reconciler.service';
import { uniqueName } from '../support/factories';
import { startLifecycleModule, type LifecycleContext } from '../support/lifecycle-module';

interface NameClaim {
  _id: string;
  organizationId: Types.ObjectId;
  createdAt: Date;
}

const LEASE_MS = 300;
const PASSWORD_HASH = `$2b$10$${'a'.repeat(53)}`;
const EMPTY_ORPHAN = `org_${uniqueName('orphan')}`;
const FULL_ORPHAN = `org_${uniqueName('orphan')}`;

/** Medium tests of the reconciler: the organization module alone on the real database. */
describe('the reconciler (medium)', () => {
  let t: LifecycleContext;
  let lifecycle: OrganizationLifecycle;
  let reconciler: OrganizationReconciler;

  beforeAll(async () => {
    t = await startLifecycleModule(
      { LIFECYCLE_LEASE_MS: String(LEASE_MS), RECONCILE_INTERVAL_MS: '3600000' },
      // Left over before start-up, for the full pass that start-up runs.
      async (db) => {
        await db.tenants.createCollection(EMPTY_ORPHAN);
        await db.tenants.collection(FULL_ORPHAN).insertOne({ kept: true });
      },
    );
    const [lifecycleModule, reconcilerModule] = await Promise.all([
      import('../../src/organization/lifecycle/organization-lifecycle.service'),
      import('../../src/organization/lifecycle/organization-reconciler.service'),
    ]);
    lifecycle = t.module.get(lifecycleModule.OrganizationLifecycle);
    reconciler = t.module.get(reconcilerModule.OrganizationReconciler);
  });
  afterAll(() => t.close());

  const organizations = () => t.db.master.collection('organizations');
  const afterLease = () => new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));

  async function createOrganization() {
    const name = uniqueName();
    const { _id } = await lifecycle.create({
      name,
      email: `admin@${name}.example`,
      passwordHash: PASSWORD_HASH,
    });
    return { id: _id, name };
  }

  it('at start-up drops an empty orphan collection and keeps one that holds documents', async () => {
    expect(reconciler.getHealth()).toEqual({ lastSuccessAt: expect.any(Date), unresolved: 0 });
    expect(await t.db.tenantCollectionExists(EMPTY_ORPHAN)).toBe(false);
    expect(await t.db.tenants.collection(FULL_ORPHAN).countDocuments()).toBe(1);
  });

  it('releases a name claim that no organization holds, once the lease has passed', async () => {
    const name = uniqueName('orphan');
    const claims = t.db.master.collection<NameClaim>('organization_names');
    await claims.insertOne({
      _id: name,
      organizationId: new Types.ObjectId(),
      createdAt: new Date(),
    });
    await afterLease();
    await reconciler.runOnce();
    expect(await claims.findOne({ _id: name })).toBeNull();
  });

  it('leaves an operation alone until its lease has run out, then finishes it', async () => {
    const { id, name } = await createOrganization();
    await organizations().updateOne(
      { _id: id },
      { $set: { status: 'deleting', statusChangedAt: new Date() } },
    );
    await t.db.master.collection('organization_locks').insertOne({
      _id: id,
      token: new Types.ObjectId(),
      acquiredAt: new Date(),
    });
    // Younger than the lease as of this pass's cutoff: a live operation holds it.
    await reconciler.runOnce();
    expect(await organizations().findOne({ _id: id })).toMatchObject({ status: 'deleting' });

    await afterLease();
    await reconciler.runOnce();
    expect(await organizations().findOne({ _id: id })).toBeNull();
    expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(false);
  });

  it('reports a rename it cannot finish without losing documents, and finishes it once it can', async () => {
    const { id, name } = await createOrganization();
    const target = uniqueName('renamed');
    await t.db.tenants.collection(`org_${name}`).insertOne({ mine: true });
    await t.db.tenants.collection(`org_${target}`).insertOne({ someone: 'else' });
    await t.db.master.collection<NameClaim>('organization_names').insertOne({
      _id: target,
      organizationId: id,
      createdAt: new Date(),
    });
    const tenantDb = t.db.tenants.databaseName;
    await organizations().updateOne(
      { _id: id },
      {
        $set: {
          status: 'renaming',
          statusChangedAt: new Date(0),
          pendingRename: {
            name: target,
            location: { database: tenantDb, collectionName: `org_${target}` },
          },
        },
      },
    );

    await reconciler.runOnce();
    expect(reconciler.getHealth().unresolved).toBe(1);
    expect(await organizations().findOne({ _id: id })).toMatchObject({ status: 'renaming' });
    expect(await t.db.tenants.collection(`org_${name}`).countDocuments()).toBe(1);
    expect(await t.db.tenants.collection(`org_${target}`).countDocuments()).toBe(1);

    await t.db.tenants.collection(`org_${target}`).deleteMany({});
    await reconciler.runOnce();
    expect(reconciler.getHealth().unresolved).toBe(0);
    expect(await organizations().findOne({ _id: id })).toMatchObject({
      name: target,
      status: 'active',
    });
    expect(await t.db.tenants.collection(`org_${target}`).countDocuments({ mine: true })).toBe(1);
  });
});
