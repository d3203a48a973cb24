// Launches Debian's Chromium (never a Playwright download), with or without the built extension.
// The one place that knows the browser's path and its flags.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { openShadowRootsForTests } from './shadow-roots';

/** Points the driver at another Chromium binary; .ci/run exports it. */
export const CHROMIUM_PATH_VAR = 'CHROMIUM_PATH';

/** Debian's Chromium, `apt-get install -y chromium`. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The Chromium binary to drive: $CHROMIUM_PATH, else Debian's; whether it exists is not checked. */
export function chromiumPath(): string {
  return process.env[CHROMIUM_PATH_VAR] || DEFAULT_CHROMIUM_PATH;
}

function existingChromium(): string {
  const path = chromiumPath();
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium) ` +
        `or set ${CHROMIUM_PATH_VAR}`,
    );
  }
  return path;
}

/** Every flag Chromium is started with here; with `extensionDir`, the two that load that build. */
export function chromiumArgs(extensionDir?: string): string[] {
  const extension = extensionDir
    ? [
        // Playwright always passes --disable-extensions; this flag carves our build out of it.
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
      ]
    : [];
  return [
    ...extension,
    // CI runs as root, where Chromium refuses to start sandboxed.
    '--no-sandbox',
    '--disable-gpu',
    // Without these Chromium keeps dialling hosts this machine cannot reach.
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
}

export interface ChromiumOptions {
  /** Default true. */
  headless?: boolean;
  /**
   * Default true: Playwright closes the browser and exits on Ctrl+C. False leaves the signals
   * to the caller, so a long-running demo can clean up its servers and profile first.
   */
  handleSignals?: boolean;
  /**
   * Playwright's `serviceWorkers` option. 'block' also stops Playwright watching the
   * extension's worker's network traffic, which slows a worker that reads much (bench:sync).
   */
  serviceWorkers?: 'allow' | 'block';
}

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and deletes its throwaway profile. */
  close(): Promise<void>;
}

/** Starts Chromium on a throwaway profile, loading the unpacked build in `extensionDir` if given. */
export async function launchChromium(
  options: ChromiumOptions & { extensionDir?: string } = {},
): Promise<LaunchedChromium> {
  const executablePath = existingChromium();
  const userDataDir = await mkdtemp(join(tmpdir(), 'sender-lens-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: options.headless ?? true,
      handleSIGINT: options.handleSignals ?? true,
      handleSIGTERM: options.handleSignals ?? true,
      handleSIGHUP: options.handleSignals ?? true,
      ...(options.serviceWorkers ? { serviceWorkers: options.serviceWorkers } : {}),
      args: chromiumArgs(options.extensionDir),
    });
    // Test builds draw open roots for Playwright's locators; see ./shadow-roots.ts.
    if (options.extensionDir !== undefined) await openShadowRootsForTests(context);
    return {
      context,
      async close() {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface LaunchOptions extends ChromiumOptions {
  extensionDir: string;
  /** How long to wait for the extension's service worker to appear. */
  workerTimeoutMs?: number;
}

export interface LaunchedExtension extends LaunchedChromium {
  extensionId: string;
  serviceWorker: Worker;
}

/** Starts Chromium with the unpacked extension loaded and waits for its service worker. */
export async function launchWithExtension(options: LaunchOptions): Promise<LaunchedExtension> {
  const extensionDir = resolve(options.extensionDir);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No manifest.json in ${extensionDir}: run npm run build:e2e first`);
  }
  const browser = await launchChromium({ ...options, extensionDir });
  try {
    const serviceWorker = await waitForExtensionWorker(
      browser.context,
      options.workerTimeoutMs ?? 15_000,
    );
    return { ...browser, extensionId: new URL(serviceWorker.url()).host, serviceWorker };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

async function waitForExtensionWorker(context: BrowserContext, timeoutMs: number): Promise<Worker> {
  const isExtension = (worker: Worker) => worker.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExtension);
  if (existing) return existing;
  try {
    return await context.waitForEvent('serviceworker', {
      predicate: isExtension,
      timeout: timeoutMs,
    });
  } catch {
    throw new Error(
      `The extension's service worker did not start within ${timeoutMs} ms. If this Chromium ` +
        'ignores --load-extension, load it over CDP instead (Extensions.loadUnpacked, see ' +
        'TOOLCHAIN.md).',
    );
  }
}
