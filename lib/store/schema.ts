/**
 * The IndexedDB schema of the store: database name, object stores, row shapes
 * and key ranges. Only lib/store reads this; everything else goes through the
 * store's API.
 *
 * Everything synced is kept per sub-account (location) and per generation:
 * keys start with [locationId, generation], so one sub-account's data never
 * mixes with another's and a whole generation is one key range.
 *
 * Why generations: a sync that fails part way must leave the previous data in
 * use, whole. A full sync writes a new generation beside the active one and
 * one small transaction flips `activeGeneration` at the end; readers only
 * ever read the active generation. An incremental sync also writes into a
 * generation of its own (a staging area holding only the delta), and its
 * commit merges the delta into the active generation in one transaction.
 * Staging rather than copy-on-write of the whole generation keeps an
 * incremental sync's cost proportional to what changed, not to 100,000
 * contacts; merging is safe because folded facts join in any order (see
 * facts.ts). A generation that is neither active nor staged by a running sync
 * (a crashed or aborted sync) is deleted when the next sync begins.
 *
 * Facts live in two forms that reads join: per-contact rows (`contactFacts`,
 * written by incremental syncs) and bucket rows
 * (`factBuckets`, buckets.ts), which is how a full sync writes a whole
 * history at once. Facts are keyed by contact id or by phone (keys.ts).
 * Contacts fetched from HighLevel on demand sit in `contactCache`, outside
 * the generations, and are laid over every snapshot.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { SnapshotContact, SnapshotNumber, SnapshotUser } from '../rules/types';
import type { ContactHistory } from './facts';

export const DB_NAME = 'sender-lens';

/** Settings of a sub-account and the pointer to its active generation. */
export interface LocationRow {
  locationId: string;
  name?: string;
  /** ISO 3166 alpha-2, for reading national phone formats; absent means US. */
  country?: string;
  selectedForSync: boolean;
  /** The Twilio account (a subaccount) this sub-account's data comes from; absent: the main account. */
  twilioAccountSid?: string;
  /** The Twilio account changed since the data was synced: only a full sync may follow. */
  fullSyncDue?: true;
  /**
   * The sub-account sends through LC Phone, HighLevel's own phone system: no
   * Twilio account of the customer's, so no Twilio log. Absent: Twilio.
   */
  lcPhone?: true;
  /** The generation readers use; null until the first full sync commits. */
  activeGeneration: number | null;
  /** Bumped whenever the active data changes, so cached snapshots know they are stale. */
  revision: number;
  nextGeneration: number;
  /** When the active data was last brought up to date. */
  syncedAt: string | null;
  // Rows written before version 5 may still carry `contactsRevision`, now unread.
}

interface GenerationKey {
  locationId: string;
  generation: number;
}

export interface NumberRow extends SnapshotNumber, GenerationKey {}
export interface StaffRow extends SnapshotUser, GenerationKey {}
export interface ContactRow extends SnapshotContact, GenerationKey {
  /** In an incremental sync's staging area: the contact was deleted upstream. */
  removed?: true;
}
export interface FactsRow extends GenerationKey {
  /** A HighLevel contact id, or a history key such as `tel:+14155559001` (see keys.ts). */
  contactId: string;
  facts: ContactHistory;
}

/**
 * Many contacts' facts in one row (buckets.ts): how a full sync writes its
 * folded history. A contact's facts are the join of its bucket entry and its
 * `contactFacts` row.
 */
export interface FactBucketRow extends GenerationKey {
  bucket: number;
  /** JSON of the bucket's contacts' facts, in buckets.ts's compact form. */
  facts: string;
}

/**
 * A HighLevel contact fetched on demand (GET /contacts/{id}) when an agent
 * opens its conversation: a cache of its phone and DND, kept outside the
 * generations so a sync's swap neither needs nor drops it.
 */
export interface ContactCacheRow extends SnapshotContact {
  locationId: string;
  /** Same as `id`; the key path needs it under this name. */
  contactId: string;
  /** When HighLevel was last asked. */
  fetchedAt: string;
  fetchedAtMs: number;
}

/** A number picked in the extension's switcher, not yet superseded by a send. */
export interface PickRow {
  locationId: string;
  contactId: string;
  number: string;
  userId?: string;
  at: string;
  atMs: number;
}

/** What a running sync has written so far, kept so a sync can resume after the worker restarts. */
export interface StagingState {
  generation: number;
  kind: 'full' | 'incremental';
  startedAt: string;
  /** Where each source's paging got to in this sync. */
  cursors: Record<string, string>;
  /** Which whole lists this sync has written (a full sync must write all three). */
  wrote: { numbers: boolean; staff: boolean; contacts: boolean };
  progress: { pages: number; messages: number; contacts: number; updatedAt: string };
  /** The sub-account's name and country as this sync read them; written to its row only on commit. */
  location?: { name?: string; country?: string };
}

export interface SyncStateRow {
  locationId: string;
  /** Cursors of the last committed sync: where the next incremental sync starts. */
  cursors: Record<string, string>;
  lastSuccessAt: string | null;
  lastError: { message: string; at: string } | null;
  lastSync: {
    kind: 'full' | 'incremental';
    startedAt: string;
    finishedAt: string;
    messages: number;
    contacts: number;
  } | null;
  staging: StagingState | null;
}

export type AuditKind = 'send' | 'pick' | 'sync' | 'settings';

export interface AuditRow {
  /** Assigned by the store (auto-increment). */
  seq?: number;
  locationId: string;
  at: string;
  /** Added in version 2 for the by-location-and-time index. */
  atMs: number;
  kind: AuditKind;
  outcome: 'ok' | 'error';
  summary: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** The states of a send in the outbox (lib/send explains them). */
export type OutboxState =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'unknown';

/**
 * One send in the outbox, written before anything goes on the wire and kept
 * afterwards as the send log's entry.
 */
export interface SendRow {
  /** The idempotency key the page made: a repeated request finds this row. */
  id: string;
  locationId: string;
  conversationId: string;
  contactId: string;
  userId?: string;
  /** Where `userId` came from: the page's own report, or the agent's "I am …" choice. */
  userIdFrom?: 'page' | 'i-am';
  route: 'twilio' | 'highlevel';
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  /** The rule that chose `from`, and the resolver's trace in words. */
  rule: string;
  trace: string[];
  /** The sender was picked by hand (a pick in the switcher or HighLevel's picker). */
  picked: boolean;
  state: OutboxState;
  /** How many times a create request was put on the wire. */
  attempts: number;
  createdAt: string;
  createdMs: number;
  updatedMs: number;
  /** When the latest create request left: where a lookup of an uncertain send starts. */
  postedMs?: number;
  /** When the engine should look at the send next; absent once nothing is left to do (so the index skips it). */
  nextMs?: number;
  /** Lookups of an uncertain send, and status polls of a sent one. */
  lookups: number;
  polls: number;
  /** Twilio's message SID, or HighLevel's message id. */
  providerId?: string;
  providerStatus?: string;
  errorCode?: number;
  errorText?: string;
  /** The message was found by a lookup, not named in the provider's answer to the post. */
  settledBy?: 'lookup';
  /** The body was erased once the send settled, by the "leave bodies out" setting. */
  bodyOmitted?: true;
  /** For an unknown send sent again: the new send's id. */
  resentAs?: string;
}

/** Twilio answered 21610 for this pair: the contact replied STOP to this number. */
export interface BlockedPairRow {
  locationId: string;
  from: string;
  to: string;
  at: string;
}

export interface SenderLensDB extends DBSchema {
  locations: { key: string; value: LocationRow };
  numbers: { key: [string, number, string]; value: NumberRow };
  staff: { key: [string, number, string]; value: StaffRow };
  contacts: { key: [string, number, string]; value: ContactRow };
  contactFacts: { key: [string, number, string]; value: FactsRow };
  factBuckets: { key: [string, number, number]; value: FactBucketRow };
  contactCache: { key: [string, string]; value: ContactCacheRow };
  picks: { key: [string, string]; value: PickRow };
  syncState: { key: string; value: SyncStateRow };
  audit: { key: number; value: AuditRow; indexes: { byLocationTime: [string, number] } };
  sends: {
    key: string;
    value: SendRow;
    indexes: {
      byDue: number;
      byTime: number;
      byLocationTime: [string, number];
      byConversation: [string, string, number];
      byProvider: string;
    };
  };
  blockedPairs: { key: [string, string, string]; value: BlockedPairRow };
}

export type StoreName = StoreNames<SenderLensDB>;
export type Db = IDBPDatabase<SenderLensDB>;
export type UpgradeTransaction = IDBPTransaction<SenderLensDB, StoreName[], 'versionchange'>;

/** The stores whose keys start with [locationId, generation]. */
export const GENERATION_STORES = [
  'numbers',
  'staff',
  'contacts',
  'contactFacts',
  'factBuckets',
] as const;
export type GenerationStore = (typeof GENERATION_STORES)[number];

// An empty array sorts above every number and string key, so [a, b, []]
// closes the range of all keys starting with [a, b].
const HIGH: [] = [];

/** All keys of one generation of one location. */
export function generationRange(locationId: string, generation: number): IDBKeyRange {
  return IDBKeyRange.bound([locationId, generation], [locationId, generation, HIGH]);
}

/** All generations of a location except `keep` (all of them when `keep` is null). */
export function otherGenerationRanges(locationId: string, keep: number | null): IDBKeyRange[] {
  if (keep === null) return [IDBKeyRange.bound([locationId], [locationId, HIGH])];
  return [
    IDBKeyRange.bound([locationId], [locationId, keep], false, true),
    IDBKeyRange.bound([locationId, keep, HIGH], [locationId, HIGH], true, false),
  ];
}

/** All keys starting with [locationId] (picks, the contact cache). */
export function locationRange(locationId: string): IDBKeyRange {
  return IDBKeyRange.bound([locationId], [locationId, HIGH]);
}

/** All audit index keys of a location up to and including `atMs`. */
export function auditRange(locationId: string, upToMs = Number.POSITIVE_INFINITY): IDBKeyRange {
  return IDBKeyRange.bound([locationId, Number.NEGATIVE_INFINITY], [locationId, upToMs]);
}
