// Accessibility in real Chromium: axe-core on the options page, the popup and the fixture
// conversation page with every injected control open (test builds open the shadow roots, so
// axe sees inside them), and the keyboard path an agent takes through the badge and switcher.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_CHIP,
  AUDIT_DETAILS,
  AUDIT_HOST,
  BADGE,
  BADGE_HOST,
  collectPageErrors,
  connectAndSync,
  E2E_EXTENSION_DIR,
  FIXTURE_NOW,
  findTabId,
  type LaunchedExtension,
  launchWithExtension,
  pointAtFakes,
  ROOT,
  SWITCHER,
  TOOLTIP,
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
import { type FixtureServer, serveFixtures } from '../fixtures/serve';
import { fixtureData } from '../page/load-fixture';

const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe on the whole page; prints every violation and returns the serious and critical ones. */
async function axe(page: Page, name: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // Extension pages forbid inline scripts (script-src 'self'), and addScriptTag inlines the
    // file; DevTools' evaluation is not bound by the page's CSP.
    if (page.url().startsWith('chrome-extension://'))
      await page.evaluate(await readFile(AXE, 'utf8'));
    else await page.addScriptTag({ path: AXE });
  }
  const violations = (await page.evaluate(async () => {
    const run = (
      window as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: unknown[] }> };
      }
    ).axe.run;
    // Our controls only: the fixture reproduces HighLevel's own page, whose faults are not ours.
    const context = document.location.protocol.startsWith('http')
      ? {
          include: [
            ...new Set(
              [
                ...document.querySelectorAll(
                  'sender-lens-badge, sender-lens-audit, sender-lens-send, sender-lens-sent',
                ),
              ].map((host) => host.localName),
            ),
          ].map((tag) => [tag]),
        }
      : document;
    const result = await run(context, { resultTypes: ['violations'] });
    return result.violations;
  })) as Violation[];
  const lines = violations.map(
    (v) =>
      `${name}: ${v.impact ?? 'unknown'} ${v.id} (${v.help}) at ${v.nodes
        .map((n) => JSON.stringify(n.target))
        .join(', ')}`,
  );
  // The minor and moderate ones are printed, not failed on.
  console.log(lines.length ? lines.join('\n') : `${name}: no axe violations`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
}

/** The element that has focus, described through open shadow roots. */
function focusedPath(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    let at: Element | null = document.activeElement;
    while (at) {
      parts.push(at.id ? `${at.localName}#${at.id}` : [at.localName, ...at.classList].join('.'));
      at = at.shadowRoot?.activeElement ?? null;
    }
    return parts.join(' > ');
  });
}

describe('accessibility in Chromium', () => {
  let twilio: FakeTwilio;
  let highlevel: FakeHighLevel;
  let seeded: SeededSubAccount;
  let fakes: ServedFakes;
  let fixtures: FixtureServer;
  let extension: LaunchedExtension;
  let settings: Page;
  let page: Page;
  let errors: string[];
  let emptyOptions: string[];

  beforeAll(async () => {
    [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
    seeded = seedBelievableSubAccount(twilio, highlevel, { now: FIXTURE_NOW });
    fakes = await serveFakes({ twilio, highlevel });
    fixtures = await serveFixtures();
    extension = await launchWithExtension({ extensionDir: E2E_EXTENSION_DIR });
    await pointAtFakes(extension, fakes);
    settings = await extension.context.newPage();
    await settings.goto(`chrome-extension://${extension.extensionId}/options.html`);
    // An empty profile first: no sub-account yet.
    await settings.getByRole('heading', { name: 'Sub-accounts to sync' }).waitFor();
    emptyOptions = await axe(settings, 'options (empty)');
    await connectAndSync(settings, { twilio, highlevel, locationId: seeded.locationId }, 30_000);
    page = await extension.context.newPage();
    // No fade-in: axe would measure the contrast of a popup still half transparent.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await extension?.close();
    await fixtures?.close();
    await fakes?.close();
  });

  async function openConversation(conversationId: string) {
    fixtures.setData({ ...fixtureData(), currentUserId: 'usr-jane-doe' });
    await page.goto(fixtures.conversationUrl(conversationId));
    await expect
      .poll(() => page.locator(BADGE).textContent(), { timeout: 10_000 })
      .toContain('your number');
  }

  it('binds the switcher shortcut, and the options page says where to change it', async () => {
    const commands = await extension.serviceWorker.evaluate(async () => {
      const scope = globalThis as unknown as {
        chrome: { commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> } };
      };
      return scope.chrome.commands.getAll();
    });
    expect(commands.find((c) => c.name === 'open-switcher')?.shortcut).toBe('Alt+Shift+7');
    const section = settings.getByRole('region', { name: 'Keyboard shortcut' });
    expect(await section.textContent()).toContain('chrome://extensions/shortcuts');
    expect(await section.textContent()).toContain('about:addons');
  });

  it('the options page has no serious or critical axe violation, empty or connected', async () => {
    expect(emptyOptions).toEqual([]);
    await settings.reload();
    await settings.getByRole('heading', { name: 'Sub-accounts to sync' }).waitFor();
    await settings.locator('.sync-list').waitFor();
    expect(await axe(settings, 'options (connected)')).toEqual([]);
  });

  it('the popup has no serious or critical axe violation', async () => {
    const popup = await extension.context.newPage();
    await popup.goto(`chrome-extension://${extension.extensionId}/popup.html`);
    await popup.locator('body *').first().waitFor();
    await popup.waitForTimeout(500);
    expect(await axe(popup, 'popup')).toEqual([]);
    await popup.close();
  });

  it('the conversation page has none with the badge, the tooltip, the switcher and audit details open', async () => {
    await openConversation('conv-alice');
    expect(await axe(page, 'page (badge)')).toEqual([]);

    await page.locator('#composer-input-conv-alice').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.locator(TOOLTIP).isVisible()).toBe(true);
    expect(await axe(page, 'page (tooltip open)')).toEqual([]);

    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(SWITCHER).isVisible()).toBe(true);
    await page.keyboard.type('415');
    expect(await axe(page, 'page (switcher open, filtered)')).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(SWITCHER).isVisible()).toBe(false);

    const chips = page.locator(`${AUDIT_HOST} ${AUDIT_CHIP}`);
    await expect.poll(() => chips.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await chips.first().click();
    await page.locator(`${AUDIT_HOST} ${AUDIT_DETAILS}`).first().waitFor();
    expect(await axe(page, 'page (audit details open)')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps an audit chip’s details in the panel on the top row', async () => {
    await openConversation('conv-alice');
    const chips = page.locator(`${AUDIT_HOST} ${AUDIT_CHIP}`);
    await expect.poll(() => chips.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // The chip nearest the panel's top edge, with the panel scrolled to the top.
    await page.evaluate(() => {
      (document.getElementById('conversation-panel') as HTMLElement).scrollTop = 0;
    });
    const index = await page.evaluate((host) => {
      const tops = [...document.querySelectorAll(host)].map((h) => h.getBoundingClientRect().top);
      return tops.indexOf(Math.min(...tops));
    }, AUDIT_HOST);
    await chips.nth(index).click();
    await expect
      .poll(() => page.locator(`${AUDIT_HOST} ${AUDIT_DETAILS}`).first().textContent())
      .toContain('Twilio SID');
    const clipped = await page.evaluate(
      ({ host, details }) => {
        const panel = (
          document.getElementById('conversation-panel') as HTMLElement
        ).getBoundingClientRect();
        const box = [...document.querySelectorAll(host)]
          .map((h) => h.shadowRoot?.querySelector(details))
          .find(Boolean) as HTMLElement;
        const r = box.getBoundingClientRect();
        const chip = (box.parentNode as Element).getBoundingClientRect();
        return {
          above: Math.max(0, panel.top - r.top),
          below: Math.max(0, r.bottom - panel.bottom),
          room: Math.round(chip.top - panel.top),
          height: Math.round(r.height),
          down: box.classList.contains('sl-down'),
        };
      },
      { host: AUDIT_HOST, details: AUDIT_DETAILS },
    );
    console.log('top-row audit details:', clipped);

    expect(clipped).toMatchObject({ above: 0, below: 0 });
  });

  it('works by keyboard: Tab to the badge, Enter, arrows and Enter pick; the shortcut’s Escape returns to the message box', async () => {
    await openConversation('conv-alice');
    const composer = page.locator('#composer-input-conv-alice');
    await composer.focus();
    await page.keyboard.press('Tab');
    expect(await focusedPath(page)).toMatch(new RegExp(`^${BADGE_HOST} > button\\.sl-badge`));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(SWITCHER).isVisible()).toBe(true);
    expect(await focusedPath(page)).toMatch(/> div#.*-list$/);
    const before = await page.locator(BADGE).textContent();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(SWITCHER).isVisible()).toBe(false);
    await expect
      .poll(() => page.locator(BADGE).textContent(), { timeout: 10_000 })
      .not.toBe(before);
    expect(await page.locator(BADGE).textContent()).toContain('picked');
    // Focus came back to the badge it was opened from.
    expect(await focusedPath(page)).toMatch(new RegExp(`^${BADGE_HOST} > button\\.sl-badge`));

    // The shortcut, as the background forwards it, from the message box: Escape returns there.
    await composer.focus();
    const tabId = await findTabId(extension.serviceWorker, page.url());
    await extension.serviceWorker.evaluate(async (id) => {
      const scope = globalThis as unknown as {
        chrome: { tabs: { sendMessage(tabId: number, message: unknown): Promise<unknown> } };
      };
      await scope.chrome.tabs.sendMessage(id as number, { type: 'open-switcher' });
    }, tabId);
    await expect.poll(() => page.locator(SWITCHER).isVisible()).toBe(true);
    expect(await focusedPath(page)).toMatch(/> div#.*-list$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(SWITCHER).isVisible()).toBe(false);
    expect(await focusedPath(page)).toBe('textarea#composer-input-conv-alice');
    expect(errors).toEqual([]);
  });
});
