import { PreconditionFailedException } from '@nestjs/common';
import { assertIfMatch, etagOf, nextUpdatedAt } from './record-etag';

describe('record entity tags', () => {
  const written = new Date('2026-01-02T03:04:05.678Z');

  it('is a strong tag that changes with updatedAt', () => {
    expect(etagOf(written)).toMatch(/^"[0-9a-z]+"$/);
    expect(etagOf(new Date(written.getTime() + 1))).not.toBe(etagOf(written));
  });

  it('moves updatedAt forward even when the clock has not', () => {
    const future = new Date(Date.now() + 60_000);
    expect(nextUpdatedAt(future).getTime()).toBe(future.getTime() + 1);
    expect(nextUpdatedAt(undefined).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('lets a write go on with no If-Match, *, or a list naming the current tag', () => {
    expect(() => assertIfMatch(undefined, written)).not.toThrow();
    expect(() => assertIfMatch('*', written)).not.toThrow();
    expect(() => assertIfMatch(`"old", ${etagOf(written)}`, written)).not.toThrow();
  });

  it('refuses a stale tag, a weak tag and garbage with 412', () => {
    for (const ifMatch of ['"old"', `W/${etagOf(written)}`, 'nonsense']) {
      expect(() => assertIfMatch(ifMatch, written)).toThrow(PreconditionFailedException);
    }
  });
});
