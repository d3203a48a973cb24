/**
 * The sync writer: one sync's rows go into a generation of their own and
 * become what readers see only on `commit()` (see schema.ts for why). It
 * reaches the store only through the narrow WriterHost.
 */
import type { IDBPTransaction } from 'idb';
import { SyncStateError } from './api';
import { addAuditRow } from './audit-log';
import { Bucket, bucketOf, checkFacts } from './buckets';
import { type ContactHistory, mergeFacts } from './facts';
import {
  type AnyTx,
  BUCKETS_PER_WRITE,
  errorMessage,
  ROWS_PER_WRITE,
  type RwTx,
  within,
} from './rows';
import {
  type ContactRow,
  type Db,
  GENERATION_STORES,
  generationRange,
  type LocationRow,
  type NumberRow,
  otherGenerationRanges,
  type SenderLensDB,
  type StaffRow,
  type StagingState,
  type StoreName,
} from './schema';
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

/** What a writer needs of the store that started it. */
export interface WriterHost {
  db(): Promise<Db>;
  now(): number;
  /** Told once, when the writer commits or aborts. */
  release(writer: SyncWriter): void;
}

const isoOf = (ms: number) => new Date(ms).toISOString();

/** Writes one sync into its own generation; nothing is visible to readers until `commit()`. */
export class SyncWriter {
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private readonly savedCursors: Record<string, string>;

  constructor(
    private readonly host: WriterHost,
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
    const db = await this.host.db();
    const tx: RwTx = db.transaction([...stores, 'syncState'], 'readwrite');
    await within(tx, async () => {
      const state = await tx.objectStore('syncState').get(this.locationId);
      const staging = state?.staging;
      if (state === undefined || staging == null || staging.generation !== this.generation) {
        throw new SyncStateError(
          'superseded',
          `This sync of ${this.locationId} was replaced by a newer one`,
        );
      }
      await body(tx, staging);
      staging.progress.updatedAt = isoOf(this.host.now());
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
   * Writes folded facts in bulk, keyed by contact id or history key
   * (`tel:+1…`), joined with any this sync wrote before. A full sync writes
   * them as bucket rows (buckets.ts: a few hundred rows instead of one per
   * contact, which real IndexedDB writes many times faster); an incremental
   * sync stages them as rows, merged into the active data at commit.
   * `counts` adds the messages and pages the facts came from to the sync's
   * progress; `onProgress` hears how many contacts are written so far.
   */
  async putFacts(
    facts: ReadonlyMap<string, ContactHistory>,
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
  private bucketChunks(facts: ReadonlyMap<string, ContactHistory>): string[][] {
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
    facts: ReadonlyMap<string, ContactHistory>,
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
    facts: ReadonlyMap<string, ContactHistory>,
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
    const db = await this.host.db();
    const stores = ['locations', 'syncState', 'audit', ...GENERATION_STORES] as const;
    const tx = db.transaction([...stores], 'readwrite');
    const finishedAt = isoOf(this.host.now());
    let replaced: number | null = null;
    const generation = await within(tx, async () => {
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
        // The data is now all from the Twilio account set when this sync ran.
        delete location.fullSyncDue;
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
      await addAuditRow(tx.objectStore('audit'), this.host.now, {
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
        await addAuditRow(tx.objectStore('audit'), this.host.now, {
          locationId: this.locationId,
          kind: 'settings',
          summary: `Settings changed by the sync: ${learnt.join(', ')}`,
          at: finishedAt,
        });
      }
      return active;
    });
    this.state = 'committed';
    this.host.release(this);
    if (replaced !== null) {
      // The swap is already durable; a cleanup that fails is redone when the
      // next sync begins.
      await collectGarbage(await this.host.db(), this.locationId).catch(() => {});
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
    this.host.release(this);
    const message = errorMessage(error);
    const at = isoOf(this.host.now());
    const db = await this.host.db();
    const tx = db.transaction(['syncState', 'audit'], 'readwrite');
    await within(tx, async () => {
      const state = await tx.objectStore('syncState').get(this.locationId);
      if (state === undefined) return;
      state.lastError = { message, at };
      if (state.staging?.generation === this.generation) state.staging = null;
      await tx.objectStore('syncState').put(state);
      await addAuditRow(tx.objectStore('audit'), this.host.now, {
        locationId: this.locationId,
        kind: 'sync',
        outcome: 'error',
        summary: `${this.kind === 'full' ? 'Full' : 'Incremental'} sync failed: ${message}`,
        at,
      });
    });
    await collectGarbage(await this.host.db(), this.locationId).catch(() => {});
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

/** Deletes every generation of a location but the active one and a running sync's. */
export async function collectGarbage(db: Db, locationId: string): Promise<void> {
  const tx = db.transaction(['locations', 'syncState', ...GENERATION_STORES], 'readwrite');
  await within(tx, async () => {
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
