import { trusted } from 'mongoose';

/** A filter on `createdAt`: before `cutoff`, and not before `since` when it is given. */
export function createdBetween(since: Date | undefined, cutoff: Date) {
  return { createdAt: trusted(since ? { $gte: since, $lt: cutoff } : { $lt: cutoff }) };
}
