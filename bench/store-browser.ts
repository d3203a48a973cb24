/**
 * Store benchmark on real IndexedDB in headless Chromium: see
 * bench/store-workload.ts.
 *
 *   node --import tsx bench/store-browser.ts
 *   CHROMIUM=/usr/bin/chromium CONTACTS=100000 MESSAGES=1000000 node --import tsx bench/store-browser.ts
 */
import { PAGE_HEAP_BYTES, runInChromium } from './in-chromium';

const contacts = Number(process.env.CONTACTS ?? 100_000);
const messages = Number(process.env.MESSAGES ?? 300_000);

const rows = await runInChromium(
  new URL('./store-workload.ts', import.meta.url),
  'storeBench',
  `(async () => {
    const result = await storeBench.runStoreWorkload({
      factory: indexedDB,
      contacts: ${contacts},
      messages: ${messages},
      heapBytes: ${PAGE_HEAP_BYTES},
    });
    return storeBench.formatTable(result);
  })()`,
);
console.log(rows);
