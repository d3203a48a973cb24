/**
 * The store side of a sync on real IndexedDB in headless Chromium, without
 * network: see bench/sync-workload.ts (bench/sync-extension.ts measures the
 * whole sync in the extension's worker).
 *
 *   node --import tsx bench/sync-browser.ts
 *   CONTACTS=100000 MESSAGES=1000000 node --import tsx bench/sync-browser.ts
 */
import { PAGE_HEAP_BYTES, runInChromium } from './in-chromium';

const contacts = Number(process.env.CONTACTS ?? 100_000);
const messages = Number(process.env.MESSAGES ?? 1_000_000);

const rows = await runInChromium(
  new URL('./sync-workload.ts', import.meta.url),
  'syncBench',
  `(async () => {
    const result = await syncBench.runSyncWorkload({
      factory: indexedDB,
      contacts: ${contacts},
      messages: ${messages},
      heapBytes: ${PAGE_HEAP_BYTES},
    });
    return syncBench.formatRows(result);
  })()`,
);
console.log(rows);
