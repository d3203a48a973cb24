/**
 * Schema migrations, in order. Each step takes a database at `version - 1`
 * to `version` inside the version-change transaction, so data written by any
 * earlier release opens under the latest one. Never edit a released step:
 * add a new one.
 */
import type { Db, UpgradeTransaction } from './schema';

/** The object store versions 3 and 4 kept the packed snapshot in. */
const RETIRED_SNAPSHOT_CACHE = 'snapshotCache';

export interface Migration {
  version: number;
  description: string;
  migrate(db: Db, tx: UpgradeTransaction): void | Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Locations, generation-keyed sync data, picks, sync state and the audit log',
    migrate(db) {
      db.createObjectStore('locations', { keyPath: 'locationId' });
      db.createObjectStore('numbers', { keyPath: ['locationId', 'generation', 'number'] });
      db.createObjectStore('staff', { keyPath: ['locationId', 'generation', 'id'] });
      db.createObjectStore('contacts', { keyPath: ['locationId', 'generation', 'id'] });
      db.createObjectStore('contactFacts', { keyPath: ['locationId', 'generation', 'contactId'] });
      db.createObjectStore('picks', { keyPath: ['locationId', 'contactId'] });
      db.createObjectStore('syncState', { keyPath: 'locationId' });
      // Version 1 entries carry `at` (ISO 8601) only.
      db.createObjectStore('audit', { keyPath: 'seq', autoIncrement: true });
    },
  },
  {
    version: 2,
    description:
      'Audit log listed per location, newest first: numeric atMs on every entry and an index on [locationId, atMs]',
    async migrate(_db, tx) {
      const audit = tx.objectStore('audit');
      audit.createIndex('byLocationTime', ['locationId', 'atMs']);
      // Entries without atMs would be missing from the index, and so from
      // the audit view: fill it in from `at`.
      let cursor = await audit.openCursor();
      while (cursor) {
        const entry = cursor.value as { at?: unknown; atMs?: unknown };
        if (typeof entry.atMs !== 'number') {
          const parsed = typeof entry.at === 'string' ? Date.parse(entry.at) : Number.NaN;
          // An unreadable date sorts as the oldest rather than being dropped.
          await cursor.update({ ...cursor.value, atMs: Number.isNaN(parsed) ? 0 : parsed });
        }
        cursor = await cursor.continue();
      }
    },
  },
  {
    version: 3,
    description:
      'The packed snapshot of each location, one row, so a woken worker reads one row instead of every contact',
    migrate(db) {
      // Derived data: it is built from the rows on first use, so nothing to fill in.
      // Retired in version 5; `never`, since the schema no longer names it.
      db.createObjectStore(RETIRED_SNAPSHOT_CACHE as never, { keyPath: 'locationId' });
    },
  },
  {
    version: 4,
    description:
      'Facts in bulk (a full sync writes a few hundred bucket rows, not one row a contact) and the cache of contacts fetched on demand',
    migrate(db) {
      // Nothing to fill in: existing facts stay in contactFacts, which reads
      // join with the buckets, and the cache fills as conversations open.
      db.createObjectStore('factBuckets', { keyPath: ['locationId', 'generation', 'bucket'] });
      db.createObjectStore('contactCache', { keyPath: ['locationId', 'contactId'] });
    },
  },
  {
    version: 5,
    description:
      'No packed snapshot copy: the background reads one contact at a time, so the copy only cost every full sync a rewrite',
    migrate(db) {
      if (db.objectStoreNames.contains(RETIRED_SNAPSHOT_CACHE as never)) {
        db.deleteObjectStore(RETIRED_SNAPSHOT_CACHE as never);
      }
    },
  },
  {
    version: 6,
    description:
      'The outbox: every send written before it goes on the wire, then kept as the send log; and the pairs Twilio blocked after a STOP',
    migrate(db) {
      const sends = db.createObjectStore('sends', { keyPath: 'id' });
      // Rows with nothing left to do carry no nextMs, so the index holds only pending work.
      sends.createIndex('byDue', 'nextMs');
      sends.createIndex('byTime', 'createdMs');
      sends.createIndex('byLocationTime', ['locationId', 'createdMs']);
      sends.createIndex('byConversation', ['locationId', 'conversationId', 'createdMs']);
      sends.createIndex('byProvider', 'providerId');
      db.createObjectStore('blockedPairs', { keyPath: ['locationId', 'from', 'to'] });
    },
  },
];

/** The version the code expects; the database is upgraded to it on open. */
export const LATEST_VERSION = MIGRATIONS.length;

/** Runs, in order, every migration after `oldVersion` up to `newVersion`. */
export async function runMigrations(
  db: Db,
  tx: UpgradeTransaction,
  oldVersion: number,
  newVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  for (const migration of migrations) {
    if (migration.version > oldVersion && migration.version <= newVersion) {
      await migration.migrate(db, tx);
    }
  }
}
