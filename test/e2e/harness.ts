// Drives the built extension in real Chromium (Debian's, never a Playwright download).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { TEST_API_BASES_KEY } from '../../lib/background/api-bases';
import type { Reply } from '../../lib/messaging/protocol';

/** Repo root, so paths work whatever directory vitest was started from. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where `npm run build:e2e` puts the Chrome build that the e2e suite loads. */
export const E2E_EXTENSION_DIR = join(ROOT, '.output/chrome-mv3-e2e');

/** Screenshots land here; the folder is gitignored. */
export const ARTIFACTS_DIR = join(ROOT, 'artifacts/e2e');

export interface LaunchOptions {
  extensionDir: string;
  headless?: boolean;
  /** How long to wait for the extension's service worker to appear. */
  workerTimeoutMs?: number;
  /**
   * Default true: Playwright closes the browser and exits on Ctrl+C. False leaves the signals
   * to the caller, so a long-running demo can clean up its servers and profile first.
   */
  handleSignals?: boolean;
}

export interface LaunchedExtension {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Closes the browser and deletes its throwaway profile. */
  close(): Promise<void>;
}

function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install Debian's chromium (apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH',
    );
  }
  return path;
}

/** Starts Chromium with the unpacked extension loaded and waits for its service worker. */
export async function launchWithExtension(options: LaunchOptions): Promise<LaunchedExtension> {
  const extensionDir = resolve(options.extensionDir);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No manifest.json in ${extensionDir}: run npm run build:e2e first`);
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'sender-lens-e2e-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(),
      headless: options.headless ?? true,
      handleSIGINT: options.handleSignals ?? true,
      handleSIGTERM: options.handleSignals ?? true,
      handleSIGHUP: options.handleSignals ?? true,
      args: [
        // Playwright always passes --disable-extensions; this flag carves our build out of it.
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        // CI runs as root, where Chromium refuses to start sandboxed.
        '--no-sandbox',
        '--disable-gpu',
        // Without these Chromium keeps dialling hosts this machine cannot reach.
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const serviceWorker = await waitForExtensionWorker(context, options.workerTimeoutMs ?? 15_000);
    const extensionId = new URL(serviceWorker.url()).host;
    const launched = context;
    return {
      context: launched,
      extensionId,
      serviceWorker,
      async close() {
        await launched.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true });
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

/** Records console errors and uncaught exceptions on a page so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** Saves a full-page screenshot under artifacts/e2e/ and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Sends a request from an extension page (options, popup), as those pages
 * do, and returns its value; a refusal throws with its message.
 */
export async function extensionRequest<T>(page: Page, type: string, payload: unknown): Promise<T> {
  // A string, not a function: tsx rewrites functions with helpers the page lacks.
  const reply = (await page.evaluate(
    `chrome.runtime.sendMessage(${JSON.stringify({ type, payload })})`,
  )) as Reply<T>;
  if (!reply.ok) throw new Error(`${type} refused: ${reply.error?.message ?? 'no reason given'}`);
  return reply.value as T;
}

/** Points a test or demo build's API clients at the fakes (production builds ignore it). */
export async function pointAtFakes(
  extension: LaunchedExtension,
  fakes: { twilioBase: string; highlevelBase: string },
): Promise<void> {
  const bases = { twilio: fakes.twilioBase, highlevel: fakes.highlevelBase };
  await extension.serviceWorker.evaluate(
    `chrome.storage.local.set(${JSON.stringify({ [TEST_API_BASES_KEY]: bases })})`,
  );
}

/**
 * From an extension page: saves the fakes' credentials, selects the
 * sub-account and runs one full sync through the options page's requests,
 * waiting until it succeeds (a sync error or the time limit throws).
 */
export async function connectAndSync(
  settings: Page,
  account: {
    twilio: { accountSid: string; authToken: string };
    highlevel: { token: string };
    locationId: string;
  },
  timeoutMs = 60_000,
): Promise<void> {
  const { twilio, highlevel, locationId } = account;
  await extensionRequest(settings, 'twilio-save', {
    kind: 'auth-token',
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
  });
  await extensionRequest(settings, 'highlevel-save', { locationId, token: highlevel.token });
  await extensionRequest(settings, 'location-set', { locationId, selectedForSync: true });
  await extensionRequest(settings, 'sync-now', { locationId, kind: 'full' });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await extensionRequest<{
      lastSuccessAt: string | null;
      lastError: { message: string } | null;
    }>(settings, 'sync-status', { locationId });
    if (state.lastSuccessAt !== null) return;
    if (state.lastError || Date.now() > deadline) {
      throw new Error(`The sync did not finish: ${state.lastError?.message ?? 'timed out'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
