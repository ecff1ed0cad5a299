import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';

/*
 * Every metric the service defines. Label values come from small fixed sets (methods,
 * route templates, status codes, command names, kinds, outcomes); never an organization's
 * name or id, an email or any other value a client chooses.
 */

export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';
export const HTTP_REQUESTS_IN_FLIGHT = 'http_requests_in_flight';
export const DB_COMMAND_DURATION = 'db_command_duration_seconds';
export const PASSWORD_HASH_QUEUE_WAIT = 'password_hash_queue_wait_seconds';
export const PASSWORD_HASH_DURATION = 'password_hash_duration_seconds';
export const TENANT_BINDING_LOOKUPS = 'tenant_binding_lookups_total';
export const TENANT_BINDING_EVICTIONS = 'tenant_binding_evictions_total';
export const LIFECYCLE_OPERATIONS = 'lifecycle_operations_total';
export const RECONCILER_PASSES = 'reconciler_passes_total';
export const RECONCILER_REPAIRS = 'reconciler_repairs_total';
export const RATE_LIMIT_BLOCKS = 'rate_limit_blocks_total';

/** bcrypt at cost 10-15 takes tens of milliseconds to seconds; the queue may add more. */
const HASH_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const METRIC_PROVIDERS = [
  makeHistogramProvider({
    name: HTTP_REQUEST_DURATION,
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
  }),
  makeGaugeProvider({
    name: HTTP_REQUESTS_IN_FLIGHT,
    help: 'HTTP requests received and not yet answered',
  }),
  makeHistogramProvider({
    name: DB_COMMAND_DURATION,
    help: 'Database commands by command name and outcome (driver command monitoring)',
    labelNames: ['command', 'outcome'],
    buckets: DB_BUCKETS,
  }),
  makeHistogramProvider({
    name: PASSWORD_HASH_QUEUE_WAIT,
    help: 'Time a bcrypt job waited for a worker thread, by operation (hash or compare)',
    labelNames: ['operation'],
    buckets: HASH_BUCKETS,
  }),
  makeHistogramProvider({
    name: PASSWORD_HASH_DURATION,
    help: 'Time a bcrypt job ran, by operation (hash or compare)',
    labelNames: ['operation'],
    buckets: HASH_BUCKETS,
  }),
  makeCounterProvider({
    name: TENANT_BINDING_LOOKUPS,
    help: 'Tenant model lookups: hit (cached binding used) or miss (master record read)',
    labelNames: ['result'],
  }),
  makeCounterProvider({
    name: TENANT_BINDING_EVICTIONS,
    help: 'Tenant bindings dropped: capacity (least recently used), invalidated or replaced',
    labelNames: ['reason'],
  }),
  makeCounterProvider({
    name: LIFECYCLE_OPERATIONS,
    help: 'Organization creates, renames and deletes by outcome',
    labelNames: ['kind', 'outcome'],
  }),
  makeCounterProvider({
    name: RECONCILER_PASSES,
    help: 'Reconciler passes by outcome',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: RECONCILER_REPAIRS,
    help: 'Leftovers the reconciler repaired, by kind',
    labelNames: ['kind'],
  }),
  makeCounterProvider({
    name: RATE_LIMIT_BLOCKS,
    help: 'Requests refused with 429 by the login and create limiters, by limiter',
    labelNames: ['limiter'],
  }),
];
