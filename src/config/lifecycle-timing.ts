/**
 * How the lifecycle's time bounds relate. A rename or delete marks the record, then waits
 * for writers to withdraw (the drain): a writer sees the mark within one
 * TENANT_BINDING_TTL_MS, and an idle one withdraws after one more; writes still landing get
 * DRAIN_GRACE_MS. The drain may take half the lease; the other half is left for the steps
 * after it, so the reconciler (which takes over after the lease) never takes over an
 * operation that is still running.
 */
const DRAIN_GRACE_MS = 5_000;

/** How long a live rename or delete waits for writes under way before it gives up (503). */
export function drainTimeoutMs(lifecycleLeaseMs: number): number {
  return lifecycleLeaseMs / 2;
}

/** The smallest LIFECYCLE_LEASE_MS whose drain outlasts the fence: 4 × TTL + 10 s. */
export function minimumLifecycleLeaseMs(tenantBindingTtlMs: number): number {
  return 2 * (2 * tenantBindingTtlMs + DRAIN_GRACE_MS);
}
