import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPageErrors,
  E2E_EXTENSION_DIR,
  type LaunchedExtension,
  launchWithExtension,
  saveScreenshot,
} from '../driver';
import { type FixtureServer, serveFixtures } from './fixture-server';

interface Manifest {
  name: string;
}

describe('the e2e build in Chromium', () => {
  let extension: LaunchedExtension;
  let fixtures: FixtureServer;

  beforeAll(async () => {
    fixtures = await serveFixtures({
      '/conversations': '<!doctype html><title>Fixture</title><p>Conversations fixture</p>',
    });
    extension = await launchWithExtension({ extensionDir: E2E_EXTENSION_DIR, headless: true });
  });

  afterAll(async () => {
    await extension?.close();
    await fixtures?.close();
  });

  it('loads and starts its service worker', async () => {
    expect(extension.extensionId).toMatch(/^[a-p]{32}$/);
    expect(extension.serviceWorker.url()).toBe(
      `chrome-extension://${extension.extensionId}/background.js`,
    );
    // Proves the worker actually runs code, not just that Chromium registered it.
    const manifestName = await extension.serviceWorker.evaluate(() => {
      // Runs inside the worker, where `chrome` exists; the test's own types don't declare it.
      const scope = globalThis as unknown as { chrome: { runtime: { getManifest(): Manifest } } };
      return scope.chrome.runtime.getManifest().name;
    });
    expect(manifestName).toBe('Sender Lens for HighLevel');
  });

  it('renders the options page without console errors', async () => {
    const page = await extension.context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 10_000 })
      .toBe('Sender Lens');
    await saveScreenshot(page, 'options');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('renders the popup page without console errors', async () => {
    const page = await extension.context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    await expect
      .poll(() => page.locator('#app').textContent(), { timeout: 10_000 })
      .toContain('Sender Lens');
    await saveScreenshot(page, 'popup');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('injects the content script on a 127.0.0.1 page', async () => {
    const page = await extension.context.newPage();
    await page.goto(`${fixtures.origin}/conversations`);
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.senderLens), {
        timeout: 10_000,
      })
      .toBe('ready');
    await page.close();
  });
});
