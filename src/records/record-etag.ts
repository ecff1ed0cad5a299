import { PreconditionFailedException } from '@nestjs/common';

/**
 * A record's version, as a strong entity tag: its `updatedAt` in milliseconds. Every
 * write to a record holds its lock and moves `updatedAt` forward by at least 1 ms, so
 * the tag changes on every write.
 */
export function etagOf(updatedAt: Date): string {
  return `"${updatedAt.getTime().toString(36)}"`;
}

/** `updatedAt` for the next write of a record last written at `previous`. */
export function nextUpdatedAt(previous: unknown): Date {
  const now = Date.now();
  return previous instanceof Date ? new Date(Math.max(now, previous.getTime() + 1)) : new Date(now);
}

/**
 * RFC 9110 If-Match with strong comparison: absent, `*`, or a list naming the current
 * tag lets the write go on; anything else is 412.
 */
export function assertIfMatch(ifMatch: string | undefined, updatedAt: unknown): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const current = updatedAt instanceof Date ? etagOf(updatedAt) : undefined;
  const listed = ifMatch.split(',').map((tag) => tag.trim());
  if (current !== undefined && listed.includes(current)) return;
  throw new PreconditionFailedException(
    'The record has changed since the version in If-Match; read it again and retry',
  );
}
