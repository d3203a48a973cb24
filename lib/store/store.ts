/**
 * The store over one database connection: sub-accounts and their settings,
 * one contact's data at a time, the contact cache, picks, the audit log and
 * sync state. Syncs write through a SyncWriter (writer.ts).
 */
import type { IDBPObjectStore } from 'idb';
import { E164, MAX_ID_LENGTH } from '../rules/formats';
import type { SnapshotContact } from '../rules/types';
import type {
  AuditEntry,
  AuditInput,
  CachedContact,
  ContactDetails,
  LocationInfo,
  LocationSettings,
  PendingPick,
  StoreOptions,
  StoreSnapshot,
  SyncStateInfo,
} from './api';
import { SyncStateError } from './api';
import { addAuditRow, listAuditPage } from './audit-log';
import { type ContactHistory, optOutState } from './facts';
import { contactKeys } from './keys';
import { applyLocationSettings, checkLocationSettings } from './location-settings';
import { type OpenOptions, openDatabase } from './open';
import { OutboxRows } from './outbox';
import {
  type AnyTx,
  cachedContact,
  FactsReader,
  isPending,
  newLocation,
  newSyncState,
  type RwTx,
  readDate,
  toPending,
  within,
  withSentPick,
} from './rows';
import {
  auditRange,
  type ContactCacheRow,
  type ContactRow,
  type Db,
  type FactsRow,
  GENERATION_STORES,
  generationRange,
  locationRange,
  otherGenerationRanges,
  type PickRow,
  type SenderLensDB,
  type StagingState,
  type StoreName,
} from './schema';
import { buildSnapshot, toContact } from './snapshot';
import { checkContact, requireId, requireList, StoreInputError } from './validate';
import { SyncWriter, type WriterHost } from './writer';

/** The store over one database connection. Create it with `openStore`. */
export class Store {
  private connection: Promise<Db> | null = null;
  private readonly writers = new Map<string, SyncWriter>();
  // All a writer may do to the store that started it.
  private readonly host: WriterHost = {
    db: () => this.db(),
    now: () => this.now(),
    release: (writer) => this.release(writer),
  };
  private readonly factory: IDBFactory;
  private readonly openOptions: OpenOptions;
  /** @internal */
  readonly now: () => number;
  /** The outbox and send log (outbox.ts). */
  readonly outbox = new OutboxRows(this.host);

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
      if (row.twilioAccountSid !== undefined) info.twilioAccountSid = row.twilioAccountSid;
      if (row.fullSyncDue) info.fullSyncDue = true;
      if (row.lcPhone) info.lcPhone = true;
      return info;
    });
  }

  /** Creates or updates a sub-account's settings. */
  async setLocationSettings(locationId: string, settings: LocationSettings): Promise<void> {
    requireId(locationId, 'locationId', MAX_ID_LENGTH);
    const checked = checkLocationSettings(settings);
    const db = await this.db();
    const tx = db.transaction(['locations', 'audit'], 'readwrite');
    await within(tx, async () => {
      const locations = tx.objectStore('locations');
      const row = (await locations.get(locationId)) ?? newLocation(locationId);
      const changes = applyLocationSettings(row, checked);
      await locations.put(row);
      if (changes.length > 0) {
        await addAuditRow(tx.objectStore('audit'), this.now, {
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

  /**
   * Deletes everything the store holds, for every sub-account: settings,
   * synced data, picks, sync states, audit logs, the contact cache, the
   * outbox and send log. Refused while a sync is writing.
   */
  async clearAll(): Promise<void> {
    if (this.writers.size > 0) {
      throw new SyncStateError('busy', 'A sync is running; abort it first');
    }
    const db = await this.db();
    const names = [...db.objectStoreNames];
    if (names.length === 0) return;
    const tx = db.transaction(names, 'readwrite');
    await within(tx, async () => {
      for (const name of names) await tx.objectStore(name).clear();
    });
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
  ): Promise<{ contact: SnapshotContact; facts: ContactHistory | undefined } | null> {
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
    const fetchedAtMs = readDate(fetchedAt, this.now);
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
    const removed = await within(tx, async () => {
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
    await within(tx, () => change(tx.objectStore('contactCache')));
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
    const atMs = readDate(pick.at, this.now);
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
      await addAuditRow(tx.objectStore('audit'), this.now, {
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
    return within(tx, () => addAuditRow(tx.store, this.now, entry));
  }

  /**
   * A page of a location's audit log, newest first. Pass the `seq` of the last
   * entry of a page as `before` to get the next one.
   */
  async listAudit(
    locationId: string,
    options: { limit?: number; before?: number } = {},
  ): Promise<AuditEntry[]> {
    return listAuditPage(await this.db(), locationId, options);
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
    const claim = new SyncWriter(this.host, locationId, kind, -1, {});
    this.writers.set(locationId, claim);
    try {
      const db = await this.db();
      const tx = db.transaction(['locations', 'syncState', ...GENERATION_STORES], 'readwrite');
      const staging = await within(tx, async () => {
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
      const writer = new SyncWriter(
        this.host,
        locationId,
        kind,
        staging.generation,
        staging.cursors,
      );
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
      this.host,
      locationId,
      state.staging.kind,
      state.staging.generation,
      state.staging.cursors,
    );
    this.writers.set(locationId, writer);
    return writer;
  }

  private release(writer: SyncWriter): void {
    if (this.writers.get(writer.locationId) === writer) this.writers.delete(writer.locationId);
  }
}
