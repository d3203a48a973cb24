/**
 * When to try a request again and how long to wait first. Waits use full
 * jitter (a random share of an exponentially growing window) so many clients
 * hitting the same limit do not come back in step; a `Retry-After` from the
 * provider is a floor, never shortened.
 */

export interface BackoffPolicy {
  /** The first window, in ms; it doubles with each attempt. */
  baseDelayMs: number;
  /** The window never grows past this. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 500, maxDelayMs: 20_000 };

/**
 * How long to wait before retry number `attempt` (0 for the first retry).
 * `random` returns a number in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  retryAfterMs?: number,
): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const drawn = random();
  // A misbehaving random source must not turn into NaN or a negative wait.
  const r = Number.isFinite(drawn) ? Math.min(Math.max(drawn, 0), 1 - Number.EPSILON) : 0;
  const jitter = Math.floor(r * window);
  // With a Retry-After the server's wait comes first and the jitter spreads
  // clients out after it; without one, full jitter over the window.
  return retryAfterMs === undefined ? jitter : retryAfterMs + jitter;
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns ms, or
 * undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Date.parse also reads bare numbers such as "-3" as years; a real HTTP date has a month name.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
