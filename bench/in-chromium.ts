/**
 * Runs a workload module in a plain page of headless Chromium (the driver's:
 * Debian's, or $CHROMIUM_PATH; never a downloaded one), on real IndexedDB.
 * The module is bundled with Vite and served from a routed origin, so nothing
 * listens on a port.
 */
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../test/driver/chromium';

/** Bundles `entry` as the page global `name`, then evaluates `script` in the page and returns its value. */
export async function runInChromium(entry: URL, name: string, script: string): Promise<unknown> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      lib: { entry: entry.pathname, formats: ['iife'], name },
    },
  });
  const chunk = (Array.isArray(output) ? output[0] : output) as {
    output: { type: string; code?: string }[];
  };
  const code = chunk.output.find((o) => o.type === 'chunk')?.code;
  if (code === undefined) throw new Error('Vite produced no bundle');

  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [...chromiumArgs(), '--enable-precise-memory-info', '--js-flags=--expose-gc'],
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
    console.log(`Chromium ${browser.version()}, real IndexedDB`);
    // A string, not a function: tsx rewrites functions with helpers the page lacks.
    return await page.evaluate(script);
  } finally {
    await browser.close();
  }
}

/** The heap measure the workloads take, as page-side source text. */
export const PAGE_HEAP_BYTES = `() => {
  globalThis.gc?.();
  return performance.memory?.usedJSHeapSize ?? 0;
}`;
