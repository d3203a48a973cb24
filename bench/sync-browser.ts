/**
 * The store side of a sync on real IndexedDB in headless Chromium (the
 * system's, `apt-get install chromium`): see bench/sync-workload.ts.
 *
 *   node --import tsx bench/sync-browser.ts
 *   CONTACTS=100000 MESSAGES=1000000 node --import tsx bench/sync-browser.ts
 */
import { chromium } from 'playwright-core';
import { build } from 'vite';

const contacts = Number(process.env.CONTACTS ?? 100_000);
const messages = Number(process.env.MESSAGES ?? 1_000_000);

const output = await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    write: false,
    minify: false,
    lib: {
      entry: new URL('./sync-workload.ts', import.meta.url).pathname,
      formats: ['iife'],
      name: 'syncBench',
    },
  },
});
const chunk = (Array.isArray(output) ? output[0] : output) as {
  output: { type: string; code?: string }[];
};
const code = chunk.output.find((o) => o.type === 'chunk')?.code;
if (code === undefined) throw new Error('Vite produced no bundle');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
try {
  const page = await browser.newPage();
  await page.route('http://bench.test/**', (route) =>
    route.fulfill({
      contentType: route.request().url().endsWith('.js') ? 'text/javascript' : 'text/html',
      body: route.request().url().endsWith('.js')
        ? code
        : '<!doctype html><script src="/bench.js"></script>',
    }),
  );
  await page.goto('http://bench.test/');
  // A string, not a function: tsx rewrites functions with helpers the page lacks.
  const rows = await page.evaluate(`(async () => {
    const result = await syncBench.runSyncWorkload({
      factory: indexedDB,
      contacts: ${contacts},
      messages: ${messages},
      heapBytes: () => {
        globalThis.gc?.();
        return performance.memory?.usedJSHeapSize ?? 0;
      },
    });
    return syncBench.formatRows(result);
  })()`);
  console.log(`Chromium ${browser.version()}, real IndexedDB`);
  console.log(rows);
} finally {
  await browser.close();
}
