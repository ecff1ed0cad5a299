import type { TestingModule } from '@nestjs/testing';
import type { FailurePoint } from '../../src/organization/lifecycle/failure-point-names';
import { isolatedDatabaseNames } from './service-process';
import type { DatabaseInspector } from './test-app';

/** Thrown where the crash tests kill the process: the medium tests see it as a failed step. */
export class FailurePointReached extends Error {}

/** Stands in for FailurePoints: the armed point throws once instead of killing the process. */
export class ThrowingFailurePoints {
  private armed?: FailurePoint;

  arm(point: FailurePoint): void {
    this.armed = point;
  }

  reach(point: FailurePoint): void {
    if (point !== this.armed) return;
    this.armed = undefined;
    throw new FailurePointReached(point);
  }
}

export interface LifecycleContext {
  module: TestingModule;
  failurePoints: ThrowingFailurePoints;
  db: DatabaseInspector;
  close(): Promise<void>;
}

/**
 * The organization module alone (lifecycle, reconciler, tenant steps, auth repositories) on
 * the real database, in databases of its own so that its reconciler meets no other suite's
 * data. Call once per file: the configuration is read when the modules are first loaded.
 */
export async function startLifecycleModule(
  env: Record<string, string>,
  prepare: (db: DatabaseInspector) => Promise<void> = async () => {},
): Promise<LifecycleContext> {
  const names = isolatedDatabaseNames('medium');
  Object.assign(process.env, env, { MASTER_DB_NAME: names.master, TENANT_DB_NAME: names.tenants });
  // Imported only now, as everything that loads the application's modules: the
  // configuration module reads the environment when it is loaded.
  const { DatabaseInspector } = await import('./test-app');
  const db = await DatabaseInspector.connect(undefined, names);
  await prepare(db);

  const [{ Test }, { AppConfigModule }, { DatabaseModule }, { MetricsModule }] = await Promise.all([
    import('@nestjs/testing'),
    import('../../src/config/config.module'),
    import('../../src/database/database.module'),
    import('../../src/metrics/metrics.module'),
  ]);
  const [{ OrganizationModule }, { FailurePoints }] = await Promise.all([
    import('../../src/organization/organization.module'),
    import('../../src/organization/lifecycle/failure-points'),
  ]);
  const failurePoints = new ThrowingFailurePoints();
  const module = await Test.createTestingModule({
    imports: [AppConfigModule, MetricsModule, DatabaseModule, OrganizationModule],
  })
    .overrideProvider(FailurePoints)
    .useValue(failurePoints)
    .compile();
  await module.init();
  return {
    module,
    failurePoints,
    db,
    close: async () => {
      await module.close();
      await db.drop();
      await db.close();
    },
  };
}
