/**
 * Store benchmark on real IndexedDB in headless Chromium (the system's,
 * `apt-get install chromium`; never a downloaded one). Bundles the workload
 * with Vite and serves it from a routed origin, so nothing listens on a port.
 *
 *   node --import tsx bench/store-browser.ts
 *   CHROMIUM=/usr/bin/chromium CONTACTS=100000 MESSAGES=1000000 node --import tsx bench/store-browser.ts
 */
import { chromium } from 'playwright-core';
import { build } from 'vite';

const contacts = Number(process.env.CONTACTS ?? 100_000);
const messages = Number(process.env.MESSAGES ?? 300_000);

const output = await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    write: false,
    minify: false,
    lib: {
      entry: new URL('./store-workload.ts', import.meta.url).pathname,
      formats: ['iife'],
      name: 'storeBench',
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
    const result = await storeBench.runStoreWorkload({
      factory: indexedDB,
      contacts: ${contacts},
      messages: ${messages},
      heapBytes: () => {
        globalThis.gc?.();
        return performance.memory?.usedJSHeapSize ?? 0;
      },
    });
    return storeBench.formatTable(result);
  })()`);
  console.log(`Chromium ${browser.version()}, real IndexedDB`);
  console.log(rows);
} finally {
  await browser.close();
}
