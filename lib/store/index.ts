/**
 * The extension's store: per sub-account (location) numbers, staff, contacts
 * and per-contact facts, picks made in the extension, sync state and the
 * audit log, in IndexedDB through idb. It builds the resolver's snapshot; the
 * resolver never touches IndexedDB. See schema.ts for the layout and why
 * syncs write into generations.
 *
 * A snapshot's contacts are those a sync listed (joined with the history
 * kept under their ids) and those fetched from HighLevel on demand (the
 * contact cache: joined with the history of their id and of their phone,
 * read with the sub-account's country). A cached contact wins over a listed
 * one of the same id.
 */
import type { IDBPObjectStore, IDBPTransaction } from 'idb';
import { parseMessageDate } from '../rules/dates';
import { E164, MAX_ID_LENGTH } from '../rules/formats';
import type { Snapshot, SnapshotContact } from '../rules/types';
import { redactSecrets } from '../secrets/redact';
import { Bucket, bucketOf, checkFacts } from './buckets';
import {
  type ContactFacts,
  type FoldableMessage,
  factsOfMessage,
  mergeFacts,
  optOutState,
  toFactMessage,
} from './facts';
import { contactKeys } from './keys';
import { type OpenOptions, openDatabase } from './open';
import {
  type AuditKind,
  type AuditRow,
  auditRange,
  type ContactCacheRow,
  type ContactRow,
  type Db,
  type FactsRow,
  GENERATION_STORES,
  generationRange,
  type LocationRow,
  locationRange,
  type NumberRow,
  otherGenerationRanges,
  type PickRow,
  type SenderLensDB,
  type StaffRow,
  type StagingState,
  type StoreName,
  type SyncStateRow,
} from './schema';
import { buildSnapshot, toContact } from './snapshot';
import {
  checkContact,
  checkCountry,
  checkNumber,
  checkUser,
  requireId,
  requireList,
  requireUnique,
  StoreInputError,
} from './validate';

export type { ContactFacts, FactMessage, FoldableMessage } from './facts';
export { FactInputError, factsToMessages, foldMessage, mergeFacts, optOutState } from './facts';
export { contactKeys, isPhoneKey, phoneKey } from './keys';
export type { AuditKind } from './schema';
export { StoreInputError } from './validate';

/** A sync cannot go on: another is running, it was replaced, it is closed or incomplete. */
export class SyncStateError extends Error {
  constructor(
    readonly code: 'busy' | 'superseded' | 'closed' | 'incomplete' | 'no-base',
    message: string,
  ) {
    super(message);
    this.name = 'SyncStateError';
  }
}

export interface StoreOptions {
  /** Defaults to the global `indexedDB`; tests pass a fresh fake per case. */
  factory?: IDBFactory;
  /** Database name; defaults to `sender-lens`. */
  name?: string;
  /** Milliseconds since the epoch; tests fix it. */
  now?: () => number;
}

export interface LocationSettings {
  name?: string;
  /** ISO 3166 alpha-2, for reading national phone formats. */
  country?: string;
  selectedForSync?: boolean;
}

export interface LocationInfo {
  locationId: string;
  name?: string;
  country: string;
  selectedForSync: boolean;
  syncedAt: string | null;
  /** A full sync has committed: a snapshot can be built. */
  hasData: boolean;
}

/** A number picked in the extension's switcher that no manual send has superseded yet. */
export interface PendingPick {
  contactId: string;
  number: string;
  userId?: string;
  at: string;
}

export interface StoreSnapshot {
  /** Shared with the cache: treat as read-only. */
  snapshot: Snapshot;
  syncedAt: string | null;
  generation: number;
  revision: number;
  /**
   * Picks made in the extension's switcher, by contact. They are not messages
   * (nothing was sent yet), so they are not in `snapshot.messages`: RULES.md
   * derives the last manual pick from sent messages only. The background
   * passes a contact's pending pick to the resolver as `send.pick` when it
   * resolves a composer send for that contact. A pick stops being pending
   * once a manual outbound message to the contact at or after it is synced,
   * or when lib/send clears it after sending.
   */
  pendingPicks: Record<string, PendingPick>;
}

/** A message of a sync page: a foldable message and the contact it was exchanged with. */
export type PageMessage = FoldableMessage & { contactId: string };

export interface SyncStateInfo {
  cursors: Record<string, string>;
  lastSuccessAt: string | null;
  lastError: { message: string; at: string } | null;
  lastSync: SyncStateRow['lastSync'];
  /** A sync has started and neither committed nor aborted (it may have died with the worker). */
  staging: Pick<StagingState, 'kind' | 'startedAt' | 'progress'> | null;
  /** A sync of this location is running in this context now. */
  running: boolean;
}

export interface AuditInput {
  locationId: string;
  kind: AuditKind;
  outcome?: 'ok' | 'error';
  /** One line a person can read. Anything shaped like a credential is masked. */
  summary: string;
  detail?: Record<string, string | number | boolean | null>;
  at?: string;
}

export interface AuditEntry extends Omit<AuditRow, 'seq'> {
  seq: number;
}

/** A contact fetched from HighLevel on demand, and when. */
export interface CachedContact {
  contact: SnapshotContact;
  fetchedAt: string;
  fetchedAtMs: number;
}

export interface ContactDetails {
  contact: SnapshotContact;
  facts: ContactFacts | null;
  optOut: ReturnType<typeof optOutState>;
  pendingPick: PendingPick | null;
}

type AnyTx = IDBPTransaction<SenderLensDB, StoreName[], 'readonly' | 'readwrite'>;
type RwTx = IDBPTransaction<SenderLensDB, StoreName[], 'readwrite'>;

/** Runs `body` in `tx`; on an error aborts the transaction so nothing partial is written. */
async function within<T>(tx: AnyTx, body: () => Promise<T>): Promise<T> {
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

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return redactSecrets(text).slice(0, 500);
}

function newLocation(locationId: string): LocationRow {
  return {
    locationId,
    selectedForSync: false,
    activeGeneration: null,
    revision: 0,
    nextGeneration: 1,
    syncedAt: null,
  };
}

function newSyncState(locationId: string): SyncStateRow {
  return {
    locationId,
    cursors: {},
    lastSuccessAt: null,
    lastError: null,
    lastSync: null,
    staging: null,
  };
}

function toPending(pick: PickRow): PendingPick {
  const out: PendingPick = { contactId: pick.contactId, number: pick.number, at: pick.at };
  if (pick.userId !== undefined) out.userId = pick.userId;
  return out;
}

/**
 * A pick made in the switcher waits for the next outbound message to the
 * contact: until one is synced, it is pending (the composer's `send.pick`).
 */
function isPending(pick: PickRow, facts: ContactFacts | undefined): boolean {
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
export function withSentPick(pick: PickRow | undefined, facts: ContactFacts | undefined) {
  const sent = facts?.lastOutbound;
  if (pick === undefined || facts === undefined || sent === undefined) return facts;
  if (!sentWithPick(pick, sent)) return facts;
  if (facts.lastManual !== undefined && facts.lastManual.atMs >= sent.atMs) return facts;
  return { ...facts, lastManual: { ...sent, manual: true } };
}

function _sameContact(a: SnapshotContact, b: SnapshotContact): boolean {
  return a.id === b.id && a.name === b.name && a.phone === b.phone && a.smsDnd === b.smsDnd;
}

// Bulk facts per write transaction: a transaction that writes a store makes
// readers of that store wait, so big writes go in short pieces.
const BUCKETS_PER_WRITE = 32;
const ROWS_PER_WRITE = 2000;

/**
 * Reads facts of one generation in a transaction: a contact's facts are the
 * join of its `contactFacts` row and its bucket entry (buckets.ts), under
 * each key it is known by. Each bucket is read and parsed at most once.
 */
class FactsReader {
  private readonly buckets = new Map<number, Promise<Bucket>>();

  constructor(
    private readonly tx: AnyTx,
    private readonly locationId: string,
    private readonly generation: number,
  ) {}

  /** The join of the facts kept under any of `keys`, or undefined when there are none. */
  async of(keys: readonly string[]): Promise<ContactFacts | undefined> {
    const parts = await Promise.all(keys.flatMap((key) => [this.row(key), this.inBucket(key)]));
    let facts: ContactFacts | undefined;
    for (const part of parts) if (part !== undefined) facts = mergeFacts(facts, part);
    return facts;
  }

  /** Whether the generation has any bucket rows (a full sync wrote facts in bulk). */
  async hasBuckets(): Promise<boolean> {
    const range = generationRange(this.locationId, this.generation);
    return (await this.tx.objectStore('factBuckets').count(range)) > 0;
  }

  private async row(key: string): Promise<ContactFacts | undefined> {
    const row = await this.tx
      .objectStore('contactFacts')
      .get([this.locationId, this.generation, key]);
    return row?.facts;
  }

  private async inBucket(key: string): Promise<ContactFacts | undefined> {
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
function cachedContact(row: ContactCacheRow): SnapshotContact {
  return toContact(row as unknown as ContactRow);
}

/** The store over one database connection. Create it with `openStore`. */
export class Store {
  private connection: Promise<Db> | null = null;
  private readonly writers = new Map<string, SyncWriter>();
  private readonly factory: IDBFactory;
  private readonly openOptions: OpenOptions;
  /** @internal */
  readonly now: () => number;

  constructor(options: StoreOptions = {}) {
    this.factory = options.factory ?? globalThis.indexedDB;
    this.now = options.now ?? Date.now;
    this.openOptions = {
      onClose: () => {
        this.connection = null;
      },
    };
    if (options.name !== undefined) this.openOptions.name = options.name;
  }

  /** @internal The open connection, reopened if another context's upgrade closed it. */
  db(): Promise<Db> {
    if (this.connection === null) {
      const opening = openDatabase(this.factory, this.openOptions);
      opening.catch(() => {
        this.connection = null;
      });
      this.connection = opening;
    }
    return this.connection;
  }

  /** @internal */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** Milliseconds of an ISO 8601 date given by a caller, or now when absent. */
  private readDate(at: string | undefined): number {
    if (at === undefined) return this.now();
    const ms = typeof at === 'string' ? parseMessageDate(at) : null;
    if (ms === null) throw new StoreInputError('at', 'expected an ISO 8601 date');
    return ms;
  }

  /** Closes the connection; a later call opens it again. */
  close(): void {
    const open = this.connection;
    this.connection = null;
    open?.then((db) => db.close()).catch(() => {});
  }

  /** Every sub-account the extension knows, with its settings. */
  async listLocations(): Promise<LocationInfo[]> {
    const rows = await (await this.db()).getAll('locations');
    return rows.map((row) => {
      const info: LocationInfo = {
        locationId: row.locationId,
        country: row.country ?? 'US',
        selectedForSync: row.selectedForSync,
        syncedAt: row.syncedAt,
        hasData: row.activeGeneration !== null,
      };
      if (row.name !== undefined) info.name = row.name;
      return info;
    });
  }

  /** Creates or updates a sub-account's settings. */
  async setLocationSettings(locationId: string, settings: LocationSettings): Promise<void> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    const country =
      settings.country === undefined ? undefined : checkCountry(settings.country, 'country');
    if (settings.name !== undefined && typeof settings.name !== 'string') {
      throw new StoreInputError('name', 'expected a string');
    }
    if (settings.selectedForSync !== undefined && typeof settings.selectedForSync !== 'boolean') {
      throw new StoreInputError('selectedForSync', 'expected true or false');
    }
    const db = await this.db();
    const tx = db.transaction(['locations', 'audit'], 'readwrite');
    await within(tx, async () => {
      const locations = tx.objectStore('locations');
      const row = (await locations.get(locationId)) ?? newLocation(locationId);
      const changes: string[] = [];
      if (settings.name !== undefined && settings.name !== row.name) {
        row.name = settings.name;
        changes.push('name');
      }
      if (country !== undefined && country !== row.country) {
        // Not a data change: snapshots take the country from this row when read.
        row.country = country;
        changes.push(`country ${country}`);
      }
      if (
        settings.selectedForSync !== undefined &&
        settings.selectedForSync !== row.selectedForSync
      ) {
        row.selectedForSync = settings.selectedForSync;
        changes.push(settings.selectedForSync ? 'selected for sync' : 'not selected for sync');
      }
      await locations.put(row);
      if (changes.length > 0) {
        await this.addAudit(tx.objectStore('audit'), {
          locationId,
          kind: 'settings',
          summary: `Settings changed: ${changes.join(', ')}`,
        });
      }
    });
  }

  /** Forgets a sub-account: its settings, data, picks, sync state and audit log. */
  async removeLocation(locationId: string): Promise<void> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    if (this.writers.has(locationId)) {
      throw new SyncStateError('busy', `A sync of ${locationId} is running; abort it first`);
    }
    const db = await this.db();
    const stores = [
      ...GENERATION_STORES,
      'locations',
      'syncState',
      'picks',
      'audit',
      'contactCache',
    ] as const;
    const tx = db.transaction([...stores], 'readwrite');
    await within(tx, async () => {
      for (const name of GENERATION_STORES) {
        for (const range of otherGenerationRanges(locationId, null)) {
          await tx.objectStore(name).delete(range);
        }
      }
      await tx.objectStore('picks').delete(locationRange(locationId));
      await tx.objectStore('contactCache').delete(locationRange(locationId));
      await tx.objectStore('locations').delete(locationId);
      await tx.objectStore('syncState').delete(locationId);
      const keys = await tx
        .objectStore('audit')
        .index('byLocationTime')
        .getAllKeys(auditRange(locationId));
      for (const key of keys) await tx.objectStore('audit').delete(key);
    });
  }

  /** Every contact id the active data knows: listed by a sync or fetched on demand, sorted. */
  async listContactIds(locationId: string): Promise<string[]> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    const db = await this.db();
    const tx = db.transaction(['locations', 'contacts', 'contactCache'], 'readonly');
    const location = await tx.objectStore('locations').get(locationId);
    if (location === undefined || location.activeGeneration === null) return [];
    const [listed, cached] = await Promise.all([
      tx.objectStore('contacts').getAllKeys(generationRange(locationId, location.activeGeneration)),
      tx.objectStore('contactCache').getAllKeys(locationRange(locationId)),
    ]);
    const ids = new Set([...listed.map((key) => key[2]), ...cached.map((key) => key[1])]);
    return [...ids].sort();
  }

  /**
   * A snapshot holding only the given contacts (and all numbers and staff):
   * a few key lookups instead of reading every contact, for the first
   * resolution after the worker wakes, before the full snapshot is cached.
   * Unknown contact ids are left out.
   */
  async getSnapshotForContacts(
    locationId: string,
    contactIds: string[],
  ): Promise<StoreSnapshot | null> {
    requireList(contactIds, 'contactIds').forEach((id, i) => {
      requireId(id, `contactIds[${i}]`);
    });
    const db = await this.db();
    const tx = db.transaction(
      [
        'locations',
        'numbers',
        'staff',
        'contacts',
        'contactFacts',
        'factBuckets',
        'contactCache',
        'picks',
      ],
      'readonly',
    ) as unknown as AnyTx;
    const location = await tx.objectStore('locations').get(locationId);
    if (location === undefined || location.activeGeneration === null) return null;
    const generation = location.activeGeneration;
    const country = location.country ?? 'US';
    const range = generationRange(locationId, generation);
    const ids = [...new Set(contactIds)].sort();
    const reader = new FactsReader(tx, locationId, generation);
    const [numbers, staff, found, picks] = await Promise.all([
      tx.objectStore('numbers').getAll(range),
      tx.objectStore('staff').getAll(range),
      Promise.all(
        ids.map((id) => this.findContact(tx, reader, locationId, generation, country, id)),
      ),
      Promise.all(ids.map((id) => tx.objectStore('picks').get([locationId, id]))),
    ]);
    const contacts: ContactRow[] = [];
    const facts: FactsRow[] = [];
    const pendingPicks: Record<string, PendingPick> = {};
    found.forEach((f, i) => {
      const pick = picks[i];
      if (pick !== undefined && isPending(pick, f?.facts)) {
        pendingPicks[pick.contactId] = toPending(pick);
      }
      if (f === null) return;
      contacts.push({ ...f.contact, locationId, generation });
      const contactFacts = withSentPick(pick, f.facts);
      if (contactFacts !== undefined) {
        facts.push({ locationId, generation, contactId: f.contact.id, facts: contactFacts });
      }
    });
    return {
      snapshot: buildSnapshot(location, numbers, staff, contacts, facts),
      syncedAt: location.syncedAt,
      generation,
      revision: location.revision,
      pendingPicks,
    };
  }

  /**
   * A contact as snapshots show it, with its facts: the cached copy fetched
   * from HighLevel (joined with its history by id and by phone) wins over a
   * contact a sync listed (joined by id). Null when neither exists.
   */
  private async findContact(
    tx: AnyTx,
    reader: FactsReader,
    locationId: string,
    generation: number,
    country: string,
    contactId: string,
  ): Promise<{ contact: SnapshotContact; facts: ContactFacts | undefined } | null> {
    const [cached, listed] = await Promise.all([
      tx.objectStore('contactCache').get([locationId, contactId]),
      tx.objectStore('contacts').get([locationId, generation, contactId]),
    ]);
    if (cached !== undefined) {
      const contact = cachedContact(cached);
      return { contact, facts: await reader.of(contactKeys(contact, country)) };
    }
    if (listed === undefined) return null;
    return { contact: toContact(listed), facts: await reader.of([contactId]) };
  }

  /** One contact's stored facts, opt-out state (with the message that set it) and pending pick. */
  async getContactDetails(locationId: string, contactId: string): Promise<ContactDetails | null> {
    requireId(contactId, 'contactId');
    const db = await this.db();
    const tx = db.transaction(
      ['locations', 'contacts', 'contactFacts', 'factBuckets', 'contactCache', 'picks'],
      'readonly',
    ) as unknown as AnyTx;
    const location = await tx.objectStore('locations').get(locationId);
    if (location === undefined || location.activeGeneration === null) return null;
    const generation = location.activeGeneration;
    const reader = new FactsReader(tx, locationId, generation);
    const [found, pick] = await Promise.all([
      this.findContact(tx, reader, locationId, generation, location.country ?? 'US', contactId),
      tx.objectStore('picks').get([locationId, contactId]),
    ]);
    if (found === null) return null;
    return {
      contact: found.contact,
      facts: found.facts ?? null,
      optOut: optOutState(found.facts, found.contact.smsDnd === true),
      pendingPick: pick !== undefined && isPending(pick, found.facts) ? toPending(pick) : null,
    };
  }

  /** A contact fetched from HighLevel earlier, and when; null when it was never fetched. */
  async getCachedContact(locationId: string, contactId: string): Promise<CachedContact | null> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    requireId(contactId, 'contactId');
    const row = await (await this.db()).get('contactCache', [locationId, contactId]);
    if (row === undefined) return null;
    return { contact: cachedContact(row), fetchedAt: row.fetchedAt, fetchedAtMs: row.fetchedAtMs };
  }

  /**
   * Saves a contact just fetched from HighLevel (its name, phone and SMS DND).
   * It takes effect in snapshots at once, outside any sync's generations: a
   * sync neither waits for it nor drops it.
   */
  async putCachedContact(
    locationId: string,
    contact: unknown,
    fetchedAt?: string,
  ): Promise<CachedContact> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    const checked = checkContact(contact, 'contact');
    const fetchedAtMs = this.readDate(fetchedAt);
    const row: ContactCacheRow = {
      ...checked,
      locationId,
      contactId: checked.id,
      fetchedAt: new Date(fetchedAtMs).toISOString(),
      fetchedAtMs,
    };
    await this.changeCache(async (cache) => {
      await cache.put(row);
    });
    return { contact: checked, fetchedAt: row.fetchedAt, fetchedAtMs };
  }

  /** Forgets a cached contact (deleted in HighLevel, or moved to another sub-account). */
  async removeCachedContact(locationId: string, contactId: string): Promise<void> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    requireId(contactId, 'contactId');
    await this.changeCache((cache) => cache.delete([locationId, contactId]));
  }

  /** Drops cached contacts not fetched since `beforeMs`; returns how many. */
  async pruneContactCache(locationId: string, beforeMs: number): Promise<number> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    if (typeof beforeMs !== 'number' || Number.isNaN(beforeMs)) {
      throw new StoreInputError('beforeMs', 'expected milliseconds since the epoch');
    }
    const db = await this.db();
    const tx = db.transaction(['contactCache', 'locations'], 'readwrite');
    const removed = await within(tx as unknown as AnyTx, async () => {
      const cache = tx.objectStore('contactCache');
      const rows = await cache.getAll(locationRange(locationId));
      const old = rows.filter((row) => row.fetchedAtMs < beforeMs);
      for (const row of old) await cache.delete([locationId, row.contactId]);
      return old.length;
    });
    return removed;
  }

  /** Runs a change to one cached contact in its own transaction. */
  private async changeCache(
    change: (
      cache: IDBPObjectStore<SenderLensDB, StoreName[], 'contactCache', 'readwrite'>,
    ) => Promise<unknown>,
  ): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(['contactCache'], 'readwrite') as unknown as RwTx;
    await within(tx as unknown as AnyTx, () => change(tx.objectStore('contactCache')));
  }

  /** Records a number picked in the extension's switcher for a contact, and audits it. */
  async recordPick(pick: {
    locationId: string;
    contactId: string;
    number: string;
    /** The user the page reported as logged in; unverified, and logged as such. */
    userId?: string;
    at?: string;
  }): Promise<PendingPick> {
    requireId(pick.locationId, 'locationId', MAX_ID_LENGTH);
    requireId(pick.contactId, 'contactId');
    if (typeof pick.number !== 'string' || !E164.test(pick.number)) {
      throw new StoreInputError('number', 'expected an E.164 number like +14155550101');
    }
    if (pick.userId !== undefined) requireId(pick.userId, 'userId');
    const atMs = this.readDate(pick.at);
    const row: PickRow = {
      locationId: pick.locationId,
      contactId: pick.contactId,
      number: pick.number,
      at: new Date(atMs).toISOString(),
      atMs,
    };
    if (pick.userId !== undefined) row.userId = pick.userId;
    const db = await this.db();
    const tx = db.transaction(['picks', 'audit'], 'readwrite');
    await within(tx, async () => {
      await tx.objectStore('picks').put(row);
      const detail: Record<string, string> = { contactId: row.contactId, number: row.number };
      // Nothing vouches for who the page says is logged in: the log says so.
      if (row.userId !== undefined) detail.userIdFromPage = row.userId;
      const by = row.userId === undefined ? '' : ` (user ${row.userId}, as reported by the page)`;
      await this.addAudit(tx.objectStore('audit'), {
        locationId: row.locationId,
        kind: 'pick',
        summary: `Picked ${row.number} for contact ${row.contactId}${by}`,
        detail,
        at: row.at,
      });
    });
    return toPending(row);
  }

  /** Drops a contact's pick, once the send it was for has gone out (or was cancelled). */
  async clearPick(locationId: string, contactId: string): Promise<void> {
    await (await this.db()).delete('picks', [locationId, contactId]);
  }

  /** Adds an entry to the audit log; returns its sequence number. */
  async appendAudit(entry: AuditInput): Promise<number> {
    const db = await this.db();
    const tx = db.transaction('audit', 'readwrite');
    return within(tx as unknown as AnyTx, () => this.addAudit(tx.store, entry));
  }

  private async addAudit(
    audit: {
      add(value: AuditRow): Promise<number>;
    },
    entry: AuditInput,
  ): Promise<number> {
    requireId(entry.locationId, 'locationId', MAX_ID_LENGTH);
    if (!['send', 'pick', 'sync', 'settings'].includes(entry.kind)) {
      throw new StoreInputError('kind', 'expected "send", "pick", "sync" or "settings"');
    }
    if (typeof entry.summary !== 'string' || entry.summary === '') {
      throw new StoreInputError('summary', 'expected a non-empty string');
    }
    if (entry.outcome !== undefined && entry.outcome !== 'ok' && entry.outcome !== 'error') {
      throw new StoreInputError('outcome', 'expected "ok" or "error"');
    }
    const atMs = this.readDate(entry.at);
    const row: AuditRow = {
      locationId: entry.locationId,
      at: new Date(atMs).toISOString(),
      atMs,
      kind: entry.kind,
      outcome: entry.outcome ?? 'ok',
      summary: redactSecrets(entry.summary),
    };
    if (entry.detail !== undefined) {
      const detail: NonNullable<AuditRow['detail']> = {};
      for (const [key, value] of Object.entries(entry.detail)) {
        if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
          throw new StoreInputError(`detail.${key}`, 'expected a string, number, boolean or null');
        }
        detail[key] = typeof value === 'string' ? redactSecrets(value) : value;
      }
      row.detail = detail;
    }
    return audit.add(row);
  }

  /**
   * A page of a location's audit log, newest first. Pass the `seq` of the last
   * entry of a page as `before` to get the next one.
   */
  async listAudit(
    locationId: string,
    options: { limit?: number; before?: number } = {},
  ): Promise<AuditEntry[]> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new StoreInputError('limit', 'expected a whole number from 1 to 1000');
    }
    const db = await this.db();
    const tx = db.transaction('audit', 'readonly');
    let upToMs = Number.POSITIVE_INFINITY;
    const before = options.before;
    if (before !== undefined) {
      const anchor = Number.isInteger(before) ? await tx.store.get(before) : undefined;
      if (anchor === undefined || anchor.locationId !== locationId) {
        throw new StoreInputError('before', `no audit entry ${before} for this location`);
      }
      upToMs = anchor.atMs;
    }
    const out: AuditEntry[] = [];
    // The index orders entries of the same millisecond by seq, so walking
    // backwards from the anchor's time and skipping seq >= before resumes
    // exactly where the previous page stopped.
    let cursor = await tx.store
      .index('byLocationTime')
      .openCursor(auditRange(locationId, upToMs), 'prev');
    while (cursor !== null && out.length < limit) {
      const row = cursor.value as AuditEntry;
      if (before === undefined || row.atMs < upToMs || row.seq < before) out.push(row);
      cursor = await cursor.continue();
    }
    return out;
  }

  /** A location's sync cursors, last success and last error, and any unfinished sync. */
  async getSyncState(locationId: string): Promise<SyncStateInfo> {
    const row = (await (await this.db()).get('syncState', locationId)) ?? newSyncState(locationId);
    return {
      cursors: row.cursors,
      lastSuccessAt: row.lastSuccessAt,
      lastError: row.lastError,
      lastSync: row.lastSync,
      staging:
        row.staging === null
          ? null
          : {
              kind: row.staging.kind,
              startedAt: row.staging.startedAt,
              progress: row.staging.progress,
            },
      running: this.writers.has(locationId),
    };
  }

  /**
   * Starts a sync. A full sync writes a whole new generation; an incremental
   * one writes only what changed and needs a committed full sync before it.
   * Any earlier unfinished sync of the location is discarded. Always end the
   * writer with `commit()` or `abort(error)`.
   */
  async beginSync(locationId: string, kind: 'full' | 'incremental'): Promise<SyncWriter> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    if (kind !== 'full' && kind !== 'incremental') {
      throw new StoreInputError('kind', 'expected "full" or "incremental"');
    }
    if (this.writers.has(locationId)) {
      throw new SyncStateError('busy', `A sync of ${locationId} is already running`);
    }
    // Claimed before the first await so two calls cannot both start.
    const claim = new SyncWriter(this, locationId, kind, -1, {});
    this.writers.set(locationId, claim);
    try {
      const db = await this.db();
      const tx = db.transaction(['locations', 'syncState', ...GENERATION_STORES], 'readwrite');
      const staging = await within(tx as unknown as AnyTx, async () => {
        const location =
          (await tx.objectStore('locations').get(locationId)) ?? newLocation(locationId);
        if (kind === 'incremental' && location.activeGeneration === null) {
          throw new SyncStateError(
            'no-base',
            `An incremental sync of ${locationId} needs a committed full sync first`,
          );
        }
        const state =
          (await tx.objectStore('syncState').get(locationId)) ?? newSyncState(locationId);
        // Leftovers of crashed or aborted syncs, and a replaced generation
        // whose cleanup did not finish.
        for (const name of GENERATION_STORES) {
          for (const range of otherGenerationRanges(locationId, location.activeGeneration)) {
            await tx.objectStore(name).delete(range);
          }
        }
        const startedAt = this.isoNow();
        const staged: StagingState = {
          generation: location.nextGeneration,
          kind,
          startedAt,
          // An incremental sync goes on from where the last one stopped.
          cursors: kind === 'incremental' ? { ...state.cursors } : {},
          wrote: { numbers: false, staff: false, contacts: false },
          progress: { pages: 0, messages: 0, contacts: 0, updatedAt: startedAt },
        };
        location.nextGeneration++;
        state.staging = staged;
        await tx.objectStore('locations').put(location);
        await tx.objectStore('syncState').put(state);
        return staged;
      });
      const writer = new SyncWriter(this, locationId, kind, staging.generation, staging.cursors);
      this.writers.set(locationId, writer);
      return writer;
    } catch (error) {
      this.writers.delete(locationId);
      throw error;
    }
  }

  /**
   * A writer for the location's unfinished sync (one whose worker stopped
   * before it committed), or null. Folding is idempotent, so pages after the
   * saved cursors may safely be fetched and folded again.
   */
  async resumeSync(locationId: string): Promise<SyncWriter | null> {
    if (this.writers.has(locationId)) {
      throw new SyncStateError('busy', `A sync of ${locationId} is already running`);
    }
    const state = await (await this.db()).get('syncState', locationId);
    if (state?.staging == null) return null;
    const writer = new SyncWriter(
      this,
      locationId,
      state.staging.kind,
      state.staging.generation,
      state.staging.cursors,
    );
    this.writers.set(locationId, writer);
    return writer;
  }

  /** @internal Called by a writer when it ends. */
  release(writer: SyncWriter): void {
    if (this.writers.get(writer.locationId) === writer) this.writers.delete(writer.locationId);
  }

  /** @internal Deletes every generation of a location but the active one. */
  async collectGarbage(locationId: string): Promise<void> {
    const db = await this.db();
    const tx = db.transaction(['locations', 'syncState', ...GENERATION_STORES], 'readwrite');
    await within(tx as unknown as AnyTx, async () => {
      const location = await tx.objectStore('locations').get(locationId);
      const state = await tx.objectStore('syncState').get(locationId);
      if (location === undefined) return;
      const active = location.activeGeneration;
      const staged = state?.staging?.generation;
      for (const name of GENERATION_STORES) {
        for (const range of otherGenerationRanges(locationId, active)) {
          if (staged === undefined) {
            await tx.objectStore(name).delete(range);
            continue;
          }
          // Keep a running sync's staging generation.
          const keys = await tx.objectStore(name).getAllKeys(range);
          for (const key of keys) if (key[1] !== staged) await tx.objectStore(name).delete(key);
        }
      }
    });
  }

  /** @internal */
  addAuditIn(store: { add(value: AuditRow): Promise<number> }, entry: AuditInput): Promise<number> {
    return this.addAudit(store, entry);
  }
}

/** Writes one sync into its own generation; nothing is visible to readers until `commit()`. */
export class SyncWriter {
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private readonly savedCursors: Record<string, string>;

  constructor(
    private readonly store: Store,
    readonly locationId: string,
    readonly kind: 'full' | 'incremental',
    readonly generation: number,
    cursors: Record<string, string>,
  ) {
    this.savedCursors = { ...cursors };
  }

  /** Where each source's paging stands in this sync (for an incremental sync, where the last one stopped). */
  get cursors(): Readonly<Record<string, string>> {
    return { ...this.savedCursors };
  }

  private assertOpen(): void {
    if (this.generation < 0 || this.state !== 'open') {
      throw new SyncStateError(
        'closed',
        `This sync of ${this.locationId} has ${this.state === 'open' ? 'not started' : this.state}`,
      );
    }
  }

  /**
   * Runs `body` in a transaction with syncState, after checking this sync is
   * still the location's running one (a later beginSync replaces it).
   */
  private async write(
    stores: StoreName[],
    body: (tx: RwTx, staging: StagingState) => Promise<void>,
  ): Promise<void> {
    this.assertOpen();
    const db = await this.store.db();
    const tx: RwTx = db.transaction([...stores, 'syncState'], 'readwrite');
    await within(tx as unknown as AnyTx, async () => {
      const state = await tx.objectStore('syncState').get(this.locationId);
      const staging = state?.staging;
      if (state === undefined || staging == null || staging.generation !== this.generation) {
        throw new SyncStateError(
          'superseded',
          `This sync of ${this.locationId} was replaced by a newer one`,
        );
      }
      await body(tx, staging);
      staging.progress.updatedAt = this.store.isoNow();
      await tx.objectStore('syncState').put(state);
    });
  }

  /** The sub-account's complete list of numbers; replaces any written earlier in this sync. */
  async putNumbers(numbers: unknown[]): Promise<void> {
    const rows: NumberRow[] = requireList(numbers, 'numbers').map((n, i) => ({
      ...checkNumber(n, `numbers[${i}]`),
      locationId: this.locationId,
      generation: this.generation,
    }));
    requireUnique(rows, (r) => r.number, 'numbers');
    await this.replaceAll('numbers', rows);
  }

  /** The sub-account's complete staff list; replaces any written earlier in this sync. */
  async putStaff(users: unknown[]): Promise<void> {
    const rows: StaffRow[] = requireList(users, 'users').map((u, i) => ({
      ...checkUser(u, `users[${i}]`),
      locationId: this.locationId,
      generation: this.generation,
    }));
    requireUnique(rows, (r) => r.id, 'users');
    await this.replaceAll('staff', rows);
  }

  /** Replaces this generation's rows of a list the sync writes whole. */
  private async replaceAll(
    name: 'numbers' | 'staff',
    rows: (NumberRow | StaffRow)[],
  ): Promise<void> {
    await this.write([name], async (tx, staging) => {
      const store = tx.objectStore(name) as unknown as {
        delete(range: IDBKeyRange): Promise<void>;
        put(row: NumberRow | StaffRow): Promise<unknown>;
      };
      await store.delete(generationRange(this.locationId, this.generation));
      await Promise.all(rows.map((row) => store.put(row)));
      staging.wrote[name] = true;
    });
  }

  /**
   * A page of contacts. A full sync must write every contact (an empty list
   * is a valid page for an empty sub-account); an incremental one writes the
   * added or changed ones.
   */
  async putContacts(contacts: unknown[]): Promise<void> {
    const rows: ContactRow[] = requireList(contacts, 'contacts').map((c, i) => ({
      ...checkContact(c, `contacts[${i}]`),
      locationId: this.locationId,
      generation: this.generation,
    }));
    requireUnique(rows, (r) => r.id, 'contacts');
    await this.write(['contacts'], async (tx, staging) => {
      const store = tx.objectStore('contacts');
      await Promise.all(rows.map((row) => store.put(row)));
      staging.wrote.contacts = true;
      staging.progress.contacts += rows.length;
    });
  }

  /** Incremental syncs only: contacts deleted upstream, dropped with their facts at commit. */
  async removeContacts(contactIds: unknown[]): Promise<void> {
    if (this.kind !== 'incremental') {
      throw new SyncStateError(
        'closed',
        'A full sync lists every contact: leave removed ones out instead',
      );
    }
    const ids = requireList(contactIds, 'contactIds').map((id, i) =>
      requireId(id, `contactIds[${i}]`),
    );
    await this.write(['contacts'], async (tx) => {
      const store = tx.objectStore('contacts');
      await Promise.all(
        ids.map((id) =>
          store.put({
            locationId: this.locationId,
            generation: this.generation,
            id,
            removed: true,
          }),
        ),
      );
    });
  }

  /**
   * Folds a page of messages into the per-contact facts of this sync. The
   * whole page is checked before anything is written; a page folded twice
   * changes nothing.
   */
  async foldMessages(page: PageMessage[]): Promise<void> {
    const byContact = new Map<string, ContactFacts>();
    requireList(page, 'page').forEach((message, i) => {
      const field = `page[${i}]`;
      const contactId = requireId(
        (message as { contactId?: unknown } | null)?.contactId,
        `${field}.contactId`,
      );
      const fact = factsOfMessage(toFactMessage(message as FoldableMessage, field));
      byContact.set(contactId, mergeFacts(byContact.get(contactId), fact));
    });
    await this.write(['contactFacts'], async (tx, staging) => {
      const store = tx.objectStore('contactFacts');
      const ids = [...byContact.keys()];
      const existing = await Promise.all(
        ids.map((id) => store.get([this.locationId, this.generation, id])),
      );
      await Promise.all(
        ids.map((contactId, i) =>
          store.put({
            locationId: this.locationId,
            generation: this.generation,
            contactId,
            facts: mergeFacts(existing[i]?.facts, byContact.get(contactId)),
          }),
        ),
      );
      staging.progress.pages++;
      staging.progress.messages += page.length;
    });
  }

  /**
   * Writes folded facts in bulk, keyed by contact id or history key
   * (`tel:+1…`), joined with any this sync wrote before. A full sync writes
   * them as bucket rows (buckets.ts: a few hundred rows instead of one per
   * contact, which real IndexedDB writes many times faster); an incremental
   * sync stages them as rows, merged into the active data at commit.
   * `counts` adds the messages and pages the facts came from to the sync's
   * progress; `onProgress` hears how many contacts are written so far.
   */
  async putFacts(
    facts: ReadonlyMap<string, ContactFacts>,
    options: {
      messages?: number;
      pages?: number;
      onProgress?: (written: number, total: number) => void;
    } = {},
  ): Promise<void> {
    if (!(facts instanceof Map)) {
      throw new StoreInputError('facts', 'expected a Map of contact keys to folded facts');
    }
    const messages = options.messages ?? 0;
    const pages = options.pages ?? 0;
    if (!Number.isInteger(messages) || messages < 0 || !Number.isInteger(pages) || pages < 0) {
      throw new StoreInputError('counts', 'expected whole numbers of 0 or more');
    }
    // Checked whole before anything is written.
    for (const [key, value] of facts) {
      requireId(key, 'facts key');
      checkFacts(value, `facts[${JSON.stringify(key.slice(0, 40))}]`);
    }
    const chunks =
      this.kind === 'full' ? this.bucketChunks(facts) : this.rowChunks([...facts.keys()]);
    let written = 0;
    // The counts go with the last chunk, or alone when there is nothing to write.
    if (chunks.length === 0) chunks.push([]);
    for (let i = 0; i < chunks.length; i++) {
      const keys = chunks[i] as string[];
      const last = i === chunks.length - 1;
      await this.write(
        [this.kind === 'full' ? 'factBuckets' : 'contactFacts'],
        async (tx, staging) => {
          if (this.kind === 'full') await this.mergeBuckets(tx, keys, facts);
          else await this.mergeRows(tx, keys, facts);
          staging.progress.contacts += keys.length;
          if (last) {
            staging.progress.messages += messages;
            staging.progress.pages += pages;
          }
        },
      );
      written += keys.length;
      options.onProgress?.(written, facts.size);
    }
  }

  /** Keys grouped by bucket, a few dozen buckets a transaction, so readers never wait long. */
  private bucketChunks(facts: ReadonlyMap<string, ContactFacts>): string[][] {
    const byBucket = new Map<number, string[]>();
    for (const key of facts.keys()) {
      const n = bucketOf(key);
      const list = byBucket.get(n);
      if (list === undefined) byBucket.set(n, [key]);
      else list.push(key);
    }
    const ordered = [...byBucket.keys()].sort((a, b) => a - b);
    const chunks: string[][] = [];
    for (let i = 0; i < ordered.length; i += BUCKETS_PER_WRITE) {
      chunks.push(ordered.slice(i, i + BUCKETS_PER_WRITE).flatMap((n) => byBucket.get(n) ?? []));
    }
    return chunks;
  }

  private rowChunks(keys: string[]): string[][] {
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += ROWS_PER_WRITE)
      chunks.push(keys.slice(i, i + ROWS_PER_WRITE));
    return chunks;
  }

  private async mergeBuckets(
    tx: RwTx,
    keys: string[],
    facts: ReadonlyMap<string, ContactFacts>,
  ): Promise<void> {
    const store = tx.objectStore('factBuckets');
    const numbers = [...new Set(keys.map(bucketOf))];
    const rows = await Promise.all(
      numbers.map((n) => store.get([this.locationId, this.generation, n])),
    );
    const buckets = new Map(numbers.map((n, i) => [n, new Bucket(rows[i]?.facts)]));
    for (const key of keys) {
      const bucket = buckets.get(bucketOf(key)) as Bucket;
      bucket.set(key, mergeFacts(bucket.get(key), facts.get(key)));
    }
    await Promise.all(
      numbers.map((n) =>
        store.put({
          locationId: this.locationId,
          generation: this.generation,
          bucket: n,
          facts: (buckets.get(n) as Bucket).toText(),
        }),
      ),
    );
  }

  private async mergeRows(
    tx: RwTx,
    keys: string[],
    facts: ReadonlyMap<string, ContactFacts>,
  ): Promise<void> {
    const store = tx.objectStore('contactFacts');
    const existing = await Promise.all(
      keys.map((key) => store.get([this.locationId, this.generation, key])),
    );
    await Promise.all(
      keys.map((contactId, i) =>
        store.put({
          locationId: this.locationId,
          generation: this.generation,
          contactId,
          facts: mergeFacts(existing[i]?.facts, facts.get(contactId)),
        }),
      ),
    );
  }

  /**
   * The sub-account's name and country as HighLevel gives them. Held with the
   * staged data and written to the location on commit, so a sync that fails
   * leaves the country that phones are read with as it was.
   */
  async setLocation(settings: { name?: string; country?: string }): Promise<void> {
    const country =
      settings.country === undefined ? undefined : checkCountry(settings.country, 'country');
    if (settings.name !== undefined && typeof settings.name !== 'string') {
      throw new StoreInputError('name', 'expected a string');
    }
    await this.write([], async (_tx, staging) => {
      staging.location = {
        ...staging.location,
        ...(settings.name === undefined ? {} : { name: settings.name }),
        ...(country === undefined ? {} : { country }),
      };
    });
  }

  /** Saves where a source's paging got to; `null` forgets it. Becomes the next sync's start on commit. */
  async setCursor(name: string, value: string | null): Promise<void> {
    requireId(name, 'name', 100);
    if (value !== null && typeof value !== 'string') {
      throw new StoreInputError('value', 'expected a string or null');
    }
    await this.write([], async (_tx, staging) => {
      if (value === null) delete staging.cursors[name];
      else staging.cursors[name] = value;
    });
    if (value === null) delete this.savedCursors[name];
    else this.savedCursors[name] = value;
  }

  /**
   * Makes this sync's data what readers see, in one transaction: a full sync
   * swaps generations, an incremental one merges its changes into the active
   * generation. Until then readers keep the previous data, whole.
   */
  async commit(): Promise<{ generation: number; syncedAt: string }> {
    this.assertOpen();
    const db = await this.store.db();
    const stores = ['locations', 'syncState', 'audit', ...GENERATION_STORES] as const;
    const tx = db.transaction([...stores], 'readwrite');
    const finishedAt = this.store.isoNow();
    let replaced: number | null = null;
    const generation = await within(tx as unknown as AnyTx, async () => {
      const state = await tx.objectStore('syncState').get(this.locationId);
      const location = await tx.objectStore('locations').get(this.locationId);
      const staging = state?.staging;
      if (
        state === undefined ||
        location === undefined ||
        staging == null ||
        staging.generation !== this.generation
      ) {
        throw new SyncStateError(
          'superseded',
          `This sync of ${this.locationId} was replaced by a newer one`,
        );
      }
      let active: number;
      if (this.kind === 'full') {
        // Contacts are optional: a sync may leave them to the on-demand cache.
        const missing = (['numbers', 'staff'] as const).filter((k) => !staging.wrote[k]);
        if (missing.length > 0) {
          throw new SyncStateError(
            'incomplete',
            `A full sync must write numbers and staff before it commits; missing: ${missing.join(', ')}`,
          );
        }
        replaced = location.activeGeneration;
        active = this.generation;
        location.activeGeneration = active;
        location.revision++;
      } else {
        if (location.activeGeneration === null) {
          throw new SyncStateError('no-base', 'The data this incremental sync updates is gone');
        }
        active = location.activeGeneration;
        await this.mergeInto(tx as unknown as AnyTx, staging, active);
        location.revision++;
      }
      const learnt = adoptLearnt(location, staging.location);
      location.syncedAt = finishedAt;
      state.cursors = staging.cursors;
      state.lastSuccessAt = finishedAt;
      state.lastError = null;
      state.lastSync = {
        kind: this.kind,
        startedAt: staging.startedAt,
        finishedAt,
        messages: staging.progress.messages,
        contacts: staging.progress.contacts,
      };
      state.staging = null;
      await tx.objectStore('locations').put(location);
      await tx.objectStore('syncState').put(state);
      await this.store.addAuditIn(tx.objectStore('audit'), {
        locationId: this.locationId,
        kind: 'sync',
        summary: `${this.kind === 'full' ? 'Full' : 'Incremental'} sync finished: ${staging.progress.contacts} contacts, ${staging.progress.messages} messages`,
        detail: {
          kind: this.kind,
          contacts: staging.progress.contacts,
          messages: staging.progress.messages,
        },
        at: finishedAt,
      });
      if (learnt.length > 0) {
        await this.store.addAuditIn(tx.objectStore('audit'), {
          locationId: this.locationId,
          kind: 'settings',
          summary: `Settings changed by the sync: ${learnt.join(', ')}`,
          at: finishedAt,
        });
      }
      return active;
    });
    this.state = 'committed';
    this.store.release(this);
    if (replaced !== null) {
      // The swap is already durable; a cleanup that fails is redone when the
      // next sync begins.
      await this.store.collectGarbage(this.locationId).catch(() => {});
    }
    return { generation, syncedAt: finishedAt };
  }

  /** Copies an incremental sync's staged rows into the active generation, then drops them. */
  private async mergeInto(tx: AnyTx, staging: StagingState, active: number): Promise<void> {
    const loc = this.locationId;
    const staged = generationRange(loc, this.generation);
    const rw = tx as unknown as IDBPTransaction<SenderLensDB, StoreName[], 'readwrite'>;
    const factsStore = rw.objectStore('contactFacts');
    const stagedFacts = await factsStore.getAll(staged);
    const activeFacts = await Promise.all(
      stagedFacts.map((row) => factsStore.get([loc, active, row.contactId])),
    );
    // Facts join in any order, so merging a delta into whatever is active
    // now is right even if messages overlap with what it already holds.
    await Promise.all(
      stagedFacts.map((row, i) => {
        const facts = mergeFacts(activeFacts[i]?.facts, row.facts);
        return factsStore.put({ ...row, generation: active, facts });
      }),
    );
    const contactsStore = rw.objectStore('contacts');
    for (const row of await contactsStore.getAll(staged)) {
      if (row.removed) {
        await contactsStore.delete([loc, active, row.id]);
        await factsStore.delete([loc, active, row.id]);
      } else {
        await contactsStore.put({ ...row, generation: active });
      }
    }
    for (const name of ['numbers', 'staff'] as const) {
      if (!staging.wrote[name]) continue;
      const store = rw.objectStore(name);
      const rows = await store.getAll(staged);
      await store.delete(generationRange(loc, active));
      await Promise.all(rows.map((row) => store.put({ ...row, generation: active })));
    }
    for (const name of GENERATION_STORES) await rw.objectStore(name).delete(staged);
  }

  /**
   * Ends a failed sync: records the error (credentials masked) and drops
   * what this sync wrote. Readers keep the previous data. Safe to call twice.
   */
  async abort(error: unknown): Promise<void> {
    if (this.state === 'aborted' || this.generation < 0) return;
    if (this.state === 'committed') {
      throw new SyncStateError('closed', `This sync of ${this.locationId} has already committed`);
    }
    this.state = 'aborted';
    this.store.release(this);
    const message = errorMessage(error);
    const at = this.store.isoNow();
    const db = await this.store.db();
    const tx = db.transaction(['syncState', 'audit'], 'readwrite');
    await within(tx as unknown as AnyTx, async () => {
      const state = await tx.objectStore('syncState').get(this.locationId);
      if (state === undefined) return;
      state.lastError = { message, at };
      if (state.staging?.generation === this.generation) state.staging = null;
      await tx.objectStore('syncState').put(state);
      await this.store.addAuditIn(tx.objectStore('audit'), {
        locationId: this.locationId,
        kind: 'sync',
        outcome: 'error',
        summary: `${this.kind === 'full' ? 'Full' : 'Incremental'} sync failed: ${message}`,
        at,
      });
    });
    await this.store.collectGarbage(this.locationId).catch(() => {});
  }
}

/** Writes a committed sync's view of the sub-account into its row; returns what changed. */
function adoptLearnt(row: LocationRow, learnt: StagingState['location']): string[] {
  const changes: string[] = [];
  if (learnt?.name !== undefined && learnt.name !== row.name) {
    row.name = learnt.name;
    changes.push('name');
  }
  if (learnt?.country !== undefined && learnt.country !== row.country) {
    row.country = learnt.country;
    changes.push(`country ${learnt.country}`);
  }
  return changes;
}

/** Opens the store (the global `indexedDB` unless a factory is given). */
export async function openStore(options: IDBFactory | StoreOptions = {}): Promise<Store> {
  const store = new Store(
    typeof (options as IDBFactory).open === 'function'
      ? { factory: options as IDBFactory }
      : (options as StoreOptions),
  );
  // Open now so a failed migration surfaces here, not at the first read.
  await store.db();
  return store;
}
