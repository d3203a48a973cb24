// `npm run demo`: Sender Lens on a believable sub-account, without a HighLevel or Twilio account.
// Starts the contract fakes (seeded as "Sunrise Dental") and the fixture Conversations page on
// 127.0.0.1, loads the demo build into Debian's Chromium, connects it through the real options
// page, then opens conversations that show different rules and saves screenshots of the badge,
// the "why this number" tooltip, the switcher and the audit chips.
//
// Usage: tsx scripts/demo.ts [--headless | --headed] [--out DIR]   (npm run demo builds first)
// Without a display or with --headless it runs headless, prints what it saw and exits; with a
// display it leaves the browser open until Ctrl+C.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import {
  collectPageErrors,
  extensionRequest,
  type LaunchedExtension,
  launchWithExtension,
  pointAtFakes,
} from '../test/e2e/harness';
import {
  createFakeHighLevel,
  createFakeTwilio,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  type ServedFakes,
  seedBelievableSubAccount,
  serveFakes,
} from '../test/fakes';
import { type FixtureServer, serveFixtures } from '../test/fixtures/serve';
import { fixtureData } from '../test/page/load-fixture';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where `wxt build --mode demo` puts the Chrome build. */
export const DEMO_EXTENSION_DIR = join(ROOT, '.output/chrome-mv3-demo');

/** Where the screenshots go unless told otherwise (gitignored). */
export const DEMO_OUT_DIR = join(ROOT, 'artifacts/demo');

/** The fixture page's clock: the seeded histories line up with the page's messages. */
const FIXTURE_NOW = new Date('2026-05-26T16:00:00Z');
const BADGE = 'sender-lens-badge button.sl-badge';
const TOOLTIP = 'sender-lens-badge [role="tooltip"]';
const SWITCHER = 'sender-lens-badge .sl-switcher';
const BADGE_TIMEOUT_MS = 15_000;

/** One conversation the demo opens, as one member of staff, and what its badge should say. */
interface Stop {
  key: string;
  conversationId: string;
  contact: string;
  userId: string;
  user: string;
  /** Why this stop is in the tour. */
  shows: string;
  /** Parts the badge must show once the sender is worked out. */
  expect: string[];
}

const MAIN: Stop = {
  key: 'jane-own-number',
  conversationId: 'conv-alice',
  contact: 'Alice Morgan',
  userId: 'usr-jane-doe',
  user: 'Jane Doe',
  shows: 'her own number',
  expect: ['(415) 555-0102', 'Jane Doe', 'your number'],
};

const TOUR: Stop[] = [
  {
    key: 'maria-voice-only',
    conversationId: 'conv-alice',
    contact: 'Alice Morgan',
    userId: 'usr-maria-chen',
    user: 'Maria Chen',
    shows: 'her number is voice-only',
    expect: ['(415) 555-0101', 'Main Office', 'default'],
  },
  {
    key: 'vic-channel-number',
    conversationId: 'conv-ben',
    contact: 'Ben Carter',
    userId: 'usr-vic-lowe',
    user: 'Vic Lowe',
    shows: 'no number of his own',
    expect: ['(415) 555-0105', 'Hygiene', 'channel number'],
  },
  {
    key: 'vic-removed-channel',
    conversationId: 'conv-carla',
    contact: 'Carla Diaz',
    userId: 'usr-vic-lowe',
    user: 'Vic Lowe',
    shows: 'her channel number was released',
    expect: ['(415) 555-0101', 'default'],
  },
  {
    key: 'jane-opted-out',
    conversationId: 'conv-dev',
    contact: 'Dev Shah',
    userId: 'usr-jane-doe',
    user: 'Jane Doe',
    shows: 'he texted STOP',
    expect: ['Blocked', 'STOP'],
  },
];

export interface DemoOptions {
  /** Default true: no window. */
  headless?: boolean;
  /** Screenshots folder, emptied first; default artifacts/demo. */
  outDir?: string;
  /** The unpacked build to load; any e2e or demo build works. Default .output/chrome-mv3-demo. */
  extensionDir?: string;
  /** Where the report lines go; default stdout. */
  log?: (line: string) => void;
  /** When given, the browser and servers stay up until this settles (a headed session). */
  keepOpenUntil?: Promise<unknown>;
}

export interface BadgeSeen {
  conversationId: string;
  contact: string;
  user: string;
  shows: string;
  /** The badge's text, as the agent reads it. */
  said: string;
  /** The tooltip's lines that decided it (the main conversation: all of them). */
  why: string[];
}

export interface DemoResult {
  outDir: string;
  /** Absolute paths, in the order they were taken. */
  screenshots: string[];
  /** The main conversation first, then the tour. */
  badges: BadgeSeen[];
  /** The tooltip of the main conversation: summary, then one line per rule. */
  tooltip: string[];
  /** The switcher's options on the main conversation. */
  switcher: string[];
  /** The audit chips on the main conversation's messages. */
  audit: string[];
  /** The details of one chip: "Term: value" lines. */
  auditDetails: string[];
  /** Console errors and uncaught exceptions on the Conversations page. */
  pageErrors: string[];
}

const tidy = (text: string | null) => (text ?? '').replace(/▾/g, '').replace(/\s+/g, ' ').trim();

/** Polls `read` until `done` holds or the time is up; returns the last value read. */
async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<{ value: T; ok: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return { value, ok: true };
    if (Date.now() > deadline) return { value, ok: false };
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Box = { x: number; y: number; width: number; height: number };

/** The smallest rectangle around `boxes`, padded and kept inside the viewport. */
function around(page: Page, boxes: Box[], pad: number): Box {
  const view = page.viewportSize() ?? { width: 1280, height: 720 };
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.min(view.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const bottom = Math.min(view.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
  return { x, y, width: right - x, height: bottom - y };
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`Demo: ${locator} is not on screen`);
  return box;
}

/** Runs the demo once: fakes, fixture page, Chromium with the extension, the tour, screenshots. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const outDir = resolve(options.outDir ?? DEMO_OUT_DIR);
  const extensionDir = resolve(options.extensionDir ?? DEMO_EXTENSION_DIR);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(
      `No extension build in ${extensionDir}: run \`npm run demo\` (it builds one) or ` +
        '`npx wxt build --mode demo` first',
    );
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  const result: DemoResult = {
    outDir,
    screenshots: [],
    badges: [],
    tooltip: [],
    switcher: [],
    audit: [],
    auditDetails: [],
    pageErrors: [],
  };
  const shoot = async (name: string, take: (path: string) => Promise<unknown>) => {
    const path = join(outDir, `${name}.png`);
    await take(path);
    result.screenshots.push(path);
  };

  let fakes: ServedFakes | undefined;
  let fixtures: FixtureServer | undefined;
  let extension: LaunchedExtension | undefined;
  try {
    const [twilio, highlevel]: [FakeTwilio, FakeHighLevel] = await Promise.all([
      createFakeTwilio(),
      createFakeHighLevel(),
    ]);
    const seeded: SeededSubAccount = seedBelievableSubAccount(twilio, highlevel, {
      now: FIXTURE_NOW,
    });
    fakes = await serveFakes({ twilio, highlevel });
    const served = await serveFixtures();
    fixtures = served;
    extension = await launchWithExtension({
      extensionDir,
      headless: options.headless ?? true,
      // A session kept open ends on Ctrl+C through keepOpenUntil, so the cleanup below runs.
      handleSignals: options.keepOpenUntil === undefined,
    });
    // Demo builds read the API hosts from here; production builds ignore it.
    await pointAtFakes(extension, fakes);
    log(`Sender Lens demo: ${seeded.locationName} (${seeded.locationId}) on local fakes`);
    log(`  fake Twilio and HighLevel APIs  ${fakes.url}`);
    log(`  Conversations page              ${served.conversationUrl(MAIN.conversationId)}`);

    // Connect the way an admin would: the options page, typed into and clicked.
    const settings = await extension.context.newPage();
    await settings.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await connectThroughOptionsPage(settings, twilio, highlevel, seeded, log);
    await shoot('01-options-synced', (path) => settings.screenshot({ path, fullPage: true }));

    const page = await extension.context.newPage();
    result.pageErrors = collectPageErrors(page);
    const { serviceWorker } = extension;

    const open = async (stop: Stop) => {
      served.setData({ ...fixtureData(), currentUserId: stop.userId });
      await page.goto(served.conversationUrl(stop.conversationId));
      const said = await badgeSays(page, stop, async () => {
        const tabs = await serviceWorker.evaluate(async () => {
          const scope = globalThis as unknown as {
            chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } };
          };
          return (await scope.chrome.tabs.query({})).map((t) => ({ id: t.id, url: t.url }));
        });
        const tabId = tabs.find((t) => t.url === page.url())?.id;
        if (tabId === undefined) return 'the tab was not found';
        const status = await extensionRequest<{ status: string; missing?: string[] } | null>(
          settings,
          'page-status-get',
          { tabId },
        );
        if (status === null) {
          const injected = await page.evaluate(
            () => document.documentElement.dataset.senderLens === 'ready',
          );
          return injected
            ? 'the content script ran but reported no page status'
            : 'the content script never ran on the page (is this a demo or e2e build?)';
        }
        const missing = status.missing?.length ? `, missing: ${status.missing.join(', ')}` : '';
        return `page status "${status.status}"${missing}`;
      });
      const seen: BadgeSeen = {
        conversationId: stop.conversationId,
        contact: stop.contact,
        user: stop.user,
        shows: stop.shows,
        said,
        why: [],
      };
      result.badges.push(seen);
      return seen;
    };

    // The main conversation: Jane writing to Alice, from Jane's own number.
    const main = await open(MAIN);
    await shoot('02-conversation', (path) => page.screenshot({ path, animations: 'disabled' }));
    const composer = page.locator('#composer-deferred-footer');
    await shoot('03-badge', async (path) =>
      page.screenshot({ path, clip: around(page, [await boxOf(composer)], 8) }),
    );

    const tooltip = await openTooltip(page, MAIN.conversationId);
    main.why = tooltip.lines;
    result.tooltip = tooltip.lines;
    await shoot('04-tooltip', async (path) =>
      page.screenshot({
        path,
        animations: 'disabled',
        clip: around(page, [await boxOf(tooltip.locator), await boxOf(composer)], 12),
      }),
    );

    // A click on the badge opens the switcher (the tooltip gives way).
    await page.locator(BADGE).click();
    const switcher = page.locator(SWITCHER);
    await switcher.waitFor({ state: 'visible', timeout: 5_000 });
    result.switcher = (await switcher.locator('[role="option"]').allTextContents()).map(tidy);
    const switcherShot = async (path: string) =>
      page.screenshot({
        path,
        animations: 'disabled',
        clip: around(page, [await boxOf(switcher), await boxOf(composer)], 12),
      });
    await shoot('05-switcher', switcherShot);
    // The voice-only numbers sit at the end, greyed out with the reason.
    await switcher.locator('.sl-list').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    await shoot('06-switcher-voice-only', switcherShot);
    await page.keyboard.press('Escape');
    await switcher.waitFor({ state: 'hidden', timeout: 5_000 });
    await page.locator(`#composer-input-${MAIN.conversationId}`).focus();

    // Every message row gets the number Twilio says it really used.
    const audited = await waitFor(
      () => auditChips(page),
      (v) => v.rows > 0 && v.chips.length === v.rows && v.chips.every((t) => !/Checking/.test(t)),
      BADGE_TIMEOUT_MS,
    );
    if (!audited.ok) {
      throw new Error(
        `The audit chips did not settle within ${BADGE_TIMEOUT_MS / 1000} s: ` +
          `${audited.value.chips.length} chips on ${audited.value.rows} messages, ` +
          `saying ${JSON.stringify(audited.value.chips)}`,
      );
    }
    result.audit = audited.value.chips;
    const scroller = page.locator('#conversation-panel');
    await shoot('07-audit', (path) => scroller.screenshot({ path }));

    // Details open upwards, so take the lowest chip on screen: its details have room above it.
    const hosts = page.locator('#conversation-panel sender-lens-audit');
    const tops = await hosts.evaluateAll((all) => all.map((h) => h.getBoundingClientRect().top));
    const lowest = hosts.nth(tops.indexOf(Math.max(...tops)));
    await lowest.locator('button.sl-chip').click();
    const details = lowest.locator('.sl-audit-details');
    await details.waitFor({ state: 'visible', timeout: 5_000 });
    result.auditDetails = await details
      .locator('.sl-row')
      .evaluateAll((rows) =>
        rows.map(
          (r) => `${r.querySelector('dt')?.textContent}: ${r.querySelector('dd')?.textContent}`,
        ),
      );
    await shoot('08-audit-details', async (path) =>
      page.screenshot({
        path,
        clip: around(page, [await boxOf(details), await boxOf(lowest)], 16),
      }),
    );

    // The rest of the tour: one conversation per rule, badge and tooltip.
    for (const [i, stop] of TOUR.entries()) {
      const seen = await open(stop);
      const why = await openTooltip(page, stop.conversationId);
      seen.why = why.lines.filter((line) => !line.includes('Not applicable'));
      await shoot(`${String(i + 9).padStart(2, '0')}-tour-${stop.key}`, async (path) =>
        page.screenshot({
          path,
          animations: 'disabled',
          clip: around(page, [await boxOf(why.locator), await boxOf(composer)], 12),
        }),
      );
    }

    report(log, result);

    if (options.keepOpenUntil) {
      await open(MAIN);
      await page.bringToFront();
      log('');
      log('The browser stays open on the main conversation; press Ctrl+C to stop.');
      log(`  options page  chrome-extension://${extension.extensionId}/options.html`);
      for (const id of new Set([MAIN, ...TOUR].map((s) => s.conversationId))) {
        log(`  conversation  ${served.conversationUrl(id)}`);
      }
      log(`  (the page now acts as ${MAIN.user}; the tour switched staff through the page's data)`);
      // Closing the browser window ends the session as Ctrl+C does.
      const windowClosed = new Promise<void>((resolve) =>
        extension?.context.once('close', () => resolve()),
      );
      await Promise.race([options.keepOpenUntil, windowClosed]);
    }
    return result;
  } finally {
    await extension?.close().catch(() => {});
    await fixtures?.close().catch(() => {});
    await fakes?.close().catch(() => {});
  }
}

/** Tabs from the message box onto the badge, which opens "why this number"; returns its lines. */
async function openTooltip(page: Page, conversationId: string) {
  await page.locator(`#composer-input-${conversationId}`).focus();
  await page.keyboard.press('Tab');
  const locator = page.locator(TOOLTIP);
  await locator.waitFor({ state: 'visible', timeout: 5_000 });
  const paragraphs = (await locator.locator(':scope > p').allTextContents()).map(tidy);
  const steps = (await locator.locator('.sl-trace li').allTextContents()).map(tidy);
  // Title first and freshness last are the frame; the rest is the explanation.
  const lines = [...paragraphs.slice(1, 2), ...steps, ...paragraphs.slice(2, -1)];
  return { locator, lines };
}

/** The audit chips' text (inside their shadow roots) and how many message rows there are. */
function auditChips(page: Page): Promise<{ rows: number; chips: string[] }> {
  return page.evaluate(() => {
    const panel = document.getElementById('conversation-panel');
    const rows = panel?.querySelectorAll('.message-item[data-message-id]').length ?? 0;
    const chips = [...(panel?.querySelectorAll('sender-lens-audit') ?? [])].map((host) =>
      (host.shadowRoot?.querySelector('button')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    );
    return { rows, chips };
  });
}

/** Waits for the badge to show what `stop` expects; fails naming what it showed instead. */
async function badgeSays(page: Page, stop: Stop, pageStatus: () => Promise<string>) {
  const badge = page.locator(BADGE);
  const read = async () => ((await badge.count()) > 0 ? tidy(await badge.textContent()) : null);
  const seen = await waitFor(
    read,
    (text) => text !== null && stop.expect.every((part) => text.includes(part)),
    BADGE_TIMEOUT_MS,
  );
  if (seen.ok) return seen.value as string;
  const where = `${stop.contact}'s conversation as ${stop.user}`;
  if (seen.value === null) {
    throw new Error(
      `The badge never appeared on ${where} within ${BADGE_TIMEOUT_MS / 1000} s: ${await pageStatus()}`,
    );
  }
  throw new Error(
    `On ${where} the badge said "${seen.value}", but the demo expected it to show ` +
      `${stop.expect.map((p) => `"${p}"`).join(', ')}`,
  );
}

async function connectThroughOptionsPage(
  page: Page,
  twilio: FakeTwilio,
  highlevel: FakeHighLevel,
  seeded: SeededSubAccount,
  log: (line: string) => void,
) {
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

  await page.getByRole('heading', { name: 'Twilio' }).waitFor({ timeout: 10_000 });
  await step('saving the Twilio credentials', async () => {
    await page.getByLabel('Account SID').fill(twilio.accountSid);
    // The mode toggle's radio is also named Auth Token; the field is the password input.
    await page
      .getByLabel('Auth Token', { exact: true })
      .and(page.locator('input[type="password"]'))
      .fill(twilio.authToken);
    await page.getByRole('button', { name: 'Save Twilio credentials' }).click();
    await until(page.locator('.saved').first(), /^Saved: AC…/, 10_000);
  });
  await step('saving the HighLevel token', async () => {
    await page.getByLabel('Location ID').fill(seeded.locationId);
    await page.getByLabel('Private Integration token').fill(highlevel.token);
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
    await page.getByRole('checkbox', { name: new RegExp(seeded.locationName) }).check();
    const syncNow = page.getByRole('button', { name: 'Sync now' });
    const enabled = await waitFor(() => syncNow.isEnabled(), Boolean, 10_000);
    if (!enabled.ok) throw new Error('"Sync now" stayed disabled');
    await syncNow.click();
    const state = page.locator('.sync-state').first();
    const seen = await waitFor(
      async () => ({
        state: await textOf(state),
        alert: (await page.locator('.sync-row [role="alert"]').count()) > 0,
      }),
      (v) => v.alert || /^Synced/.test(v.state),
      30_000,
    );
    if (seen.value.alert) {
      throw new Error(await textOf(page.locator('.sync-row [role="alert"]').first()));
    }
    if (!seen.ok) throw new Error(`no "Synced" within 30 s; it said "${seen.value.state}"`);
    synced = seen.value.state;
  });
  log(`  options page: credentials saved; ${checked}`);
  log(`  options page: ${seeded.locationName}: ${synced}`);
}

function report(log: (line: string) => void, result: DemoResult) {
  const [main, ...tour] = result.badges;
  log('');
  if (main) {
    log(`${main.contact}, as ${main.user} (${main.shows}); the badge said:`);
    log(`    ${main.said}`);
    log('  Why this number:');
    for (const line of main.why) log(`    ${line}`);
  }
  for (const seen of tour) {
    log(`${seen.contact}, as ${seen.user} (${seen.shows}); the badge said:`);
    log(`    ${seen.said}`);
    for (const line of seen.why) log(`    ${line}`);
  }
  log('');
  const disabled = result.switcher.filter((o) => /cannot send SMS/.test(o));
  log(
    `Switcher: ${result.switcher.length} numbers, ${disabled.length} greyed out ` +
      `(${disabled.map((o) => o.replace(/ Voice-only.*$/, '')).join('; ')})`,
  );
  log(`Audit chips on ${main?.contact}'s messages:`);
  for (const chip of result.audit) log(`    ${chip}`);
  log(`  one chip's details: ${result.auditDetails.join(' · ')}`);
  if (result.pageErrors.length > 0) {
    log('');
    log(`Page errors (${result.pageErrors.length}):`);
    for (const error of result.pageErrors) log(`  ${error}`);
  }
  log('');
  const shown = relative(process.cwd(), result.outDir);
  log(`Screenshots in ${shown === '' || shown.startsWith('..') ? result.outDir : shown}/:`);
  for (const path of result.screenshots) log(`  ${relative(result.outDir, path)}`);
}

/** Finds Debian's Chromium, installing it when running as root with apt-get; null if it cannot. */
function ensureChromium(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH is ${path}, which does not exist.`);
    return null;
  }
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  if (!root || !apt) {
    console.error(
      "The demo needs Debian's Chromium at /usr/bin/chromium. Install it with:\n\n" +
        '  sudo apt-get install -y chromium\n\n' +
        'or point CHROMIUM_PATH at a Chromium binary.',
    );
    return null;
  }
  console.error("Chromium is missing; installing Debian's chromium (apt-get install -y chromium)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    // apt's chatter goes to stderr so stdout stays the demo's report.
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 2, 2], env });
    if (run.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${run.status}).`);
      return null;
    }
  }
  return existsSync(path) ? path : null;
}

async function main(argv: string[]): Promise<number> {
  let outDir: string | undefined;
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--out' && argv[i + 1]) outDir = argv[++i];
    else if (arg === '--headless' || arg === '--headed') flags.add(arg);
    else {
      console.error(`Unknown argument "${arg}".`);
      console.error('Usage: tsx scripts/demo.ts [--headless | --headed] [--out DIR]');
      return 2;
    }
  }
  if (!ensureChromium()) return 1;
  const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (flags.has('--headed') && !display) {
    console.error(
      '--headed needs a display (DISPLAY or WAYLAND_DISPLAY); run without it for headless.',
    );
    return 2;
  }
  const headless = flags.has('--headless') || !display;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  if (!headless) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
  }
  const started = Date.now();
  try {
    await runDemo({ headless, outDir, keepOpenUntil: headless ? undefined : stopped });
  } catch (error) {
    console.error(`\nDemo failed: ${(error as Error).message}`);
    return 1;
  }
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
