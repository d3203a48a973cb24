/**
 * Opens the database at the latest schema version, running the migrations
 * (./migrations.ts) that take an older one there. Apart from the schema so
 * that the migrations can use its types without a circle.
 */

import { wrap } from 'idb';
import { MIGRATIONS, type Migration, runMigrations } from './migrations';
import { DB_NAME, type Db, type UpgradeTransaction } from './schema';

export interface OpenOptions {
  name?: string;
  /** Open at an older version: only migration tests do this. */
  version?: number;
  /** Called when the connection closes because another context upgrades the database. */
  onClose?: () => void;
  /** Tests replace the steps to check how a failing one is handled. */
  migrations?: readonly Migration[];
}

/**
 * Opens the database through `factory`, running the migrations from the
 * stored version up to `version`. idb's `openDB` always uses the global
 * factory; taking one lets tests give each case its own database.
 */
export function openDatabase(factory: IDBFactory, options: OpenOptions = {}): Promise<Db> {
  const migrations = options.migrations ?? MIGRATIONS;
  const version = options.version ?? migrations.length;
  const request = factory.open(options.name ?? DB_NAME, version);
  let migrationError: unknown;
  const opened = wrap(request) as unknown as Promise<Db>;
  request.addEventListener('upgradeneeded', (event) => {
    const db = wrap(request.result) as unknown as Db;
    const tx = wrap(request.transaction as IDBTransaction) as unknown as UpgradeTransaction;
    // The open request reports the outcome; this copy of it needs no handler.
    tx.done.catch(() => {});
    runMigrations(db, tx, event.oldVersion, version, migrations).catch((error: unknown) => {
      // A failed migration must not leave a half-upgraded database: abort
      // the version change, which makes the open fail and keeps the old data.
      migrationError = error;
      try {
        tx.abort();
      } catch {
        // Already finished or aborted.
      }
    });
  });
  const checked = opened.catch((error: unknown) => {
    if (migrationError === undefined) throw error;
    const detail =
      migrationError instanceof Error ? migrationError.message : String(migrationError);
    throw new Error(`Could not upgrade the ${options.name ?? DB_NAME} database: ${detail}`);
  });
  return checked.then((db) => {
    db.addEventListener('versionchange', () => {
      // Another context (an updated background, say) is upgrading: step
      // aside so it is not blocked; the store reopens on its next call.
      db.close();
      options.onClose?.();
    });
    return db;
  });
}
