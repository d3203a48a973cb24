/**
 * The pieces the store's parts share: the one transaction helper, new rows,
 * pending picks, and reading a generation's facts.
 */
import type { IDBPTransaction } from 'idb';
import { parseMessageDate } from '../rules/dates';
import type { SnapshotContact } from '../rules/types';
import { redactSecrets } from '../secrets/redact';
import type { PendingPick } from './api';
import { Bucket, bucketOf } from './buckets';
import { type ContactHistory, mergeFacts } from './facts';
import {
  type ContactCacheRow,
  type ContactRow,
  generationRange,
  type LocationRow,
  type PickRow,
  type SenderLensDB,
  type StoreName,
  type SyncStateRow,
} from './schema';
import { toContact } from './snapshot';
import { StoreInputError } from './validate';

export type AnyTx = IDBPTransaction<SenderLensDB, StoreName[], 'readonly' | 'readwrite'>;
export type RwTx = IDBPTransaction<SenderLensDB, StoreName[], 'readwrite'>;

/** Runs `body` in `tx`; on an error aborts the transaction so nothing partial is written. */
export async function within<T>(
  tx: { readonly done: Promise<void>; abort(): void },
  body: () => Promise<T>,
): Promise<T> {
  try {
    const result = await body();
    await tx.done;
    return result;
  } catch (error) {
    tx.done.catch(() => {});
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    throw error;
  }
}

export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return redactSecrets(text).slice(0, 500);
}

export function newLocation(locationId: string): LocationRow {
  return {
    locationId,
    selectedForSync: false,
    activeGeneration: null,
    revision: 0,
    nextGeneration: 1,
    syncedAt: null,
  };
}

export function newSyncState(locationId: string): SyncStateRow {
  return {
    locationId,
    cursors: {},
    lastSuccessAt: null,
    lastError: null,
    lastSync: null,
    staging: null,
  };
}

export function toPending(pick: PickRow): PendingPick {
  const out: PendingPick = { contactId: pick.contactId, number: pick.number, at: pick.at };
  if (pick.userId !== undefined) out.userId = pick.userId;
  return out;
}

/**
 * A pick made in the switcher waits for the next outbound message to the
 * contact: until one is synced, it is pending (the composer's `send.pick`).
 */
export function isPending(pick: PickRow, facts: ContactHistory | undefined): boolean {
  const latest = Math.max(
    facts?.lastManual?.atMs ?? Number.NEGATIVE_INFINITY,
    facts?.lastOutbound?.atMs ?? Number.NEGATIVE_INFINITY,
  );
  return latest < pick.atMs && !sentWithPick(pick, facts?.lastOutbound);
}

/**
 * How far the browser's clock (which stamps picks) may run ahead of Twilio's
 * (which dates messages). A message from the picked number sent this long
 * before the pick's stamp is still taken as the send the pick was for; a
 * message from another number gets no such allowance, since it may well
 * have been sent before the pick.
 */
export const PICK_CLOCK_SKEW_MS = 5 * 60_000;

function sentWithPick(pick: PickRow, sent: { number: string; atMs: number } | undefined): boolean {
  return (
    sent !== undefined && sent.number === pick.number && sent.atMs >= pick.atMs - PICK_CLOCK_SKEW_MS
  );
}

/**
 * Twilio cannot tell which messages were sent from a number picked by hand.
 * The extension can: the outbound message that followed a pick, from the
 * picked number, was sent with that pick, so it is the contact's last manual
 * pick (RULES.md) from then on.
 */
export function withSentPick(pick: PickRow | undefined, facts: ContactHistory | undefined) {
  const sent = facts?.lastOutbound;
  if (pick === undefined || facts === undefined || sent === undefined) return facts;
  if (!sentWithPick(pick, sent)) return facts;
  if (facts.lastManual !== undefined && facts.lastManual.atMs >= sent.atMs) return facts;
  return { ...facts, lastManual: { ...sent, manual: true } };
}

// Bulk facts per write transaction: a transaction that writes a store makes
// readers of that store wait, so big writes go in short pieces.
export const BUCKETS_PER_WRITE = 32;
export const ROWS_PER_WRITE = 2000;

/**
 * Reads facts of one generation in a transaction: a contact's facts are the
 * join of its `contactFacts` row and its bucket entry (buckets.ts), under
 * each key it is known by. Each bucket is read and parsed at most once.
 */
export class FactsReader {
  private readonly buckets = new Map<number, Promise<Bucket>>();

  constructor(
    private readonly tx: AnyTx,
    private readonly locationId: string,
    private readonly generation: number,
  ) {}

  /** The join of the facts kept under any of `keys`, or undefined when there are none. */
  async of(keys: readonly string[]): Promise<ContactHistory | undefined> {
    const parts = await Promise.all(keys.flatMap((key) => [this.row(key), this.inBucket(key)]));
    let facts: ContactHistory | undefined;
    for (const part of parts) if (part !== undefined) facts = mergeFacts(facts, part);
    return facts;
  }

  /** Whether the generation has any bucket rows (a full sync wrote facts in bulk). */
  async hasBuckets(): Promise<boolean> {
    const range = generationRange(this.locationId, this.generation);
    return (await this.tx.objectStore('factBuckets').count(range)) > 0;
  }

  private async row(key: string): Promise<ContactHistory | undefined> {
    const row = await this.tx
      .objectStore('contactFacts')
      .get([this.locationId, this.generation, key]);
    return row?.facts;
  }

  private async inBucket(key: string): Promise<ContactHistory | undefined> {
    const n = bucketOf(key);
    let bucket = this.buckets.get(n);
    if (bucket === undefined) {
      bucket = this.tx
        .objectStore('factBuckets')
        .get([this.locationId, this.generation, n])
        .then((row) => new Bucket(row?.facts));
      this.buckets.set(n, bucket);
    }
    return (await bucket).get(key);
  }
}

/** A cache row as the resolver's contact. */
export function cachedContact(row: ContactCacheRow): SnapshotContact {
  return toContact(row as unknown as ContactRow);
}

/** Milliseconds of an ISO 8601 date given by a caller, or `now()` when absent. */
export function readDate(at: string | undefined, now: () => number): number {
  if (at === undefined) return now();
  const ms = typeof at === 'string' ? parseMessageDate(at) : null;
  if (ms === null) throw new StoreInputError('at', 'expected an ISO 8601 date');
  return ms;
}
