// Sending in real Chromium: the agent types in the fixture's composer, sees the segment count,
// sends through the fake Twilio (or through HighLevel), watches the row drawn in place turn
// delivered and finds the send in the options page's log; and a worker stopped mid-send
// settles the send exactly once when it wakes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BADGE,
  CLOSED_ROOTS_HASH,
  cdpOf,
  closedShadowRoot,
  collectPageErrors,
  connectAndSync,
  E2E_EXTENSION_DIR,
  extensionRequest,
  FIXTURE_NOW,
  type LaunchedExtension,
  launchWithExtension,
  OPTIONS_SEND_ENTRY,
  pointAtFakes,
  SEND_BUTTON,
  SEND_COUNTER,
  SENT_ROW,
  saveScreenshot,
  workerStopper,
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
import { type FixtureServer, serveFixtures } from '../fixtures/serve';
import { fixtureData } from '../page/load-fixture';

const ALICE_PHONE = '+16285550121';
const JANE_NUMBER = '+14155550102';

describe('sending from the conversations page in Chromium', () => {
  let twilio: FakeTwilio;
  let highlevel: FakeHighLevel;
  let seeded: SeededSubAccount;
  let fakes: ServedFakes;
  let fixtures: FixtureServer;
  let extension: LaunchedExtension;
  let settings: Page;
  let page: Page;
  let errors: string[];

  async function open(conversationId: string, user = 'usr-jane-doe') {
    fixtures.setData({ ...fixtureData(), currentUserId: user });
    await page.goto(fixtures.conversationUrl(conversationId));
    await expect
      .poll(() => page.locator(BADGE).textContent(), { timeout: 10_000 })
      .toContain('(415) 555-0102');
  }

  /** Types into HighLevel's composer as the agent would. */
  async function type(text: string) {
    const input = page.locator('#composer-input-conv-alice');
    await input.click();
    await input.fill(text);
  }

  const created = (body: string) => twilio.createdMessages().filter((m) => m.body === body);

  beforeAll(async () => {
    [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
    seeded = seedBelievableSubAccount(twilio, highlevel, { now: FIXTURE_NOW });
    fakes = await serveFakes({ twilio, highlevel });
    fixtures = await serveFixtures();
    extension = await launchWithExtension({ extensionDir: E2E_EXTENSION_DIR });
    await pointAtFakes(extension, fakes);
    settings = await extension.context.newPage();
    await settings.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await connectAndSync(settings, { twilio, highlevel, locationId: seeded.locationId }, 30_000);
    page = await extension.context.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await extension?.close();
    await fixtures?.close();
    await fakes?.close();
  });

  it('types, sees the segment count, sends through Twilio from the badge’s number, sees it delivered in place and in the log', async () => {
    await open('conv-alice');
    await type('See you at 3pm');
    await expect
      .poll(() => page.locator(SEND_COUNTER).textContent())
      .toBe('1 segment · GSM-7 · 14/1600');
    await type('Привет 😀');
    await expect
      .poll(() => page.locator(SEND_COUNTER).textContent())
      .toContain('UCS-2 because of “П” “р” “и” “в” “е” and 2 more');
    await type('See you at 3pm');
    await saveScreenshot(page, 'send-typed');
    await page.locator(SEND_BUTTON).click();
    await expect.poll(() => created('See you at 3pm').length, { timeout: 10_000 }).toBe(1);
    const [message] = created('See you at 3pm');
    expect(message).toMatchObject({ from: JANE_NUMBER, to: ALICE_PHONE });
    // The text left HighLevel's composer: its own send button cannot send it again.
    await expect.poll(() => page.locator('#composer-input-conv-alice').inputValue()).toBe('');
    const row = page.locator(SENT_ROW, { hasText: 'See you at 3pm' });
    await expect
      .poll(() => row.textContent(), { timeout: 10_000 })
      .toContain('Sent via Twilio from (415) 555-0102');
    twilio.setMessageStatus(message?.sid as string, 'delivered');
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Delivered');
    await saveScreenshot(page, 'send-delivered');

    await settings.reload();
    const entry = settings.locator(OPTIONS_SEND_ENTRY, { hasText: 'See you at 3pm' });
    await expect.poll(() => entry.textContent(), { timeout: 10_000 }).toContain('Delivered');
    expect(await entry.textContent()).toContain(message?.sid);
    await saveScreenshot(settings, 'send-log');
    expect(created('See you at 3pm')).toHaveLength(1);
    expect(errors).toEqual([]);
    expectNoViolations(twilio);
  });

  it('sends through HighLevel’s API when the sub-account is set to, from exactly the number shown', async () => {
    await extensionRequest(settings, 'send-settings-set', {
      routes: { [seeded.locationId]: 'highlevel' },
    });
    await open('conv-alice');
    await type('Booked you for Friday');
    await expect
      .poll(() => page.locator(SEND_BUTTON).textContent())
      .toContain('Send via HighLevel');
    await page.locator(SEND_BUTTON).click();
    const row = page.locator(SENT_ROW, { hasText: 'Booked you for Friday' });
    await expect
      .poll(() => row.textContent(), { timeout: 10_000 })
      .toContain('Sent via HighLevel from (415) 555-0102');
    const log = await extensionRequest<{
      entries: { body: string; providerId?: string; route: string }[];
    }>(settings, 'send-log', {});
    const entry = log.entries.find((e) => e.body === 'Booked you for Friday');
    expect(entry?.route).toBe('highlevel');
    const hlMessage = (await (
      await fetch(`${fakes.highlevelBase}/conversations/messages/${entry?.providerId}`, {
        headers: { Authorization: `Bearer ${highlevel.token}`, Version: '2021-04-15' },
      })
    ).json()) as Record<string, unknown>;
    expect(JSON.stringify(hlMessage)).toContain(JANE_NUMBER);
    expect(created('Booked you for Friday')).toHaveLength(0);
    expectNoViolations(highlevel);
    await extensionRequest(settings, 'send-settings-set', {
      routes: { [seeded.locationId]: 'twilio' },
    });
  });

  it('keeps sending out of the page’s reach: closed roots, and the page’s own keys and clicks send nothing', async () => {
    const plain = await extension.context.newPage();
    fixtures.setData({ ...fixtureData(), currentUserId: 'usr-jane-doe' });
    await plain.goto(`${fixtures.conversationUrl('conv-alice')}#${CLOSED_ROOTS_HASH}`);
    const cdp = await cdpOf(plain);
    const input = plain.locator('#composer-input-conv-alice');
    await input.click();
    await input.fill('Only the agent sends this');
    await expect
      .poll(async () => (await closedShadowRoot(cdp, 'sender-lens-send'))?.mode ?? null, {
        timeout: 15_000,
      })
      .toBe('closed');
    const requestsBefore = twilio.requests.length;
    const seen = await plain.evaluate(() => {
      const host = document.querySelector('sender-lens-send') as HTMLElement;
      const composer = document.querySelector('#composer-input-conv-alice') as HTMLElement;
      // What a hostile page script can do: synthetic keys and clicks on all it can reach.
      composer.dispatchEvent(
        new KeyboardEvent('keydown', {
          key: 'Enter',
          ctrlKey: true,
          shiftKey: true,
          bubbles: true,
        }),
      );
      host.click();
      host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      return { root: host.shadowRoot, text: host.textContent };
    });
    expect(seen).toEqual({ root: null, text: '' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(created('Only the agent sends this')).toHaveLength(0);
    expect(twilio.requests.length).toBe(requestsBefore);
    await plain.close();
  });

  it('settles a send exactly once when the worker was stopped mid-send', async () => {
    await open('conv-alice');
    const stopper = await workerStopper(extension, settings);
    // Twilio creates the message at once but holds its answer: the worker dies waiting.
    twilio.faults.slow(1, 5_000, { afterHandling: true });
    await type('Stopped mid-send');
    await page.locator(SEND_BUTTON).click();
    await expect.poll(() => created('Stopped mid-send').length, { timeout: 10_000 }).toBe(1);
    await stopper.stop();
    // Any event wakes a new worker, which settles what the old one left by a lookup.
    await page.reload();
    await expect
      .poll(() => page.locator(BADGE).textContent(), { timeout: 15_000 })
      .toContain('(415) 555-0102');
    const row = page.locator(SENT_ROW, { hasText: 'Stopped mid-send' });
    const [message] = created('Stopped mid-send');
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('Sent via Twilio');
    twilio.setMessageStatus(message?.sid as string, 'delivered');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Delivered');
    const log = await extensionRequest<{
      entries: { body: string; providerId?: string; attempts: number }[];
    }>(settings, 'send-log', {});
    const entry = log.entries.find((e) => e.body === 'Stopped mid-send');
    expect(entry).toMatchObject({ providerId: message?.sid, attempts: 1 });
    expect(created('Stopped mid-send')).toHaveLength(1);
  });
});
