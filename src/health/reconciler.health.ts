import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { ValidatedEnvironment } from '../config/environment';
import { OrganizationReconciler } from '../organization/lifecycle/organization-reconciler.service';

/** Passes while the reconciler keeps completing passes and leaves nothing unresolved. */
@Injectable()
export class ReconcilerHealthIndicator {
  private readonly maxSilenceMs: number;

  constructor(
    private readonly reconciler: OrganizationReconciler,
    private readonly indicator: HealthIndicatorService,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.maxSilenceMs = 3 * config.get('RECONCILE_INTERVAL_MS', { infer: true });
  }

  check(key: string) {
    const session = this.indicator.check(key);
    const { lastSuccessAt, unresolved } = this.reconciler.getHealth();
    const silentFor = lastSuccessAt ? Date.now() - lastSuccessAt.getTime() : Infinity;
    const details = { lastSuccessAt: lastSuccessAt?.toISOString() ?? null, unresolved };
    return silentFor <= this.maxSilenceMs && unresolved === 0
      ? session.up(details)
      : session.down(details);
  }
}
