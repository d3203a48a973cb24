/**
 * What a tab may make the background fetch. The page a content script runs
 * in is not ours: made-up contact or conversation ids must not turn into
 * unbounded HighLevel and Twilio requests. Each tab gets a token bucket per
 * kind of request; a request the bucket cannot pay for is not made, and the
 * tab is told to try again shortly. Extension pages are not budgeted.
 */

/** The requests a content script can cause. */
export type RequestKind = 'contact' | 'conversation-log' | 'message-lookup' | 'send';

export interface BucketLimit {
  /** Requests a tab may make at once, after a quiet spell. */
  burst: number;
  /** Requests a tab may keep making per minute. */
  perMinute: number;
}

/**
 * An agent opens a conversation every few seconds at most: one contact
 * fetch and one conversation log each (three API calls for a log), plus a
 * few single-message lookups for long threads.
 */
export const DEFAULT_LIMITS: Readonly<Record<RequestKind, BucketLimit>> = {
  contact: { burst: 10, perMinute: 20 },
  'conversation-log': { burst: 6, perMinute: 12 },
  'message-lookup': { burst: 40, perMinute: 60 },
  // An agent sends a text every few seconds at most; a page script looping sends gets no further.
  send: { burst: 10, perMinute: 30 },
};

/** What a content script is told when its tab is over budget. */
export const OVER_BUDGET = 'Sender Lens is pacing its requests from this tab; try again shortly.';

/** Tabs remembered at once; the least recently seen is forgotten first. */
const MAX_TABS = 100;

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Per-tab token buckets, refilled continuously from an injectable clock. */
export class TabBudgets {
  private readonly tabs = new Map<number, Map<RequestKind, Bucket>>();

  constructor(
    private readonly now: () => number,
    private readonly limits: Readonly<Record<RequestKind, BucketLimit>> = DEFAULT_LIMITS,
  ) {}

  /** Takes one request of `kind` from the tab's budget; false when it has none left. */
  take(tabId: number, kind: RequestKind): boolean {
    const limit = this.limits[kind];
    const now = this.now();
    let buckets = this.tabs.get(tabId);
    if (buckets === undefined) {
      buckets = new Map();
      while (this.tabs.size >= MAX_TABS) {
        const oldest = this.tabs.keys().next().value;
        if (oldest === undefined) break;
        this.tabs.delete(oldest);
      }
    } else this.tabs.delete(tabId);
    this.tabs.set(tabId, buckets);
    const bucket = buckets.get(kind) ?? { tokens: limit.burst, atMs: now };
    const refill = (Math.max(0, now - bucket.atMs) / 60_000) * limit.perMinute;
    bucket.tokens = Math.min(limit.burst, bucket.tokens + refill);
    bucket.atMs = now;
    buckets.set(kind, bucket);
    // A tolerance, so that refills in small steps add up to a whole token.
    if (bucket.tokens < 1 - 1e-9) return false;
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    return true;
  }
}
