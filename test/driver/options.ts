// Connecting the extension to the fakes and syncing, through its options page: by the page's
// own requests (quick, for tests and benches) or by typing and clicking as an admin (the demo).
import type { Locator, Page } from 'playwright-core';
import { type LaunchedExtension, type LaunchOptions, launchWithExtension } from './chromium';
import type { SeededFakes } from './fakes';
import { tidy, waitFor } from './pages';
import { E2E_EXTENSION_DIR } from './paths';
import { extensionRequest, pointAtFakes } from './requests';
import { OPTIONS_SAVED, OPTIONS_SYNC_ALERT, OPTIONS_SYNC_STATE } from './selectors';

/** The credentials and sub-account the options page is given. */
export interface Account {
  twilio: { accountSid: string; authToken: string };
  highlevel: { token: string };
  locationId: string;
}

/** Opens the extension's options page in a new tab. */
export async function openOptionsPage(extension: LaunchedExtension): Promise<Page> {
  const settings = await extension.context.newPage();
  await settings.goto(`chrome-extension://${extension.extensionId}/options.html`);
  return settings;
}

/** From an extension page: saves both credentials and selects the sub-account for sync. */
export async function saveCredentials(settings: Page, account: Account): Promise<void> {
  const { twilio, highlevel, locationId } = account;
  await extensionRequest(settings, 'twilio-save', {
    kind: 'auth-token',
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
  });
  await extensionRequest(settings, 'highlevel-save', { locationId, token: highlevel.token });
  await extensionRequest(settings, 'location-set', { locationId, selectedForSync: true });
}

/**
 * From an extension page: saves the fakes' credentials, selects the
 * sub-account and runs one full sync through the options page's requests,
 * waiting until it succeeds (a sync error or the time limit throws).
 */
export async function connectAndSync(
  settings: Page,
  account: Account,
  timeoutMs = 60_000,
): Promise<void> {
  const { locationId } = account;
  await saveCredentials(settings, account);
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

/**
 * Chromium with a test build (by default the e2e build) pointed at the fakes, credentials
 * saved and one full sync done; the options page that did it is left open.
 */
export async function launchSyncedExtension(
  fakes: Pick<SeededFakes, 'twilio' | 'highlevel' | 'seeded' | 'served'>,
  options: Partial<LaunchOptions> & { syncTimeoutMs?: number } = {},
): Promise<{ extension: LaunchedExtension; settings: Page }> {
  const { syncTimeoutMs, ...launch } = options;
  const extension = await launchWithExtension({
    ...launch,
    extensionDir: launch.extensionDir ?? E2E_EXTENSION_DIR,
  });
  try {
    await pointAtFakes(extension, fakes.served);
    const settings = await openOptionsPage(extension);
    const { twilio, highlevel, seeded } = fakes;
    await connectAndSync(
      settings,
      { twilio, highlevel, locationId: seeded.locationId },
      syncTimeoutMs,
    );
    return { extension, settings };
  } catch (error) {
    await extension.close();
    throw error;
  }
}

/** What the options page said once connected by hand. */
export interface ConnectedByHand {
  /** The connection check's results, one line per service: "✓ Connected: 12 numbers, …". */
  checked: string;
  /** The sub-account's sync state once synced: "Synced just now". */
  synced: string;
}

/**
 * Connects the way an admin would, on an open options page: types both credentials, checks
 * the connection, ticks the sub-account and presses Sync now. A failed step throws naming it.
 */
export async function connectByHand(
  page: Page,
  account: Account & { locationName: string },
): Promise<ConnectedByHand> {
  const step = async (what: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      throw new Error(`Options page, ${what}: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  const textOf = async (locator: Locator) => tidy(await locator.textContent());
  const until = async (locator: Locator, pattern: RegExp, timeoutMs: number) => {
    const seen = await waitFor(
      () => textOf(locator),
      (t) => pattern.test(t),
      timeoutMs,
    );
    if (!seen.ok) throw new Error(`expected ${pattern}, the page said "${seen.value}"`);
    return seen.value;
  };

  await page.getByRole('heading', { name: 'Twilio', exact: true }).waitFor({ timeout: 10_000 });
  await step('saving the Twilio credentials', async () => {
    await page.getByLabel('Account SID').fill(account.twilio.accountSid);
    // The mode toggle's radio is also named Auth Token; the field is the password input.
    await page
      .getByLabel('Auth Token', { exact: true })
      .and(page.locator('input[type="password"]'))
      .fill(account.twilio.authToken);
    await page.getByRole('button', { name: 'Save Twilio credentials' }).click();
    await until(page.locator(OPTIONS_SAVED).first(), /^Saved: AC…/, 10_000);
  });
  await step('saving the HighLevel token', async () => {
    await page.getByLabel('Location ID').fill(account.locationId);
    await page.getByLabel('Private Integration token').fill(account.highlevel.token);
    await page.getByRole('button', { name: 'Save HighLevel token' }).click();
    await until(page.getByRole('list', { name: 'Connected sub-accounts' }), /Token ••••/, 10_000);
  });
  let checked = '';
  await step('checking the connection', async () => {
    await page.getByRole('button', { name: 'Check connection' }).click();
    const items = page.getByRole('list', { name: 'Connection results' }).getByRole('listitem');
    // One result per service, each starting with a ✓ or ✕ with no space after it in the text.
    const read = async () =>
      (await items.allTextContents()).map((line) => tidy(line).replace(/^([✓✕])\s*/, '$1 '));
    const seen = await waitFor(
      read,
      (lines) => lines.length >= 2 && lines.every((line) => /^[✓✕] /.test(line)),
      15_000,
    );
    if (!seen.ok) throw new Error(`no result within 15 s; it said "${seen.value.join('; ')}"`);
    const failed = seen.value.filter((line) => line.startsWith('✕'));
    if (failed.length > 0) {
      throw new Error(
        `${failed.join('; ')} (a production build ignores the local fakes: use a demo or e2e build)`,
      );
    }
    checked = seen.value.join('; ');
  });
  let synced = '';
  await step('syncing the sub-account', async () => {
    await page.getByRole('checkbox', { name: new RegExp(account.locationName) }).check();
    const syncNow = page.getByRole('button', { name: 'Sync now' });
    const enabled = await waitFor(() => syncNow.isEnabled(), Boolean, 10_000);
    if (!enabled.ok) throw new Error('"Sync now" stayed disabled');
    await syncNow.click();
    const state = page.locator(OPTIONS_SYNC_STATE).first();
    const seen = await waitFor(
      async () => ({
        state: await textOf(state),
        alert: (await page.locator(OPTIONS_SYNC_ALERT).count()) > 0,
      }),
      (v) => v.alert || /^Synced/.test(v.state),
      30_000,
    );
    if (seen.value.alert) throw new Error(await textOf(page.locator(OPTIONS_SYNC_ALERT).first()));
    if (!seen.ok) throw new Error(`no "Synced" within 30 s; it said "${seen.value.state}"`);
    synced = seen.value.state;
  });
  return { checked, synced };
}
