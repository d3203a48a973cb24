// The options page in real Chromium against the contract fakes served on 127.0.0.1: an admin
// types credentials, checks them, selects the sub-account and watches a sync finish; then a
// failing sync shows its error while the last good sync stays.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectPageErrors,
  E2E_EXTENSION_DIR,
  type LaunchedExtension,
  launchWithExtension,
  pointAtFakes,
  saveScreenshot,
} from '../driver';
import {
  createFakeHighLevel,
  createFakeTwilio,
  expectNoViolations,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  type ServedFakes,
  seedBelievableSubAccount,
  serveFakes,
} from '../fakes';

describe('options page: credentials, check and sync in Chromium', () => {
  let twilio: FakeTwilio;
  let highlevel: FakeHighLevel;
  let seeded: SeededSubAccount;
  let served: ServedFakes;
  let extension: LaunchedExtension;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    twilio = await createFakeTwilio();
    highlevel = await createFakeHighLevel();
    seeded = seedBelievableSubAccount(twilio, highlevel);
    served = await serveFakes({ twilio, highlevel });
    extension = await launchWithExtension({ extensionDir: E2E_EXTENSION_DIR });
    await pointAtFakes(extension, served);
    page = await extension.context.newPage();
    errors = collectPageErrors(page);
    await page.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await page.getByRole('heading', { name: 'Twilio', exact: true }).waitFor();
  });

  afterAll(async () => {
    await extension?.close();
    await served?.close();
  });

  it('saves and checks the credentials, then syncs the selected sub-account', async () => {
    await page.getByLabel('Account SID').fill(twilio.accountSid);
    // The mode toggle's radio is also named Auth Token; the field is the password input.
    await page
      .getByLabel('Auth Token', { exact: true })
      .and(page.locator('input[type="password"]'))
      .fill(twilio.authToken);
    await page.getByRole('button', { name: 'Save Twilio credentials' }).click();
    await expect
      .poll(() => page.locator('.saved').textContent(), { timeout: 10_000 })
      .toContain(
        `Saved: AC…${twilio.accountSid.slice(-4)}, token ••••${twilio.authToken.slice(-4)}`,
      );

    await page.getByLabel('Location ID').fill(seeded.locationId);
    await page.getByLabel('Private Integration token').fill(highlevel.token);
    await page.getByRole('button', { name: 'Save HighLevel token' }).click();
    const connected = page.getByRole('list', { name: 'Connected sub-accounts' });
    await expect
      .poll(() => connected.textContent(), { timeout: 10_000 })
      .toContain(`Token ••••${highlevel.token.slice(-4)}`);

    await page.getByRole('button', { name: 'Check connection' }).click();
    const results = page.getByRole('list', { name: 'Connection results' });
    await expect
      .poll(() => results.textContent(), { timeout: 15_000 })
      .toContain('Connected: 12 numbers, 9 can send SMS');
    expect(await results.textContent()).toContain(
      'Connected to Sunrise Dental: 12 numbers, 5 staff',
    );
    await saveScreenshot(page, 'options-connected');

    // Neither secret is anywhere in the page once saved.
    const html = await page.content();
    expect(html).not.toContain(twilio.authToken);
    expect(html).not.toContain(highlevel.token);

    await page.getByRole('checkbox', { name: /Sunrise Dental/ }).check();
    const syncNow = page.getByRole('button', { name: 'Sync now' });
    await expect.poll(() => syncNow.isEnabled(), { timeout: 10_000 }).toBe(true);
    // Slow the message pages down so the progress bar is on screen long enough to watch.
    twilio.faults.slow(6, 400);
    await syncNow.click();
    const bar = page.getByRole('progressbar', { name: 'Sync progress of Sunrise Dental' });
    await bar.waitFor({ timeout: 10_000 });
    const seen = new Set<string>();
    const state = page.locator('.sync-state');
    await expect
      .poll(
        async () => {
          const line = ((await state.textContent()) ?? '').trim();
          seen.add(line);
          return line;
        },
        { timeout: 30_000, interval: 100 },
      )
      .toMatch(/^Synced just now/);
    expect([...seen].some((line) => line.startsWith('Syncing:'))).toBe(true);
    expect(await bar.count()).toBe(0);
    expect(await page.locator('.sync-row [role="alert"]').count()).toBe(0);
    await saveScreenshot(page, 'options-synced');

    // The popup says the same in a line.
    const popup = await extension.context.newPage();
    const popupErrors = collectPageErrors(popup);
    await popup.setViewportSize({ width: 360, height: 240 });
    await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    const synced = popup.getByRole('list', { name: 'Synced sub-accounts' });
    await expect
      .poll(() => synced.textContent(), { timeout: 10_000 })
      .toBe('Sunrise DentalSynced just now');
    await saveScreenshot(popup, 'popup-synced');
    await popup.close();
    expect(popupErrors).toEqual([]);

    expectNoViolations(twilio);
    expectNoViolations(highlevel);
    expect(errors).toEqual([]);
  });

  it('shows a failed sync’s error on the page and keeps the last good sync', async () => {
    const before = ((await page.locator('.sync-state').textContent()) ?? '').trim();
    expect(before).toMatch(/^Synced /);
    // Faults are queued in order: drop any slow answers the first sync left unused, then make
    // every try of the next Twilio calls fail, retries included.
    twilio.faults.clear();
    twilio.faults.serverError(12, 503);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const alert = page.locator('.sync-row [role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(
      /^Last sync failed just now: Twilio had a server problem/,
    );
    expect(await alert.textContent()).toContain(
      'Sender Lens keeps using the data of the last successful sync.',
    );
    expect(((await page.locator('.sync-state').textContent()) ?? '').trim()).toMatch(/^Synced /);
    await saveScreenshot(page, 'options-sync-error');

    // After the outage the next sync clears the error.
    twilio.faults.clear();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(0);
    expectNoViolations(twilio);
    expectNoViolations(highlevel);
    expect(errors).toEqual([]);
  });
});
