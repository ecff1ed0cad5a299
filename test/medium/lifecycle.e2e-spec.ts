import { Types } from 'mongoose';
import type { OrganizationLifecycle } from '../../src/organization/lifecycle/organization-lifecycle.service';
import type { OrganizationReconciler } from '../../src/organization/lifecycle/organization-reconciler.service';
import {
  FAILURE_POINTS,
  type FailurePoint,
} from '../../src/organization/lifecycle/failure-point-names';
import { uniqueName } from '../support/factories';
import {
  FailurePointReached,
  startLifecycleModule,
  type LifecycleContext,
} from '../support/lifecycle-module';
import { DOCUMENTS, RENAME_OUTCOMES } from '../support/recovery-cases';

/** Name and email claims are keyed by the name or email itself. */
interface Claim {
  _id: string;
}

const LEASE_MS = 300;
const PASSWORD_HASH = `$2b$10$${'a'.repeat(53)}`;

/**
 * Medium tests of the lifecycle: the organization module on the real database, with each
 * failure point throwing instead of killing the process. A step that fails leaves the
 * organization where a crash would; one reconciler pass after the lease must bring it to
 * the same end as in the crash suite (test/lifecycle-crash.e2e-spec.ts), in well under a
 * second per case.
 */
describe('lifecycle steps and recovery (medium)', () => {
  let t: LifecycleContext;
  let lifecycle: OrganizationLifecycle;
  let reconciler: OrganizationReconciler;

  beforeAll(async () => {
    t = await startLifecycleModule({
      LIFECYCLE_LEASE_MS: String(LEASE_MS),
      // Only the passes a test runs itself.
      RECONCILE_INTERVAL_MS: '3600000',
    });
    const [lifecycleModule, reconcilerModule] = await Promise.all([
      import('../../src/organization/lifecycle/organization-lifecycle.service'),
      import('../../src/organization/lifecycle/organization-reconciler.service'),
    ]);
    lifecycle = t.module.get(lifecycleModule.OrganizationLifecycle);
    reconciler = t.module.get(reconcilerModule.OrganizationReconciler);
  });
  afterAll(() => t.close());

  function newOrganization() {
    const name = uniqueName();
    return { name, email: `admin@${name}.example`, passwordHash: PASSWORD_HASH };
  }

  async function createWithDocuments() {
    const request = newOrganization();
    const organization = await lifecycle.create(request);
    await t.db.tenants
      .collection(`org_${request.name}`)
      .insertMany(DOCUMENTS.map((document) => ({ ...document })));
    return { ...request, id: organization._id };
  }

  async function failAt(point: FailurePoint, step: () => Promise<unknown>): Promise<void> {
    t.failurePoints.arm(point);
    await expect(step()).rejects.toBeInstanceOf(FailurePointReached);
  }

  /** One pass once the failed operation's lease has run out. */
  async function reconcileAfterLease(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));
    await reconciler.runOnce();
    expect(reconciler.getHealth().unresolved).toBe(0);
  }

  async function expectNoTrace(id: Types.ObjectId, name: string, email: string): Promise<void> {
    expect(await t.db.master.collection('organizations').findOne({ _id: id })).toBeNull();
    expect(await t.db.master.collection('admins').findOne({ organizationId: id })).toBeNull();
    expect(await t.db.nameClaims(id)).toEqual([]);
    expect(
      await t.db.master.collection<Claim>('organization_names').findOne({ _id: name }),
    ).toBeNull();
    expect(await t.db.master.collection<Claim>('admin_emails').findOne({ _id: email })).toBeNull();
    expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(false);
  }

  it('creates, renames and deletes when no step fails', async () => {
    const { id, name, email } = await createWithDocuments();
    const newName = uniqueName('renamed');
    expect(await lifecycle.rename(id, newName)).toMatchObject({ name: newName, status: 'active' });
    expect(await t.db.tenantCollectionExists(`org_${name}`)).toBe(false);
    expect(await t.db.tenants.collection(`org_${newName}`).countDocuments()).toBe(2);

    await lifecycle.delete(id);
    await expectNoTrace(id, newName, email);
  });

  it.each(FAILURE_POINTS.filter((point) => point.startsWith('create:')))(
    'leaves no trace of a create that failed at %s',
    async (point) => {
      const request = newOrganization();
      await failAt(point, () => lifecycle.create(request));
      await reconcileAfterLease();

      const claim = await t.db.master
        .collection<Claim>('organization_names')
        .findOne({ _id: request.name });
      expect(claim).toBeNull();
      expect(await t.db.organization(request.name)).toBeNull();
      expect(await t.db.admin(request.email)).toBeNull();
      expect(await t.db.tenantCollectionExists(`org_${request.name}`)).toBe(false);
      // The name and the email are free again.
      await expect(lifecycle.create(request)).resolves.toMatchObject({ status: 'active' });
    },
  );

  it.each(RENAME_OUTCOMES)(
    'after a rename failed at %s, keeps the %s name with every document',
    async (point, outcome) => {
      const { id, name: oldName } = await createWithDocuments();
      const newName = uniqueName('renamed');
      await failAt(point, () => lifecycle.rename(id, newName));
      await reconcileAfterLease();

      const [kept, freed] = outcome === 'new' ? [newName, oldName] : [oldName, newName];
      expect(await t.db.organization(kept)).toMatchObject({
        _id: id,
        status: 'active',
        location: { collectionName: `org_${kept}` },
      });
      expect((await t.db.nameClaims(id)).map((claim) => claim._id)).toEqual([kept]);
      expect(await t.db.tenantCollectionExists(`org_${freed}`)).toBe(false);
      const documents = await t.db.tenants
        .collection(`org_${kept}`)
        .find({}, { projection: { _id: 0 } })
        .sort({ sku: 1 })
        .toArray();
      expect(documents).toEqual(DOCUMENTS);
    },
  );

  it.each(FAILURE_POINTS.filter((point) => point.startsWith('delete:')))(
    'finishes a delete that failed at %s',
    async (point) => {
      const { id, name, email } = await createWithDocuments();
      await failAt(point, () => lifecycle.delete(id));
      await reconcileAfterLease();
      await expectNoTrace(id, name, email);
    },
  );
});
