// Plays the tour (scripts/demo/tour.ts): starts the fakes, the fixture Conversations page and
// Chromium with the extension through the shared driver, runs each step, takes its screenshot.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import {
  AUDIT_CHIP,
  AUDIT_DETAILS,
  AUDIT_DETAILS_ROW,
  AUDIT_HOST,
  BADGE,
  collectPageErrors,
  connectByHand,
  DEMO_EXTENSION_DIR,
  type LaunchedExtension,
  launchWithExtension,
  openOptionsPage,
  pointAtFakes,
  ROOT,
  SEND_BUTTON,
  SEND_COUNTER,
  SENT_ROW,
  type SeededFakes,
  SWITCHER,
  SWITCHER_LIST,
  SWITCHER_OPTION,
  startSeededFakes,
  TOOLTIP,
  tidy,
  waitFor,
} from '../../test/driver';
import { type FixtureServer, serveFixtures } from '../../test/fixtures/serve';
import { fixtureData } from '../../test/page/load-fixture';
import {
  around,
  auditChips,
  badgeSays,
  boxOf,
  COMPOSER,
  composerInput,
  MESSAGES,
  openTooltip,
  pageStatus,
  SETTLE_TIMEOUT_MS,
} from './look';
import { report } from './report';
import { MAIN, type Part, type Shot, type Step, type Stop, TOUR } from './tour';

/** Where the screenshots go unless told otherwise (gitignored). */
export const DEMO_OUT_DIR = join(ROOT, 'artifacts/demo');

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
  /** The send made in the tour: the counter while typing and its row in place once delivered. */
  sent: { counter: string; row: string } | null;
  /** Console errors and uncaught exceptions on the Conversations page. */
  pageErrors: string[];
}

/** Everything a step may use or change while the tour runs. */
interface Session {
  extension: LaunchedExtension;
  fakes: SeededFakes;
  fixtures: FixtureServer;
  settings: Page;
  /** The Conversations tab, opened by the first conversation step. */
  page?: Page;
  /** The conversation open now. */
  seen?: BadgeSeen;
  /** What a crop can frame; the audit chip and its details once opened. */
  parts: Partial<Record<Part, Locator>>;
  result: DemoResult;
  log: (line: string) => void;
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
    sent: null,
    pageErrors: [],
  };
  let fakes: SeededFakes | undefined;
  let fixtures: FixtureServer | undefined;
  let extension: LaunchedExtension | undefined;
  try {
    fakes = await startSeededFakes();
    fixtures = await serveFixtures();
    extension = await launchWithExtension({
      extensionDir,
      headless: options.headless ?? true,
      // A session kept open ends on Ctrl+C through keepOpenUntil, so the cleanup below runs.
      handleSignals: options.keepOpenUntil === undefined,
    });
    // Demo builds read the API hosts from here; production builds ignore it.
    await pointAtFakes(extension, fakes.served);
    const { seeded } = fakes;
    log(`Sender Lens demo: ${seeded.locationName} (${seeded.locationId}) on local fakes`);
    log(`  fake Twilio and HighLevel APIs  ${fakes.served.url}`);
    log(`  Conversations page              ${fixtures.conversationUrl(MAIN.conversationId)}`);

    const settings = await openOptionsPage(extension);
    const session: Session = { extension, fakes, fixtures, settings, parts: {}, result, log };
    for (const step of TOUR) {
      await play(session, step);
      if (step.shot) {
        const path = join(
          outDir,
          `${String(result.screenshots.length + 1).padStart(2, '0')}-${step.shot.name}.png`,
        );
        await take(session, step.shot, step.caption, path);
        result.screenshots.push(path);
      }
    }
    result.tooltip = result.badges[0]?.why ?? [];

    report(log, result);

    if (options.keepOpenUntil) await stayOpen(session, options.keepOpenUntil);
    return result;
  } finally {
    await extension?.close().catch(() => {});
    await fixtures?.close().catch(() => {});
    await fakes?.close().catch(() => {});
  }
}

/** Leaves the browser on the main conversation until `until` settles or the window closes. */
async function stayOpen(session: Session, until: Promise<unknown>): Promise<void> {
  const { extension, fixtures, log } = session;
  const page = await open(session, MAIN);
  await page.bringToFront();
  log('');
  log('The browser stays open on the main conversation; press Ctrl+C to stop.');
  log(`  options page  chrome-extension://${extension.extensionId}/options.html`);
  const stops = TOUR.flatMap((step) => (step.act === 'open' ? [step.stop] : []));
  for (const id of new Set(stops.map((s) => s.conversationId))) {
    log(`  conversation  ${fixtures.conversationUrl(id)}`);
  }
  log(`  (the page now acts as ${MAIN.user}; the tour switched staff through the page's data)`);
  // Closing the browser window ends the session as Ctrl+C does.
  const windowClosed = new Promise<void>((resolve) =>
    extension.context.once('close', () => resolve()),
  );
  await Promise.race([until, windowClosed]);
}

/** Serves the page's data as the stop's member of staff sees it, opens the conversation, reads the badge. */
async function open(session: Session, stop: Stop): Promise<Page> {
  const { extension, fixtures, settings, result } = session;
  if (!session.page) {
    session.page = await extension.context.newPage();
    result.pageErrors = collectPageErrors(session.page);
    session.parts.composer = session.page.locator(COMPOSER);
    session.parts.tooltip = session.page.locator(TOOLTIP);
    session.parts.switcher = session.page.locator(SWITCHER);
  }
  const page = session.page;
  fixtures.setData({ ...fixtureData(), currentUserId: stop.userId });
  await page.goto(fixtures.conversationUrl(stop.conversationId));
  const said = await badgeSays(page, stop, () => pageStatus(extension, settings, page));
  session.seen = {
    conversationId: stop.conversationId,
    contact: stop.contact,
    user: stop.user,
    shows: stop.shows,
    said,
    why: [],
  };
  result.badges.push(session.seen);
  return page;
}

/** Does what one step of the tour says, recording what it read into the result. */
async function play(session: Session, step: Step): Promise<void> {
  const { result } = session;
  if (step.act === 'connect') {
    const { twilio, highlevel, seeded } = session.fakes;
    const said = await connectByHand(session.settings, {
      twilio,
      highlevel,
      locationId: seeded.locationId,
      locationName: seeded.locationName,
    });
    session.log(`  options page: credentials saved; ${said.checked}`);
    session.log(`  options page: ${seeded.locationName}: ${said.synced}`);
    return;
  }
  if (step.act === 'open') {
    await open(session, step.stop);
    return;
  }
  const { page, seen } = session;
  if (!page || !seen) throw new Error(`Demo: "${step.caption}" comes before any conversation`);
  const switcher = page.locator(SWITCHER);
  switch (step.act) {
    case 'look':
      return;
    case 'tooltip': {
      const lines = await openTooltip(page, seen.conversationId);
      seen.why = step.keep === 'all' ? lines : lines.filter((l) => !l.includes('Not applicable'));
      return;
    }
    case 'open switcher':
      await page.locator(BADGE).click();
      await switcher.waitFor({ state: 'visible', timeout: 5_000 });
      result.switcher = (await switcher.locator(SWITCHER_OPTION).allTextContents()).map(tidy);
      return;
    case 'scroll switcher to the end':
      await switcher.locator(SWITCHER_LIST).evaluate((list) => {
        list.scrollTop = list.scrollHeight;
      });
      return;
    case 'close switcher':
      await page.keyboard.press('Escape');
      await switcher.waitFor({ state: 'hidden', timeout: 5_000 });
      await page.locator(composerInput(seen.conversationId)).focus();
      return;
    case 'audit': {
      const audited = await waitFor(
        () => auditChips(page),
        (v) => v.rows > 0 && v.chips.length === v.rows && v.chips.every((t) => !/Checking/.test(t)),
        SETTLE_TIMEOUT_MS,
      );
      if (!audited.ok) {
        throw new Error(
          `The audit chips did not settle within ${SETTLE_TIMEOUT_MS / 1000} s: ` +
            `${audited.value.chips.length} chips on ${audited.value.rows} messages, ` +
            `saying ${JSON.stringify(audited.value.chips)}`,
        );
      }
      result.audit = audited.value.chips;
      return;
    }
    case 'send': {
      const input = page.locator(composerInput(seen.conversationId));
      await input.click();
      await input.fill(step.text);
      // The send action's views load when the composer is first focused.
      const { value: counter } = await waitFor(
        async () => tidy((await page.locator(SEND_COUNTER).textContent()) ?? ''),
        (text) => text.includes('segment'),
        SETTLE_TIMEOUT_MS,
      );
      await page.locator(SEND_BUTTON).click();
      const { twilio } = session.fakes;
      const created = await waitFor(
        async () => twilio.createdMessages().find((m) => m.body === step.text),
        (m) => m !== undefined,
        SETTLE_TIMEOUT_MS,
      );
      if (!created.value) throw new Error('Demo: the send did not reach the Twilio fake');
      // The carrier's answer, as the fake Twilio gives it; the outbox polls it up.
      twilio.setMessageStatus(created.value.sid, 'delivered');
      const row = page.locator(SENT_ROW, { hasText: step.text });
      const delivered = await waitFor(
        async () => (await row.locator('p').allTextContents()).map(tidy).join(' · '),
        (text) => text.includes('Delivered'),
        SETTLE_TIMEOUT_MS,
      );
      if (!delivered.ok) throw new Error(`Demo: the sent row said "${delivered.value}"`);
      result.sent = { counter, row: delivered.value };
      session.parts['sent row'] = row;
      return;
    }
    case 'audit details': {
      const hosts = page.locator(`${MESSAGES} ${AUDIT_HOST}`);
      const tops = await hosts.evaluateAll((all) => all.map((h) => h.getBoundingClientRect().top));
      const lowest = hosts.nth(tops.indexOf(Math.max(...tops)));
      await lowest.locator(AUDIT_CHIP).click();
      const details = lowest.locator(AUDIT_DETAILS);
      await details.waitFor({ state: 'visible', timeout: 5_000 });
      result.auditDetails = await details
        .locator(AUDIT_DETAILS_ROW)
        .evaluateAll((rows) =>
          rows.map(
            (r) => `${r.querySelector('dt')?.textContent}: ${r.querySelector('dd')?.textContent}`,
          ),
        );
      session.parts['audit chip'] = lowest;
      session.parts['audit details'] = details;
      return;
    }
  }
}

/** Takes one screenshot as framed in the tour. */
async function take(session: Session, shot: Shot, caption: string, path: string): Promise<void> {
  const { frame } = shot;
  const animations = shot.still ? 'disabled' : undefined;
  if ('page' in frame && frame.page === 'options') {
    await session.settings.screenshot({ path, fullPage: true });
    return;
  }
  const page = session.page;
  if (!page) throw new Error(`Demo: no Conversations page to take "${caption}" on`);
  if ('around' in frame) {
    const boxes = [];
    for (const part of frame.around) {
      const locator = session.parts[part];
      if (!locator) throw new Error(`Demo: no ${part} on screen for "${caption}"`);
      boxes.push(await boxOf(locator));
    }
    await page.screenshot({ path, animations, clip: around(page, boxes, frame.pad) });
  } else if (frame.page === 'messages') {
    await page.locator(MESSAGES).screenshot({ path });
  } else {
    await page.screenshot({ path, animations });
  }
}
