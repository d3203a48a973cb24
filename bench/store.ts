/**
 * Store benchmark on fake-indexeddb in Node. IndexedDB times here are
 * fake-indexeddb's, several times slower than a browser's; see
 * bench/store-browser.ts for real IndexedDB.
 *
 *   node --expose-gc --import tsx bench/store.ts
 *   CONTACTS=100000 MESSAGES=300000 node --expose-gc --import tsx bench/store.ts
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { formatTable, runStoreWorkload } from './store-workload';

const rows = await runStoreWorkload({
  factory: new IDBFactory(),
  contacts: Number(process.env.CONTACTS ?? 100_000),
  messages: Number(process.env.MESSAGES ?? 300_000),
  heapBytes: () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().heapUsed;
  },
});
console.log(formatTable(rows));
