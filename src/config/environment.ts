import { plainToInstance, Transform } from 'class-transformer';
import { availableParallelism } from 'node:os';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  validateSync,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { parseEncryptionKey } from '../cluster/data-encryption';
import { FAILURE_POINTS } from '../organization/lifecycle/failure-point-names';
import { DEFAULT_PLACEMENTS, Placement } from '../tenant/placement';
import { loadOrCreateDevelopmentSecret } from './development-secret';
import { minimumLifecycleLeaseMs } from './lifecycle-timing';
import {
  commaSeparated,
  IsTrustProxySetting,
  ORIGIN,
  trustProxySetting,
  type TrustProxySetting,
} from './security-settings';

const DATABASE_NAME = /^[A-Za-z0-9_-]{1,38}$/;
const DURATION = /^(\d+)([smhd]?)$/;
const SECONDS_PER_UNIT: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

function durationInSeconds(value: unknown): unknown {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  return match ? Number(match[1]) * SECONDS_PER_UNIT[match[2]] : value;
}

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The bcrypt cost a deployment needs; a benchmark or test may go lower. */
const MIN_BCRYPT_COST = 10;
const MIN_TEST_BCRYPT_COST = 4;

@ValidatorConstraint({ name: 'encryptionKey' })
class IsEncryptionKey implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseEncryptionKey(value) !== undefined;
  }

  defaultMessage({ property }: ValidationArguments): string {
    return `${property} must be 32 bytes written as 64 hex characters or as base64`;
  }
}

/**
 * Every setting the service reads from its environment, checked once at boot.
 * A property's decorators are checked bottom-up and only the first failure is reported,
 * so the type check sits lowest.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @Min(0)
  @Max(65535)
  @IsInt()
  PORT = 3000;

  /** When absent, the service starts an embedded database under DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\//, {
    message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://',
  })
  MONGODB_URI?: string;

  @Matches(DATABASE_NAME, { message: 'MASTER_DB_NAME must be 1-38 letters, digits, _ or -' })
  MASTER_DB_NAME = 'master';

  @Matches(DATABASE_NAME, { message: 'TENANT_DB_NAME must be 1-38 letters, digits, _ or -' })
  TENANT_DB_NAME = 'tenants';

  /** Enables the operator API (`/operator/*`) for callers sending it as a bearer token. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'OPERATOR_API_KEY must be at least 32 characters long' })
  OPERATOR_API_KEY?: string;

  /**
   * redis:// or rediss:// URL. When set, rate-limit counters (logins, creates, acceptances)
   * live in Redis, shared by every instance; unset, each instance counts in its own memory.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  /** Where new organizations keep their data: `shared` (TENANT_DB_NAME) or a `database` of their own. */
  @IsIn(DEFAULT_PLACEMENTS, { message: 'DEFAULT_PLACEMENT must be shared or database' })
  DEFAULT_PLACEMENT: Placement = Placement.Shared;

  /**
   * Encrypts what the master database keeps secret (cluster connection strings): 32 bytes
   * as 64 hex characters or base64. Needed only to register and use clusters.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Validate(IsEncryptionKey)
  DATA_ENCRYPTION_KEY?: string;

  /** Earlier DATA_ENCRYPTION_KEYs, comma-separated: secrets they sealed still open. */
  @Transform(({ value }) => commaSeparated(value))
  @Validate(IsEncryptionKey, { each: true })
  DATA_ENCRYPTION_PREVIOUS_KEYS: string[] = [];

  /** Connections each cluster's client may open (per instance). */
  @Transform(({ value }) => Number(value))
  @Max(1_000)
  @Min(1)
  @IsInt()
  CLUSTER_MAX_POOL_SIZE = 20;

  /** A cluster's client that ran no operation this long is closed (at least 30 s, above any binding TTL). */
  @Transform(({ value }) => Number(value))
  @Min(30_000)
  @IsInt()
  CLUSTER_CLIENT_IDLE_MS = 300_000;

  /** Cluster clients kept open at once (per instance; least recently used closed first). */
  @Transform(({ value }) => Number(value))
  @Min(1)
  @IsInt()
  CLUSTER_CLIENTS_MAX = 100;

  /** When absent outside production, a development secret is generated and kept in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** Seconds; written as seconds or with a unit: 900, 15m, 1h, 1d. */
  @Transform(({ value }) => durationInSeconds(value))
  @Min(1, { message: 'JWT_EXPIRES_IN must be at least one second' })
  @IsInt({ message: 'JWT_EXPIRES_IN must be a number of seconds or a duration like 15m, 1h, 1d' })
  JWT_EXPIRES_IN = 3600;

  /** Seconds an invitation token can be accepted; written like JWT_EXPIRES_IN. */
  @Transform(({ value }) => durationInSeconds(value))
  @Min(60, { message: 'INVITATION_TTL must be at least one minute' })
  @IsInt({ message: 'INVITATION_TTL must be a number of seconds or a duration like 12h, 7d' })
  INVITATION_TTL = 7 * 86400;

  /** Seconds a session's refresh token lives after its last use; written like JWT_EXPIRES_IN. */
  @Transform(({ value }) => durationInSeconds(value))
  @Min(60, { message: 'REFRESH_TTL must be at least one minute' })
  @IsInt({ message: 'REFRESH_TTL must be a number of seconds or a duration like 12h, 30d' })
  REFRESH_TTL = 30 * 86400;

  /** Days an audit entry is kept (a TTL index, and the reconciler's sweep on FerretDB). */
  @Transform(({ value }) => Number(value))
  @Max(36_500, { message: 'AUDIT_RETENTION_DAYS must be at most 36500' })
  @Min(1, { message: 'AUDIT_RETENTION_DAYS must be at least 1' })
  @IsInt({ message: 'AUDIT_RETENTION_DAYS must be a whole number of days' })
  AUDIT_RETENTION_DAYS = 365;

  /** At least 10; a benchmark may go down to 4 with NODE_ENV=test, to set up quickly. */
  @Transform(({ value }) => Number(value))
  @Min(MIN_TEST_BCRYPT_COST, { message: ({ object }) => bcryptCostProblem(object as Environment) })
  @Max(15)
  @IsInt()
  BCRYPT_COST = 12;

  @IsString()
  @IsNotEmpty()
  DATA_DIR = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * An organization left mid-operation longer than this is taken over by the reconciler.
   * At least 4 × TENANT_BINDING_TTL_MS + 10 s (see lifecycle-timing.ts), unless NODE_ENV=test.
   */
  @Transform(({ value }) => Number(value))
  @Min(100)
  @IsInt()
  LIFECYCLE_LEASE_MS = 30_000;

  @Transform(({ value }) => Number(value))
  @Min(100)
  @IsInt()
  RECONCILE_INTERVAL_MS = 10_000;

  /**
   * How long a request may trust a cached tenant binding, and a writer its registration,
   * before re-reading the master record; an idle writer withdraws after this long. A rename
   * or delete drains writers, which takes up to about twice this (see lifecycle-timing.ts).
   */
  @Transform(({ value }) => Number(value))
  @Max(10_000)
  @Min(50)
  @IsInt()
  TENANT_BINDING_TTL_MS = 1_000;

  /** Bound tenant models kept per process (least recently used out). */
  @Transform(({ value }) => Number(value))
  @Min(1)
  @IsInt()
  TENANT_BINDING_CACHE_SIZE = 1_000;

  /** Largest tenant document, in bytes of JSON. */
  @Transform(({ value }) => Number(value))
  @Max(16 * 1024 * 1024 - 64 * 1024)
  @Min(1)
  @IsInt()
  RECORD_MAX_BYTES = 256 * 1024;

  /** Deepest nesting of objects and arrays in a tenant document. */
  @Transform(({ value }) => Number(value))
  @Max(100)
  @Min(1)
  @IsInt()
  RECORD_MAX_DEPTH = 20;

  /** Bytes of NDJSON an import holds before writing them as one batch. */
  @Transform(({ value }) => Number(value))
  @Max(32 * 1024 * 1024)
  @Min(64 * 1024)
  @IsInt()
  IMPORT_BATCH_BYTES = 8 * 1024 * 1024;

  /** Refused lines (empty ones included) after which an import stops reading. */
  @Transform(({ value }) => Number(value))
  @Min(0)
  @IsInt()
  IMPORT_MAX_REFUSED = 1_000;

  /** Imports and bulk writes one organization may run at once (per instance); over it, 429. */
  @Transform(({ value }) => Number(value))
  @Min(1)
  @IsInt()
  BULK_WRITES_PER_ORGANIZATION = 2;

  /** Imports and bulk writes running at once in all (per instance); over it, 503. */
  @Transform(({ value }) => Number(value))
  @Min(1)
  @IsInt()
  BULK_WRITES_TOTAL = 8;

  /** Megabytes of JSON request bodies read at once (per instance); over it, 503. */
  @Transform(({ value }) => Number(value))
  @Min(1)
  @IsInt()
  JSON_BODY_BUDGET_MB = 32;

  /** Test only: comma-separated failure points that kill the process (see FailurePoints). */
  @Transform(({ value }) => commaSeparated(value))
  @IsIn(FAILURE_POINTS, {
    each: true,
    message: `FAILURE_POINTS may list only: ${FAILURE_POINTS.join(', ')}`,
  })
  FAILURE_POINTS: string[] = [];

  /**
   * Test only: every tenant write waits this long between passing the write barrier and
   * reaching the database, as a write slowed by load would (see TenantWriteGate).
   */
  @Transform(({ value }) => Number(value))
  @Min(0)
  @IsInt()
  TEST_WRITE_DELAY_MS = 0;

  /**
   * Express "trust proxy": `false` (the socket address is the client), a number of proxy
   * hops, or a comma-separated list of proxy addresses, subnets or `loopback`, `linklocal`,
   * `uniquelocal`. `true` is refused: it would let any client choose its address.
   */
  @Transform(({ value }) => trustProxySetting(value))
  @Validate(IsTrustProxySetting)
  TRUST_PROXY: TrustProxySetting = false;

  /** Origins allowed by CORS, comma-separated (`https://app.example`). Empty: CORS closed. */
  @Transform(({ value }) => commaSeparated(value))
  @Matches(ORIGIN, {
    each: true,
    message: 'CORS_ORIGINS must list origins like https://app.example',
  })
  CORS_ORIGINS: string[] = [];

  /** Login attempts one client address may make per LOGIN_WINDOW. */
  @Transform(({ value }) => Number(value))
  @Min(1, { message: 'LOGIN_ADDRESS_LIMIT must be at least 1' })
  @IsInt({ message: 'LOGIN_ADDRESS_LIMIT must be a whole number' })
  LOGIN_ADDRESS_LIMIT = 100;

  /**
   * Organizations one client address may ask to create per LOGIN_WINDOW (counted like
   * LOGIN_ADDRESS_LIMIT, blocked for LOGIN_BLOCK once over it).
   */
  @Transform(({ value }) => Number(value))
  @Min(1, { message: 'CREATE_ADDRESS_LIMIT must be at least 1' })
  @IsInt({ message: 'CREATE_ADDRESS_LIMIT must be a whole number' })
  CREATE_ADDRESS_LIMIT = 20;

  /** Login attempts for one email (any address) per LOGIN_WINDOW. */
  @Transform(({ value }) => Number(value))
  @Min(1, { message: 'LOGIN_ACCOUNT_LIMIT must be at least 1' })
  @IsInt({ message: 'LOGIN_ACCOUNT_LIMIT must be a whole number' })
  LOGIN_ACCOUNT_LIMIT = 10;

  /** Seconds over which login attempts are counted; written like JWT_EXPIRES_IN. */
  @Transform(({ value }) => durationInSeconds(value))
  @Min(1, { message: 'LOGIN_WINDOW must be at least one second' })
  @IsInt({ message: 'LOGIN_WINDOW must be a number of seconds or a duration like 15m' })
  LOGIN_WINDOW = 900;

  /** Seconds a client address or an email is refused once over its limit; never permanent. */
  @Transform(({ value }) => durationInSeconds(value))
  @Max(86400, { message: 'LOGIN_BLOCK must be at most one day' })
  @Min(1, { message: 'LOGIN_BLOCK must be at least one second' })
  @IsInt({ message: 'LOGIN_BLOCK must be a number of seconds or a duration like 15m' })
  LOGIN_BLOCK = 900;

  /** Worker threads that run bcrypt off the event loop; 0 runs it on the main thread. */
  @Transform(({ value }) => Number(value))
  @Max(256)
  @Min(0)
  @IsInt({ message: 'BCRYPT_WORKERS must be a whole number' })
  BCRYPT_WORKERS = availableParallelism();

  /**
   * How long a verified token's database check (the admin exists, belongs to the
   * organization, and has the token's version) is reused in this process; 0 re-reads the
   * admin on every request. The instance that revokes a token forgets it at once; another
   * instance may accept it for at most this long.
   */
  @Transform(({ value }) => Number(value))
  @Max(60_000)
  @Min(0)
  @IsInt({ message: 'TOKEN_CHECK_TTL_MS must be a whole number' })
  TOKEN_CHECK_TTL_MS = 1_000;

  /**
   * The bearer token a Prometheus scraper sends to `GET /metrics`. Unset, the route answers
   * 404 as if it did not exist.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;
}

/** The environment after validation: the JWT secret is always resolved. */
export type ValidatedEnvironment = Environment & { JWT_SECRET: string };

function bcryptCostProblem({ NODE_ENV }: Environment): string {
  return NODE_ENV === 'test'
    ? `BCRYPT_COST must be at least ${MIN_TEST_BCRYPT_COST}`
    : `BCRYPT_COST must be at least ${MIN_BCRYPT_COST} (${MIN_TEST_BCRYPT_COST} with NODE_ENV=test)`;
}

/**
 * A lease shorter than the drain's bound would let the reconciler take over a rename that
 * is still waiting for writes. The crash tests run a recovering service with a tiny lease
 * so that it takes over at once; that is allowed only with NODE_ENV=test.
 */
function lifecycleLeaseProblems(environment: Environment): string[] {
  const { LIFECYCLE_LEASE_MS, TENANT_BINDING_TTL_MS, NODE_ENV } = environment;
  if (NODE_ENV === 'test' || !Number.isInteger(TENANT_BINDING_TTL_MS)) return [];
  const minimum = minimumLifecycleLeaseMs(TENANT_BINDING_TTL_MS);
  if (!(LIFECYCLE_LEASE_MS < minimum)) return [];
  return [
    `LIFECYCLE_LEASE_MS must be at least 4 × TENANT_BINDING_TTL_MS + 10000 (${minimum} ms with ` +
      `TENANT_BINDING_TTL_MS=${TENANT_BINDING_TTL_MS}), or a rename could be taken over while it ` +
      'still runs; smaller values only with NODE_ENV=test',
  ];
}

/** Used as `ConfigModule.forRoot({ validate })`: fails start-up with every problem listed. */
export function validateEnvironment(raw: Record<string, unknown>): ValidatedEnvironment {
  const environment = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const problems = validateSync(environment, { stopAtFirstError: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  const { BCRYPT_COST, NODE_ENV } = environment;
  if (BCRYPT_COST >= MIN_TEST_BCRYPT_COST && BCRYPT_COST < MIN_BCRYPT_COST && NODE_ENV !== 'test') {
    problems.push(bcryptCostProblem(environment));
  }
  problems.push(...lifecycleLeaseProblems(environment));
  if (environment.FAILURE_POINTS.length > 0 && environment.NODE_ENV !== 'test') {
    problems.push('FAILURE_POINTS may be set only when NODE_ENV=test');
  }
  if (environment.TEST_WRITE_DELAY_MS > 0 && environment.NODE_ENV !== 'test') {
    problems.push('TEST_WRITE_DELAY_MS may be set only when NODE_ENV=test');
  }
  if (environment.NODE_ENV === 'production') {
    if (!environment.MONGODB_URI) problems.push('MONGODB_URI is required in production');
    if (!environment.JWT_SECRET) problems.push('JWT_SECRET is required in production');
  }
  if (problems.length > 0) {
    throw new Error(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
  environment.JWT_SECRET ??= loadOrCreateDevelopmentSecret(environment.DATA_DIR);
  return environment as ValidatedEnvironment;
}
