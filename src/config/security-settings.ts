import { isIP } from 'node:net';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/** What Express accepts as 'trust proxy' and this service allows. */
export type TrustProxySetting = false | number | string[];

const NAMED_SUBNETS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const HOPS = /^\d{1,2}$/;

/** An origin as browsers send it: scheme, host and optional port; no path. */
export const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export function commaSeparated(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `false`/`0`/empty → off; digits → hop count; anything else → a list of proxies. */
export function trustProxySetting(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'false' || trimmed === '0') return false;
  if (HOPS.test(trimmed)) return Number(trimmed);
  return commaSeparated(trimmed);
}

function isProxyAddress(entry: string): boolean {
  if (NAMED_SUBNETS.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

@ValidatorConstraint({ name: 'trustProxy' })
export class IsTrustProxySetting implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (value === false) return true;
    if (typeof value === 'number') return Number.isInteger(value) && value > 0;
    return (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((entry) => typeof entry === 'string' && isProxyAddress(entry))
    );
  }

  defaultMessage(): string {
    return 'TRUST_PROXY must be false, a number of proxy hops, or proxy addresses, subnets, loopback, linklocal or uniquelocal';
  }
}
