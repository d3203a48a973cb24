import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from '../../lib/http/retry';

describe('backoffDelay', () => {
  it('stays within the doubling window (full jitter) for any random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const window = Math.min(
            DEFAULT_BACKOFF.maxDelayMs,
            DEFAULT_BACKOFF.baseDelayMs * 2 ** attempt,
          );
          const delay = backoffDelay(attempt, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(window);
        },
      ),
    );
  });

  it('spreads delays over the window instead of fixing them', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.5)).toBe(250);
    expect(backoffDelay(2, () => 0.5)).toBe(1000);
    expect(backoffDelay(30, () => 0.5)).toBe(DEFAULT_BACKOFF.maxDelayMs / 2);
  });

  it('keeps a broken random source from producing NaN or negative waits', () => {
    expect(backoffDelay(1, () => Number.NaN)).toBe(0);
    expect(backoffDelay(1, () => -2)).toBe(0);
    expect(backoffDelay(1, () => 7)).toBeLessThan(1000);
  });

  it('never waits less than Retry-After, and adds jitter after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 120_000 }),
        (attempt, r, retryAfterMs) => {
          const delay = backoffDelay(attempt, () => r, DEFAULT_BACKOFF, retryAfterMs);
          const window = Math.min(
            DEFAULT_BACKOFF.maxDelayMs,
            DEFAULT_BACKOFF.baseDelayMs * 2 ** attempt,
          );
          expect(delay).toBeGreaterThanOrEqual(retryAfterMs);
          expect(delay).toBeLessThan(retryAfterMs + window);
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1500);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-03-01T00:00:00Z');
    expect(parseRetryAfter('Sat, 01 Mar 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Fri, 28 Feb 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-3')).toBeUndefined();
  });
});
