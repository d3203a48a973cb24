// The conversations content script in real Chromium: the fixture pages of HighLevel's
// Conversations page served on 127.0.0.1, the contract fakes seeded with the same
// sub-account, and the extension's store filled by a real sync through its own requests.
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELECTORS } from '../../lib/page/selectors';
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
  pointAtFakes,
  saveScreenshot,
} from '../driver';
import {
  createFakeHighLevel,
  createFakeTwilio,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  type ServedFakes,
  seedBelievableSubAccount,
  serveFakes,
} from '../fakes';
import { type FixtureName, type FixtureServer, serveFixtures } from '../fixtures/serve';
import { fixtureData } from '../page/load-fixture';

/** The id of the tab showing `urlPart`, as the background sees it. */
async function tabIdOf(worker: Worker, urlPart: string): Promise<number> {
  return worker.evaluate(async (part) => {
    const scope = globalThis as unknown as {
      chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } };
    };
    const tabs = await scope.chrome.tabs.query({});
    const found = tabs.find((t) => t.url?.includes(part));
    if (found?.id === undefined) throw new Error(`no tab at ${part}`);
    return found.id;
  }, urlPart);
}

describe('the conversations page in Chromium', () => {
  let twilio: FakeTwilio;
  let highlevel: FakeHighLevel;
  let seeded: SeededSubAccount;
  let fakes: ServedFakes;
  let fixtures: FixtureServer;
  let extension: LaunchedExtension;
  let settings: Page;
  let page: Page;
  let errors: string[];

  /** Serves the fixture data as `user` sees it and opens a conversation. */
  async function open(conversationId: string, user = 'usr-jane-doe', fixture?: FixtureName) {
    fixtures.setData({ ...fixtureData(), currentUserId: user });
    await page.goto(fixtures.conversationUrl(conversationId, fixture ? { fixture } : {}));
  }

  async function badgeSays(...parts: string[]) {
    for (const part of parts) {
      await expect
        .poll(() => page.locator(BADGE).textContent(), { timeout: 10_000 })
        .toContain(part);
    }
  }

  beforeAll(async () => {
    [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
    seeded = seedBelievableSubAccount(twilio, highlevel, { now: FIXTURE_NOW });
    fakes = await serveFakes({ twilio, highlevel });
    fixtures = await serveFixtures();
    extension = await launchWithExtension({ extensionDir: E2E_EXTENSION_DIR });
    await pointAtFakes(extension, fakes);
    // A real sync, through the same requests the options page sends.
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

  it('shows the sender and the rule in a word, in each rule situation', async () => {
    // Jane's own number.
    await open('conv-alice', 'usr-jane-doe');
    await badgeSays('(415) 555-0102', 'Jane Doe', 'your number');
    await saveScreenshot(page, 'page-user-number');

    // Maria's assigned number is voice-only: the default outbound number.
    await open('conv-alice', 'usr-maria-chen');
    await badgeSays('(415) 555-0101', 'Main Office', 'default');

    // Vic has no number: Ben's channel number.
    await open('conv-ben', 'usr-vic-lowe');
    await badgeSays('(415) 555-0105', 'Hygiene', 'channel number');

    // Carla's channel number was released: the default, and the tooltip says why.
    await open('conv-carla', 'usr-vic-lowe');
    await badgeSays('(415) 555-0101', 'default');
    expect(await page.locator('sender-lens-badge [role="tooltip"]').textContent()).toContain(
      'was removed from the sub-account',
    );

    // Dev texted STOP: blocked, with the reason.
    await open('conv-dev', 'usr-jane-doe');
    await badgeSays('Blocked', 'STOP');
    expect(await page.locator('sender-lens-badge [role="tooltip"]').textContent()).toContain(
      'The rules would have used (415) 555-0102',
    );
    await saveScreenshot(page, 'page-opted-out');
    expect(errors).toEqual([]);
  });

  it('switches the number on a page without a recognisable From picker, leaving the channel picker alone', async () => {
    await open('conv-gina', 'usr-raj-patel');
    await badgeSays('(415) 555-0103', 'your number');
    const note = page.locator('sender-lens-badge .sl-note');
    await expect.poll(() => note.textContent()).toBe("HighLevel's number picker not found");
    await page.locator(BADGE).click();
    const option = page.locator('sender-lens-badge [role="option"]', {
      hasText: 'Recall Reminders',
    });
    await option.click();
    await badgeSays('(415) 555-0107', 'picked');
    await saveScreenshot(page, 'page-picked');
    // #conv-provider-select-trigger is the channel picker (PAGE.md, 2026-12-02): never opened.
    const state = () =>
      page.evaluate(() =>
        (
          window as unknown as {
            __fixture: { state(): { selectedNumber: string; menuOpen: string | null } };
          }
        ).__fixture.state(),
      );
    expect(await state()).toMatchObject({ selectedNumber: '+14155550101', menuOpen: null });
    expect(await note.textContent()).toBe("HighLevel's number picker not found");

    await page.reload();
    await badgeSays('(415) 555-0107', 'picked');
    await page.waitForTimeout(500);
    expect(await state()).toMatchObject({ selectedNumber: '+14155550101', menuOpen: null });
    expect(errors).toEqual([]);
  });

  it('opens the tooltip from the keyboard and closes it with Escape; the background can open the switcher', async () => {
    await open('conv-alice', 'usr-jane-doe');
    await badgeSays('your number');
    const tooltip = page.locator('sender-lens-badge [role="tooltip"]');
    await page.locator('#composer-input-conv-alice').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toContain('Why this number');
    await saveScreenshot(page, 'page-tooltip');
    await page.keyboard.press('Escape');
    await expect.poll(() => tooltip.isVisible()).toBe(false);

    // What the Alt+Shift+7 command does once forwarded: the switcher opens with focus in it.
    const tabId = await tabIdOf(extension.serviceWorker, '/conv-alice');
    await extension.serviceWorker.evaluate(async (id) => {
      const scope = globalThis as unknown as {
        chrome: { tabs: { sendMessage(tabId: number, message: unknown): Promise<unknown> } };
      };
      await scope.chrome.tabs.sendMessage(id, { type: 'open-switcher' });
    }, tabId);
    const listbox = page.locator('sender-lens-badge [role="listbox"]');
    await expect.poll(() => listbox.isVisible()).toBe(true);
    expect(await page.locator('sender-lens-badge [role="option"]').count()).toBe(12);
    expect(
      await page
        .locator('sender-lens-badge [role="option"][aria-disabled="true"]')
        .allTextContents(),
    ).toEqual(expect.arrayContaining([expect.stringContaining('Voice-only: cannot send SMS')]));
    await saveScreenshot(page, 'page-switcher');
    await page.keyboard.press('Escape');
    await expect.poll(() => listbox.isVisible()).toBe(false);
  });

  it('moves between conversations without a reload and shows the new contact’s sender', async () => {
    await open('conv-alice', 'usr-vic-lowe');
    await badgeSays('(415) 555-0102', 'channel number');
    await page.locator('[data-fixture-conversation="conv-ben"]').click();
    await badgeSays('(415) 555-0105', 'channel number');
    expect(await page.locator('sender-lens-badge').count()).toBe(1);
    await page.locator('[data-fixture-conversation="conv-carla"]').click();
    await badgeSays('(415) 555-0101', 'default');
    await page.goBack();
    await badgeSays('(415) 555-0105');
    expect(errors).toEqual([]);
  });

  it('audits every rendered row of a 500-message conversation, also after scrolling recycles rows', async () => {
    // Hank's 500 messages come from the fixture's generator; read them from the page (on the
    // unknown layout, where the extension draws nothing) and give both fakes the same history.
    await open('conv-hank', 'usr-jane-doe', 'unknown');
    const messages = await page.evaluate(async () => {
      interface Fixture {
        state(): { total: number };
        itemAt(
          i: number,
        ): { kind: string; id?: string; direction?: string; body?: string; at?: string } | null;
      }
      // The fixture's hooks arrive once its data has loaded: wait for them.
      const fixture = await (window as unknown as { __fixture: { ready: Promise<Fixture> } })
        .__fixture.ready;
      const out = [];
      for (let i = 0; i < fixture.state().total; i++) {
        const item = fixture.itemAt(i);
        if (item?.kind === 'message') out.push(item);
      }
      return out as { id: string; direction: 'inbound' | 'outbound'; body: string; at: string }[];
    });
    expect(messages).toHaveLength(500);
    const hank = seeded.contactPhones.hank as string;
    const ours = seeded.numbers.main.phone;
    highlevel.addConversation(seeded.locationId, {
      id: 'conv-hank',
      contactId: seeded.contacts.hank,
    });
    for (const m of messages) {
      const out = m.direction === 'outbound';
      const sid = twilio.addMessage({
        from: out ? ours : hank,
        to: out ? hank : ours,
        body: m.body,
        direction: out ? 'outbound-api' : 'inbound',
        dateSent: new Date(m.at),
      });
      highlevel.addConversationMessage('conv-hank', {
        id: m.id,
        direction: m.direction,
        body: m.body,
        dateAdded: new Date(m.at),
        altId: sid,
      });
    }

    await open('conv-hank', 'usr-jane-doe');
    const rows = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('#conversation-panel [data-index]')].flatMap((row) => {
          const item = row.querySelector<HTMLElement>('.message-item[data-message-id]');
          if (!item) return [];
          const chip = item.querySelector<HTMLElement>('sender-lens-audit');
          return [
            {
              id: item.dataset.messageId,
              chip: chip?.dataset.messageId ?? null,
              text: chip?.shadowRoot?.textContent ?? '',
            },
          ];
        }),
      );
    const everyRowAudited = async () => {
      const list = await rows();
      return (
        list.length > 20 &&
        list.every(
          (r) =>
            r.chip === r.id && r.text.includes('(415) 555-0101') && !r.text.includes('Checking'),
        )
      );
    };
    await expect.poll(everyRowAudited, { timeout: 15_000 }).toBe(true);
    await saveScreenshot(page, 'page-audit-bottom');

    for (const top of [20_000, 8_000, 0]) {
      await page.evaluate((y) => {
        const scroller = document.getElementById('conversation-panel') as HTMLElement;
        scroller.scrollTop = y;
      }, top);
      await expect.poll(everyRowAudited, { timeout: 15_000 }).toBe(true);
    }
    await saveScreenshot(page, 'page-audit-top');

    // Details open from the chip: SID, status, price.
    await page.locator('sender-lens-audit button.sl-chip').first().click();
    const details = page.locator('sender-lens-audit .sl-audit-details').first();
    expect(await details.textContent()).toMatch(/Twilio SID\s*SM[0-9a-f]{32}/);
    await saveScreenshot(page, 'page-audit-details');
    expect(errors).toEqual([]);
  });

  it('gives every row its own chip in every frame while a list that repaints inside animation frames scrolls', async () => {
    await open('conv-hank', 'usr-jane-doe', 'dec-frames');
    const chipsMatch = () =>
      page.evaluate(() => {
        const items = [
          ...document.querySelectorAll<HTMLElement>('#conversation-panel .message-item'),
        ];
        return (
          items.length > 20 &&
          items.every(
            (item) =>
              item.querySelector<HTMLElement>('sender-lens-audit')?.dataset.messageId ===
              item.dataset.messageId,
          )
        );
      });
    await expect.poll(chipsMatch, { timeout: 15_000 }).toBe(true);

    // In the page: scroll a few rows up in every frame, as a wheel would, and look at every
    // row in the frame callback that runs last before each paint.
    const seen = await page.evaluate(async () => {
      const scroller = document.getElementById('conversation-panel') as HTMLElement;
      const problems: string[] = [];
      const last = new Map<Element, string>();
      let sampled = 0;
      let recycled = 0;
      const sample = () => {
        sampled++;
        for (const row of scroller.querySelectorAll<HTMLElement>('[data-index]')) {
          const item = row.querySelector<HTMLElement>('.message-item[data-message-id]');
          if (!item) continue;
          const id = item.dataset.messageId as string;
          if (last.has(row) && last.get(row) !== id) recycled++;
          last.set(row, id);
          const chip = item.querySelector<HTMLElement>('sender-lens-audit');
          const direction = item.querySelector('.message-container.ml-auto')
            ? 'outbound'
            : 'inbound';
          if (chip?.dataset.messageId !== id || chip.dataset.direction !== direction) {
            problems.push(
              `frame ${sampled}, row ${row.dataset.index}: ${id} (${direction}) shows ` +
                `${chip?.dataset.messageId ?? 'no chip'} (${chip?.dataset.direction})`,
            );
          }
        }
      };
      // The app's scroll listener asks for its repaint frame first; this one asks after it,
      // so it runs after the repaint and after the microtasks that follow it.
      scroller.addEventListener('scroll', () => requestAnimationFrame(sample));
      await new Promise<void>((resolve) => {
        let step = 0;
        const tick = () => {
          if (step === 120) {
            resolve();
            return;
          }
          scroller.scrollTop -= 64 * (1 + (step % 4));
          step++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const fixture = (window as unknown as { __fixture: { state(): { frames: number } } })
        .__fixture;
      return { sampled, recycled, repaints: fixture.state().frames, problems };
    });
    expect(seen.problems.slice(0, 5)).toEqual([]);
    expect(seen.sampled).toBeGreaterThan(100);
    // Rows were handed to other messages from one frame to the next, by repaints in frames.
    expect(seen.recycled).toBeGreaterThan(100);
    expect(seen.repaints).toBeGreaterThan(100);
    await expect.poll(chipsMatch, { timeout: 15_000 }).toBe(true);
    expect(errors).toEqual([]);
  });

  it('parses every selector of lib/page, which happy-dom alone cannot show', async () => {
    await open('conv-alice', 'usr-jane-doe', 'dec');
    const all = Object.values(SELECTORS).flat();
    const invalid = await page.evaluate(
      (selectors) =>
        selectors.filter((selector) => {
          try {
            document.querySelector(selector);
            return false;
          } catch {
            return true;
          }
        }),
      // The unescaped bracket, which happy-dom accepts, shows that the check can fail.
      [...all, '.chat-message .text-[14px]'],
    );
    expect(invalid).toEqual(['.chat-message .text-[14px]']);
    // And the escaped one finds the text on the 2026-12-02 page.
    expect(await page.locator('.chat-message .text-\\[14px\\]').count()).toBeGreaterThan(0);
  });

  it('reads the contact from the active conversation card on a page without a contact link', async () => {
    await open('conv-alice', 'usr-jane-doe', 'dec-no-link');
    await badgeSays('(415) 555-0102', 'Jane Doe', 'your number');
    expect(await page.locator('a[aria-label="View contact details"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('draws nothing on a page layout it does not know, and the popup can say why', async () => {
    await open('conv-alice', 'usr-jane-doe', 'unknown');
    const tabId = await tabIdOf(extension.serviceWorker, 'fixture=unknown');
    const status = () =>
      extensionRequest<{ status: string; missing?: string[] } | null>(settings, 'page-status-get', {
        tabId,
      });
    await expect
      .poll(async () => (await status())?.status, { timeout: 15_000 })
      .toBe('unrecognised');
    expect((await status())?.missing).toEqual(
      expect.arrayContaining(['messageScroller', 'sendButton', 'contactLink']),
    );
    expect(await page.locator('sender-lens-badge').count()).toBe(0);
    expect(await page.locator('sender-lens-audit').count()).toBe(0);
    await saveScreenshot(page, 'page-unknown-layout');

    // The same tab on a page it knows says so.
    await open('conv-alice', 'usr-jane-doe');
    await badgeSays('your number');
    const known = await tabIdOf(extension.serviceWorker, '/conv-alice');
    await expect
      .poll(
        async () =>
          (
            await extensionRequest<{ status: string } | null>(settings, 'page-status-get', {
              tabId: known,
            })
          )?.status,
      )
      .toBe('ok');
    expect(errors).toEqual([]);
  });

  it('keeps the badge out of the page’s reach: closed roots, and a page script’s clicks pick nothing', async () => {
    // A page as production draws it: the driver's request for open roots is turned off.
    const plain = await extension.context.newPage();
    const plainErrors = collectPageErrors(plain);
    fixtures.setData({ ...fixtureData(), currentUserId: 'usr-jane-doe' });
    await plain.goto(`${fixtures.conversationUrl('conv-alice')}#${CLOSED_ROOTS_HASH}`);
    const cdp = await cdpOf(plain);
    const badge = async () => {
      const root = await closedShadowRoot(cdp, 'sender-lens-badge');
      if (!root) throw new Error('no badge yet');
      return root;
    };
    const badgeText = async () =>
      (await badge().catch(() => null))?.call<string>(
        'function () { return this.querySelector("button.sl-badge")?.textContent ?? ""; }',
      );
    await expect.poll(badgeText, { timeout: 15_000 }).toContain('your number');
    expect((await badge()).mode).toBe('closed');
    await expect
      .poll(() => plain.locator('sender-lens-audit').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);

    // The page's own script finds the hosts, but no root and no text, and its clicks and
    // keys on everything it reaches do nothing.
    const seen = await plain.evaluate(() => {
      const hosts = [
        ...document.querySelectorAll<HTMLElement>('sender-lens-badge, sender-lens-audit'),
      ];
      for (const host of hosts) {
        host.click();
        host.dispatchEvent(
          new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }),
        );
      }
      return {
        hosts: hosts.length,
        roots: hosts.filter((host) => host.shadowRoot !== null).length,
        text: hosts.map((host) => host.textContent).join(''),
      };
    });
    expect(seen).toEqual({ hosts: expect.any(Number), roots: 0, text: '' });
    expect(seen.hosts).toBeGreaterThan(1);

    // Even a script holding the root (handed over here by DevTools) picks nothing with
    // synthetic clicks and keys on the badge and an option.
    await (await badge()).call(`function () {
      this.querySelector('button.sl-badge').click();
      const option = [...this.querySelectorAll('[role="option"]')]
        .find((o) => o.textContent.includes('Recall Reminders'));
      option.click();
      this.querySelector('[role="listbox"]')
        .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    }`);
    await plain.waitForTimeout(1000);
    expect(await badgeText()).toContain('your number');

    // The agent's own clicks (trusted input from the browser) still pick, in the closed root.
    const centre = `function (text) {
      const el = text
        ? [...this.querySelectorAll('[role="option"]')].find((o) => o.textContent.includes(text))
        : this.querySelector('button.sl-badge');
      el.scrollIntoView({ block: 'nearest' });
      const r = el.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }`;
    const at = await (await badge()).call<{ x: number; y: number }>(centre, '');
    await plain.mouse.click(at.x, at.y);
    await expect
      .poll(async () =>
        (await badge()).call<boolean>(
          'function () { return !this.querySelector(".sl-switcher").hidden; }',
        ),
      )
      .toBe(true);
    const option = await (await badge()).call<{ x: number; y: number }>(centre, 'Recall Reminders');
    await plain.mouse.click(option.x, option.y);
    await expect.poll(badgeText, { timeout: 10_000 }).toContain('picked');
    expect(plainErrors).toEqual([]);
    await plain.close();
  });
});
