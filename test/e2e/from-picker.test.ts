// HighLevel's own From picker in real Chromium, on the fixture page of 2026-12-02: the badge
// reads the picker and agrees or warns, the agent's own pick in it becomes the badge's manual
// pick, a pick in the switcher sets it through its trigger, and a page without a recognisable
// picker says so. The store is filled by a real sync against the contract fakes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BADGE,
  collectPageErrors,
  connectAndSync,
  E2E_EXTENSION_DIR,
  FIXTURE_NOW,
  type LaunchedExtension,
  launchWithExtension,
  pointAtFakes,
  SWITCHER_OPTION,
  saveScreenshot,
  TOOLTIP,
} from '../driver';
import {
  createFakeHighLevel,
  createFakeTwilio,
  type SeededSubAccount,
  type ServedFakes,
  seedBelievableSubAccount,
  serveFakes,
} from '../fakes';
import { type FixtureName, type FixtureServer, serveFixtures } from '../fixtures/serve';
import { fixtureData } from '../page/load-fixture';

/** The badge's note on HighLevel's picker, beside the badge. */
const NOTE = 'sender-lens-badge .sl-note';
/** HighLevel's From picker on the 2026-12-02 page: its trigger and its (teleported) menu. */
const FROM_TRIGGER = '.from-number-select';
const FROM_MENU = '.from-number-menu';

interface PageState {
  selectedNumber: string | null;
  menuOpen: string | null;
  channel: string;
  fromOpens: number;
  channelOpens: number;
}

describe("HighLevel's own From picker in Chromium", () => {
  let seeded: SeededSubAccount;
  let fakes: ServedFakes;
  let fixtures: FixtureServer;
  let extension: LaunchedExtension;
  let page: Page;
  let errors: string[];

  async function open(conversationId: string, user: string, fixture: FixtureName = 'picker') {
    fixtures.setData({ ...fixtureData(), currentUserId: user });
    await page.goto(fixtures.conversationUrl(conversationId, { fixture }));
  }

  const state = () =>
    page.evaluate(() =>
      (window as unknown as { __fixture: { state(): PageState } }).__fixture.state(),
    );

  async function says(selector: string, ...parts: string[]) {
    for (const part of parts) {
      await expect
        .poll(() => page.locator(selector).textContent(), { timeout: 10_000 })
        .toContain(part);
    }
  }

  async function tooltipText() {
    await page.locator(BADGE).hover();
    await expect.poll(() => page.locator(TOOLTIP).isVisible()).toBe(true);
    return (await page.locator(TOOLTIP).textContent()) ?? '';
  }

  beforeAll(async () => {
    const [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
    seeded = seedBelievableSubAccount(twilio, highlevel, { now: FIXTURE_NOW });
    fakes = await serveFakes({ twilio, highlevel });
    fixtures = await serveFixtures();
    extension = await launchWithExtension({ extensionDir: E2E_EXTENSION_DIR });
    await pointAtFakes(extension, fakes);
    const settings = await extension.context.newPage();
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

  it('says HighLevel agrees when its picker shows the badge’s number', async () => {
    // Jane's own number, which is also the number HighLevel last used for Alice.
    await open('conv-alice', 'usr-jane-doe');
    await says(BADGE, '(415) 555-0102', 'your number');
    await says(NOTE, 'HighLevel agrees');
    expect(await page.locator(FROM_TRIGGER).textContent()).toContain('(415) 555-0102');
    await saveScreenshot(page, 'picker-agrees');
    expect(await state()).toMatchObject({ fromOpens: 0, channelOpens: 0, menuOpen: null });
    expect(errors).toEqual([]);
  });

  it('warns on the badge and in the tooltip when HighLevel’s picker shows another number', async () => {
    // Maria's number is voice-only: the rules say the default; HighLevel shows Alice's last used.
    await open('conv-alice', 'usr-maria-chen');
    await says(BADGE, '(415) 555-0101', 'default');
    await says(NOTE, 'HighLevel shows (415) 555-0102');
    expect(await page.locator(BADGE).getAttribute('class')).toContain('sl-tone-warn');
    const tip = await tooltipText();
    expect(tip).toContain("HighLevel's own picker shows (415) 555-0102, not (415) 555-0101");
    expect(tip).toContain('Likeliest reason: HighLevel follows a rule the synced data cannot show');
    await saveScreenshot(page, 'picker-differs');
    expect(await state()).toMatchObject({ fromOpens: 0, channelOpens: 0, menuOpen: null });
    expect(errors).toEqual([]);
  });

  it('makes the agent’s own pick in HighLevel’s picker the badge’s manual pick', async () => {
    await open('conv-gina', 'usr-raj-patel');
    await says(BADGE, '(415) 555-0103', 'your number');
    // HighLevel preselects Gina's last-used number, Recall Reminders.
    await says(NOTE, 'HighLevel shows (415) 555-0107');
    await page.locator(FROM_TRIGGER).click();
    await page
      .locator(`${FROM_MENU} .n-dropdown-option-body`, { hasText: '(415) 555-0105' })
      .click();
    await says(BADGE, '(415) 555-0105', 'picked');
    await says(NOTE, 'HighLevel agrees');
    const tip = await tooltipText();
    expect(tip).toMatch(/Applied\s*Picked for this send/);
    expect(await state()).toMatchObject({ selectedNumber: '+14155550105', fromOpens: 1 });

    // After a reload HighLevel preselects its last-used number again, and Sender Lens says so
    // without touching HighLevel's controls.
    await page.reload();
    await says(BADGE, '(415) 555-0105', 'picked');
    await says(NOTE, 'HighLevel shows (415) 555-0107');
    expect(await tooltipText()).toContain('Pick it again to set it.');
    await page.waitForTimeout(500);
    expect(await state()).toMatchObject({ fromOpens: 0, channelOpens: 0, menuOpen: null });
    expect(errors).toEqual([]);
  });

  it('sets HighLevel’s picker through its trigger after a pick in the switcher, and closes it', async () => {
    await open('conv-ben', 'usr-raj-patel');
    await says(BADGE, '(415) 555-0103', 'your number');
    await page.locator(BADGE).click();
    // Jane's number is hers, and not Ben's last used: HighLevel will not offer it to Raj.
    const jane = page.locator(`sender-lens-badge ${SWITCHER_OPTION}`, { hasText: 'Jane Doe' });
    expect(await jane.textContent()).toContain(
      "Jane Doe's number: HighLevel will not offer it to you",
    );
    await saveScreenshot(page, 'picker-switcher-marks');
    await page.locator(`sender-lens-badge ${SWITCHER_OPTION}`, { hasText: 'Hygiene' }).click();
    await says(BADGE, '(415) 555-0105', 'picked');
    await says(NOTE, 'HighLevel agrees');
    await says(FROM_TRIGGER, '(415) 555-0105');
    expect(await state()).toMatchObject({
      selectedNumber: '+14155550105',
      fromOpens: 1,
      menuOpen: null,
      channel: 'SMS',
      channelOpens: 0,
    });
    expect(await page.locator(FROM_MENU).isVisible()).toBe(false);
    // The agent's next click lands on the page, not on a menu left open.
    await page.locator('#conv-composer-textarea-input').click();
    expect(await state()).toMatchObject({ channel: 'SMS', selectedNumber: '+14155550105' });
    await saveScreenshot(page, 'picker-set');
    expect(errors).toEqual([]);
  });

  it('says the number picker was not found on a page without a recognisable one', async () => {
    // The 2026-05-26 page: its #conv-provider-select-trigger shows a number, yet it is the
    // channel picker, and the page has no other.
    await open('conv-carla', 'usr-vic-lowe', 'main');
    await says(BADGE, '(415) 555-0101', 'default');
    await says(NOTE, "HighLevel's number picker not found");
    expect(await tooltipText()).toContain("HighLevel's number picker not found in the composer");
    expect(await state()).toMatchObject({ menuOpen: null, selectedNumber: '+14155550101' });

    // The 2026-12-02 page with its composer collapsed: no picker either, until it is expanded.
    await open('conv-carla', 'usr-vic-lowe');
    await says(NOTE, 'HighLevel agrees');
    await page.locator('#conv-composer-inline-expand-trigger').click();
    await says(NOTE, "HighLevel's number picker not found");
    await saveScreenshot(page, 'picker-not-found');
    await page.locator('#conv-composer-inline-expand-trigger').click();
    await says(NOTE, 'HighLevel agrees');
    expect(errors).toEqual([]);
  });
});
