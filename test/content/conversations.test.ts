// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_HOST_TAG } from '@/entrypoints/conversations.content/audit-chips';
import {
  type ConversationsController,
  startConversations,
} from '@/entrypoints/conversations.content/conversations';
import { SEND_HOST_TAG, SENT_HOST_TAG } from '@/entrypoints/conversations.content/send-bar';
import { loadSendUi } from '@/entrypoints/conversations.content/send-ui';
import { BADGE_HOST_TAG } from '@/entrypoints/conversations.content/sender-badge';
import type { ContentApi } from '@/lib/content/api';
import { TEST_OPEN_ROOTS_ATTRIBUTE } from '@/lib/content/shadow';
import type { SenderViewResponse } from '@/lib/messaging/requests/conversation';
import type { SendView } from '@/lib/messaging/send-views';
import type { TabMessage } from '@/lib/messaging/tab';
import type { AuditView, SenderView, SwitcherOption } from '@/lib/messaging/views';
import { listMessageRows, readMessageRow } from '@/lib/page/adapter';
import { probeMainWorld } from '@/lib/page/user-probe';
import { byPerson, click, press } from '../components/dom';
import { sendView as sentView } from '../components/fixtures';
import { type FixtureApi, fixtureData, loadFixture } from '../page/load-fixture';

const ROUTE = '/v2/location/loc-demo/conversations/conversations';

const NUMBERS: Record<string, [string, string]> = {
  'ct-alice-morgan': ['+14155550102', '(415) 555-0102'],
  'ct-ben-carter': ['+14155550105', '(415) 555-0105'],
  'ct-hank-lee': ['+14155550101', '(415) 555-0101'],
};

const OPTIONS: SwitcherOption[] = [
  { e164: '+14155550102', display: '(415) 555-0102', name: 'Jane Doe', tags: ['current'] },
  { e164: '+14155550107', display: '(415) 555-0107', name: 'Recall Reminders', tags: [] },
];

/** The display form the background would give a number of the fixture's sub-account. */
const display = (e164: string) => e164.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');

/** Every number of the fixture's sub-account, as the switcher lists them. */
const ALL_OPTIONS: SwitcherOption[] = fixtureData().numbers.map((n) => ({
  e164: n.number,
  display: display(n.number),
  ...(n.name ? { name: n.name } : {}),
  tags: [],
}));

function senderView(contactId: string, over: Partial<SenderView> = {}): SenderView {
  const [e164, display] = NUMBERS[contactId] ?? ['+14155550101', '(415) 555-0101'];
  return {
    state: 'sender',
    numberE164: e164,
    numberDisplay: display,
    ruleWord: 'your number',
    inferred: false,
    warnings: [],
    trace: [],
    freshness: 'Synced just now',
    ...over,
  };
}

/** An audit view whose number says which message it is for, so a test can tell them apart. */
function auditView(messageId: string): AuditView {
  return {
    state: 'exact',
    direction: 'outbound',
    numberDisplay: `for ${messageId}`,
    status: 'delivered',
    tone: 'ok',
  };
}

type Calls = { type: string; payload: Record<string, unknown> }[];

let calls: Calls;
let answers: {
  senderView: (payload: Record<string, unknown>) => Promise<SenderViewResponse>;
  pick: (payload: Record<string, unknown>) => Promise<SenderViewResponse>;
  send: (payload: Record<string, unknown>) => Promise<SendView>;
};
let tabListener: ((message: TabMessage) => void) | undefined;
let sends: SendView[] = [];
let lifetime: AbortController;
let fixture: FixtureApi | undefined;
let controller: ConversationsController;

const api = (async (type: string, payload: Record<string, unknown>) => {
  calls.push({ type, payload });
  switch (type) {
    case 'sender-view':
      return answers.senderView(payload);
    case 'pick':
      return answers.pick(payload);
    case 'audit':
      return Object.fromEntries((payload.messageIds as string[]).map((id) => [id, auditView(id)]));
    case 'conversation-sends':
      return sends;
    case 'send':
      return answers.send(payload);
    default:
      return { recorded: true };
  }
}) as unknown as ContentApi;

/** Starts the content script; its roots are open, as test builds draw them on request, unless `closedRoots`. */
function start(options: { waitTimeoutMs?: number; closedRoots?: boolean } = {}) {
  if (!options.closedRoots) document.documentElement.setAttribute(TEST_OPEN_ROOTS_ATTRIBUTE, '');
  controller = startConversations({
    doc: document,
    api,
    signal: lifetime.signal,
    requestFrame: (callback) => requestAnimationFrame(() => callback()),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    now: Date.now,
    loadSendUi: () =>
      loadSendUi(async () => {
        // What the background's scripting.executeScript does: run the unlisted script here.
        (await import('@/entrypoints/send-ui')).default.main();
      }),
    listenTabMessages: (listener) => {
      tabListener = listener;
    },
    waitTimeoutMs: options.waitTimeoutMs ?? 2000,
    lateWaitMs: 50,
  });
  return controller;
}

const badgeHost = () => document.querySelector(BADGE_HOST_TAG);
/** The content script's own way into its closed roots (the page has none). */
const rootOf = (host: Element | null | undefined) => host?.shadowRoot ?? undefined;
const badgeText = () =>
  rootOf(badgeHost())?.querySelector('button.sl-badge')?.textContent?.replace(/\s+/g, ' ').trim();
const callsOf = (type: string) => calls.filter((c) => c.type === type);

beforeAll(() => {
  // The main-world probe; happy-dom has one world, so it runs alongside.
  probeMainWorld();
});

beforeEach(() => {
  calls = [];
  sends = [];
  answers = {
    send: async (p) => {
      const view = sentView({
        id: p.key as string,
        body: p.body as string,
        state: 'queued',
        statusText: 'Queued',
        tone: 'pending',
      });
      sends = [...sends, view];
      return view;
    },
    senderView: async (p) => ({ view: senderView(p.contactId as string), options: OPTIONS }),
    pick: async (p) => ({
      view: senderView(p.contactId as string, {
        numberE164: p.number as string,
        numberDisplay: display(p.number as string),
        ruleWord: 'picked',
      }),
      options: OPTIONS,
    }),
  };
  tabListener = undefined;
  lifetime = new AbortController();
});

afterEach(() => {
  lifetime.abort();
  fixture?.destroy();
  fixture = undefined;
});

describe('the conversations content script on the fixture of 2026-05-26', () => {
  it('draws into closed shadow roots unless a test build is asked for open ones', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    document.documentElement.removeAttribute(TEST_OPEN_ROOTS_ATTRIBUTE);
    start({ closedRoots: true });
    await vi.waitFor(() => expect(document.querySelector(AUDIT_HOST_TAG)).not.toBeNull());
    await vi.waitFor(() => expect(badgeHost()).not.toBeNull());
    expect(badgeHost()?.shadowRoot).toBeNull();
    expect(document.querySelector(AUDIT_HOST_TAG)?.shadowRoot).toBeNull();
  });

  it('puts the sender badge beside the send button in a shadow root and reports the page as recognised', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    start();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0102'));
    const host = badgeHost() as HTMLElement;
    expect(host.nextElementSibling?.id).toBe('conv-send-button-simple');
    expect(rootOf(host)?.querySelector('style')?.textContent).toContain('.sl-badge');
    expect(document.querySelectorAll(BADGE_HOST_TAG)).toHaveLength(1);
    expect(callsOf('page-status').map((c) => c.payload)).toContainEqual({
      status: 'ok',
      locationId: 'loc-demo',
      conversationId: 'conv-alice',
      contactIdFrom: 'contactLink',
    });
    await vi.waitFor(() =>
      expect(callsOf('sender-view').at(-1)?.payload).toEqual({
        locationId: 'loc-demo',
        conversationId: 'conv-alice',
        contactId: 'ct-alice-morgan',
        userId: 'usr-jane-doe',
      }),
    );
  });

  it('gives every rendered row a chip, and a recycled row the chip of its new message', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-hank` });
    start();
    const scroller = () => document.getElementById('conversation-panel') as HTMLElement;
    const chipFor = (row: Element) => row.querySelector(AUDIT_HOST_TAG) as HTMLElement | null;
    const everyRowHasItsChip = () => {
      const rows = listMessageRows(scroller()).filter((row) => readMessageRow(row));
      expect(rows.length).toBeGreaterThan(20);
      for (const row of rows) {
        const id = readMessageRow(row)?.messageId as string;
        const chip = chipFor(row);
        expect(chip?.dataset.messageId).toBe(id);
        expect(rootOf(chip)?.textContent).toContain(`for ${id}`);
      }
    };
    await vi.waitFor(everyRowHasItsChip);
    // The audit was asked in one batch for the rendered rows, not row by row.
    expect(callsOf('audit')).toHaveLength(1);

    const before = new Map(
      listMessageRows(scroller()).map((row) => [
        row,
        { id: readMessageRow(row)?.messageId, host: chipFor(row) },
      ]),
    );
    fixture.scrollToIndex(40);
    await vi.waitFor(everyRowHasItsChip);
    const recycled = [...before].filter(([row, was]) => {
      const now = readMessageRow(row)?.messageId;
      return was.id !== undefined && now !== undefined && now !== was.id;
    });
    // Scrolling by 40 rows hands every pooled row another message.
    expect(recycled.length).toBeGreaterThan(10);
    for (const [row, was] of recycled) expect(chipFor(row)).toBe(was.host);
    expect(document.querySelectorAll(AUDIT_HOST_TAG).length).toBeLessThanOrEqual(fixture.POOL);
  });

  it('moves to another conversation without a reload: the old view ends, the new contact gets its sender', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    let releaseAlice: () => void = () => {};
    answers.senderView = async (p) => {
      if (p.contactId === 'ct-alice-morgan') {
        // Alice's answer arrives only after the agent has moved on.
        await new Promise<void>((resolve) => {
          releaseAlice = resolve;
        });
      }
      return { view: senderView(p.contactId as string), options: OPTIONS };
    };
    start();
    await vi.waitFor(() => expect(callsOf('sender-view')).not.toHaveLength(0));
    const session = controller.session;
    fixture.navigate('conv-ben');
    controller.onRoute();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0105'));
    expect(controller.session).not.toBe(session);
    releaseAlice();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(badgeText()).toContain('(415) 555-0105');
    expect(document.querySelectorAll(BADGE_HOST_TAG)).toHaveLength(1);
    expect(callsOf('page-status').map((c) => c.payload.conversationId)).toEqual([
      'conv-alice',
      'conv-ben',
    ]);
  });

  it('takes the contact from the active conversation card on a page without a contact link', async () => {
    fixture = await loadFixture('dec-no-link', { path: `${ROUTE}/conv-alice` });
    start();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0102'));
    expect(callsOf('sender-view').at(-1)?.payload).toMatchObject({ contactId: 'ct-alice-morgan' });
    expect(controller.session?.ids.contactId).toBe('ct-alice-morgan');
    expect(callsOf('page-status').at(-1)?.payload).toMatchObject({
      status: 'ok',
      contactIdFrom: 'activeConversationCard',
    });
    fixture.navigate('conv-ben');
    controller.onRoute();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0105'));
    expect(callsOf('sender-view').at(-1)?.payload).toMatchObject({ contactId: 'ct-ben-carter' });
  });

  it('shows nothing on a page it cannot read, and tells the background what is missing', async () => {
    fixture = await loadFixture('unknown', { path: `${ROUTE}/conv-alice` });
    start({ waitTimeoutMs: 100 });
    await vi.waitFor(() => expect(callsOf('page-status')).not.toHaveLength(0));
    expect(callsOf('page-status')[0]?.payload).toEqual({
      status: 'unrecognised',
      missing: ['messageScroller', 'composerFooter', 'composerInput', 'sendButton', 'contactLink'],
      locationId: 'loc-demo',
      conversationId: 'conv-alice',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(document.querySelector(BADGE_HOST_TAG)).toBeNull();
    expect(document.querySelector(AUDIT_HOST_TAG)).toBeNull();
    expect(callsOf('sender-view')).toHaveLength(0);
  });

  it('reports a page with no open conversation', async () => {
    fixture = await loadFixture('main', { path: ROUTE });
    start();
    await vi.waitFor(() =>
      expect(callsOf('page-status')[0]?.payload).toEqual({
        status: 'no-conversation',
        locationId: 'loc-demo',
      }),
    );
    expect(badgeHost()).toBeNull();
  });

  it('asks again when the background says the data changed, and opens the switcher on the shortcut', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    start();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0102'));
    const asked = callsOf('sender-view').length;
    answers.senderView = async (p) => ({
      view: senderView(p.contactId as string, { ruleWord: 'channel number' }),
      options: OPTIONS,
    });
    tabListener?.({ type: 'data-changed', locationId: 'loc-other' });
    tabListener?.({ type: 'data-changed', locationId: 'loc-demo' });
    await vi.waitFor(() => expect(badgeText()).toContain('channel number'));
    expect(callsOf('sender-view')).toHaveLength(asked + 1);

    const list = rootOf(badgeHost())?.querySelector('[role="listbox"]') as HTMLElement;
    expect((list.parentElement as HTMLElement).hidden).toBe(true);
    tabListener?.({ type: 'open-switcher' });
    await vi.waitFor(() => expect((list.parentElement as HTMLElement).hidden).toBe(false));
  });

  it('sends the composer’s text on a person’s click only, empties the composer and draws the send in place', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    start();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0102'));
    const input = document.querySelector('[id^="composer-input-"]') as HTMLInputElement;
    input.value = 'Your crown is ready 😀';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const action = () => rootOf(document.querySelector(SEND_HOST_TAG));
    await vi.waitFor(() => expect(action()?.textContent).toContain('UCS-2 because of “😀”'));
    const button = action()?.querySelector('button.sl-send-button') as HTMLButtonElement;
    expect(button.textContent).toContain('Send via Twilio');
    // A page script's click is not the agent's.
    button.click();
    await new Promise((r) => setTimeout(r, 20));
    expect(callsOf('send')).toHaveLength(0);
    button.dispatchEvent(byPerson(new MouseEvent('click', { bubbles: true, composed: true })));
    await vi.waitFor(() => expect(callsOf('send')).toHaveLength(1));
    expect(callsOf('send')[0]?.payload).toMatchObject({
      locationId: 'loc-demo',
      conversationId: 'conv-alice',
      contactId: 'ct-alice-morgan',
      body: 'Your crown is ready 😀',
      key: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
    });
    expect(callsOf('send')[0]?.payload).not.toHaveProperty('from');
    await vi.waitFor(() => expect(input.value).toBe(''));
    const rows = () => rootOf(document.querySelector(SENT_HOST_TAG));
    await vi.waitFor(() => expect(rows()?.textContent).toContain('Your crown is ready'));
    sends = sends.map((v) => ({ ...v, state: 'delivered', statusText: 'Delivered', tone: 'ok' }));
    tabListener?.({ type: 'sends-changed', locationId: 'loc-demo', conversationId: 'conv-alice' });
    await vi.waitFor(() => expect(rows()?.textContent).toContain('Delivered'));
  });

  it('sends on Ctrl+Shift+Enter in the composer, and not on the page’s own key events', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    start();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0102'));
    const input = document.querySelector('[id^="composer-input-"]') as HTMLInputElement;
    input.value = 'On my way';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const init = { key: 'Enter', ctrlKey: true, shiftKey: true, bubbles: true, cancelable: true };
    input.dispatchEvent(new KeyboardEvent('keydown', init));
    await new Promise((r) => setTimeout(r, 20));
    expect(callsOf('send')).toHaveLength(0);
    const down = byPerson(new KeyboardEvent('keydown', init));
    input.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(callsOf('send')).toHaveLength(1));
    expect(callsOf('send')[0]?.payload).toMatchObject({ body: 'On my way' });
  });

  it('takes everything down when the extension goes away', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    start();
    await vi.waitFor(() => expect(document.querySelector(AUDIT_HOST_TAG)).not.toBeNull());
    expect(badgeHost()).not.toBeNull();
    lifetime.abort();
    expect(badgeHost()).toBeNull();
    expect(document.querySelector(AUDIT_HOST_TAG)).toBeNull();
  });
});

describe("HighLevel's own From picker, on the fixture of 2026-12-02", () => {
  const JANE = '+14155550102';
  const MAIN = '+14155550101';
  const RECALL = '+14155550107';
  const badgeRoot = () => rootOf(badgeHost()) as ShadowRoot;
  const note = () => badgeRoot()?.querySelector('.sl-note')?.textContent?.replace(/\s+/g, ' ');
  const tooltipText = () =>
    badgeRoot()?.querySelector('[role="tooltip"]')?.textContent?.replace(/\s+/g, ' ') ?? '';
  const fromTrigger = () => document.querySelector('.from-number-select') as HTMLElement;
  const fromOption = (e164: string) =>
    [...document.querySelectorAll<HTMLElement>('.from-number-menu .n-dropdown-option')].find((o) =>
      o.textContent?.includes(display(e164)),
    ) as HTMLElement;
  const switcherOption = (name: string) =>
    [...badgeRoot().querySelectorAll<HTMLElement>('[role="option"]')].find((o) =>
      o.textContent?.includes(name),
    ) as HTMLElement;
  /** Neither of HighLevel's pickers was opened by anyone. */
  const untouched = (f: FixtureApi) =>
    expect(f.state()).toMatchObject({ fromOpens: 0, channelOpens: 0, menuOpen: null });

  /** The 2026-12-02 page with the sub-account's every number in the switcher; `over` shapes the view. */
  async function openPicker(over: Partial<SenderView> = {}, conv = 'conv-alice') {
    const f = await loadFixture('picker', { path: `${ROUTE}/${conv}` });
    fixture = f;
    answers.senderView = async (p) => ({
      view: senderView(p.contactId as string, over),
      options: ALL_OPTIONS,
    });
    answers.pick = async (p) => ({
      view: senderView(p.contactId as string, {
        numberE164: p.number as string,
        numberDisplay: display(p.number as string),
        ruleWord: 'picked',
      }),
      options: ALL_OPTIONS,
    });
    start();
    return f;
  }

  it('says HighLevel agrees when its picker shows the badge’s number, touching nothing', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    expect(tooltipText()).toContain(
      'HighLevel agrees: its own number picker shows the same number.',
    );
    untouched(f);
  });

  it('warns on the badge and in the tooltip when HighLevel’s picker shows another number', async () => {
    // The rules say the default; HighLevel preselects Alice's last-used number, Jane's.
    const f = await openPicker({
      numberE164: MAIN,
      numberDisplay: '(415) 555-0101',
      ruleWord: 'default',
    });
    await vi.waitFor(() => expect(note()).toBe('! HighLevel shows (415) 555-0102'));
    expect(badgeRoot().querySelector('button.sl-badge')?.className).toContain('sl-tone-warn');
    expect(tooltipText()).toContain(
      "HighLevel's own picker shows (415) 555-0102, not (415) 555-0101: HighLevel's send goes out from (415) 555-0102. Likeliest reason: HighLevel follows a rule the synced data cannot show",
    );
    untouched(f);
  });

  it('names a stale sync as the likeliest reason when the data is old', async () => {
    await openPicker({ numberE164: MAIN, ruleWord: 'default', stale: true });
    await vi.waitFor(() =>
      expect(tooltipText()).toContain("Likeliest reason: Sender Lens's data is out of date"),
    );
  });

  it('records the agent’s trusted pick in HighLevel’s picker as a manual pick', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    click(fromTrigger());
    expect(f.state().menuOpen).toBe('from');
    click(fromOption(RECALL).querySelector('.n-dropdown-option-body') as Element);
    await vi.waitFor(() => expect(callsOf('pick')).toHaveLength(1));
    expect(callsOf('pick')[0]?.payload).toMatchObject({
      contactId: 'ct-alice-morgan',
      number: RECALL,
    });
    await vi.waitFor(() => expect(badgeText()).toContain('picked'));
    expect(badgeText()).toContain('(415) 555-0107');
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    // Sender Lens did not drive the picker itself: the agent opened it once.
    expect(f.state()).toMatchObject({ fromOpens: 1, selectedNumber: RECALL, menuOpen: null });
  });

  it('records a trusted pick made with the keyboard in HighLevel’s picker', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    const trigger = fromTrigger();
    press(trigger, 'Enter');
    press(trigger, 'ArrowDown');
    press(trigger, 'Enter');
    expect(f.state().selectedNumber).toBe(MAIN);
    await vi.waitFor(() => expect(callsOf('pick')[0]?.payload).toMatchObject({ number: MAIN }));
  });

  it('ignores an untrusted change of HighLevel’s picker, and says a pick went unseen', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    // A page script's clicks, then the page setting the picker by itself.
    fromTrigger().click();
    (fromOption(RECALL).querySelector('.n-dropdown-option-body') as HTMLElement).click();
    expect(f.state().selectedNumber).toBe(RECALL);
    f.setFromNumber('+14155550105');
    await vi.waitFor(() => expect(note()).toBe('! HighLevel shows (415) 555-0105'));
    expect(tooltipText()).toContain(
      "Likeliest reason: a pick in HighLevel's picker that Sender Lens did not see.",
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(callsOf('pick')).toEqual([]);
  });

  it('a switcher pick sets HighLevel’s picker through its trigger and leaves its menu closed', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    // A page script's click on the switcher picks nothing and touches nothing.
    switcherOption('Recall Reminders').click();
    await new Promise((r) => setTimeout(r, 50));
    expect(callsOf('pick')).toEqual([]);
    untouched(f);
    click(switcherOption('Recall Reminders'));
    await vi.waitFor(() => expect(f.state().selectedNumber).toBe(RECALL));
    expect(callsOf('pick')).toHaveLength(1);
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    expect(badgeText()).toContain('picked');
    expect(f.state()).toMatchObject({
      fromOpens: 1,
      menuOpen: null,
      channel: 'SMS',
      channelOpens: 0,
    });
    expect(fromTrigger().textContent).toContain('(415) 555-0107');
  });

  it('says on the badge when HighLevel’s picker does not offer the picked number, and closes it', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    // Raj's number: HighLevel does not offer it to Jane.
    click(switcherOption('Raj Patel'));
    await vi.waitFor(() => expect(note()).toBe("! Could not set HighLevel's picker"));
    expect(tooltipText()).toContain('HighLevel does not offer that number to you');
    expect(f.state()).toMatchObject({ selectedNumber: JANE, menuOpen: null, fromOpens: 1 });
  });

  it('never touches HighLevel’s pickers on load, even with a pick made before a reload', async () => {
    const f = await openPicker({
      numberE164: RECALL,
      numberDisplay: '(415) 555-0107',
      ruleWord: 'picked',
    });
    await vi.waitFor(() => expect(note()).toBe('! HighLevel shows (415) 555-0102'));
    expect(tooltipText()).toContain('Pick it again to set it.');
    // A data change asks for the view again: still nothing is touched.
    tabListener?.({ type: 'data-changed', locationId: 'loc-demo' });
    await new Promise((r) => setTimeout(r, 100));
    untouched(f);
    expect(f.state().selectedNumber).toBe(JANE);
    expect(callsOf('pick')).toEqual([]);
  });

  it('says the picker was not found when the composer is collapsed, and finds it again', async () => {
    const f = await openPicker();
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
    f.setExpanded(false);
    await vi.waitFor(() => expect(note()).toBe("HighLevel's number picker not found"));
    f.setExpanded(true);
    await vi.waitFor(() => expect(note()).toBe('HighLevel agrees'));
  });
});

describe('a page without a recognisable From picker (2026-05-26)', () => {
  it('says "not found", and a pick never opens the channel picker', async () => {
    const f = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    fixture = f;
    answers.senderView = async (p) => ({
      view: senderView(p.contactId as string, { numberE164: '+14155550107', ruleWord: 'picked' }),
      options: ALL_OPTIONS,
    });
    start();
    const root = () => rootOf(badgeHost()) as ShadowRoot;
    await vi.waitFor(() =>
      expect(root()?.querySelector('.sl-note')?.textContent).toBe(
        "HighLevel's number picker not found",
      ),
    );
    const option = [...root().querySelectorAll<HTMLElement>('[role="option"]')].find((o) =>
      o.textContent?.includes('Hygiene'),
    ) as HTMLElement;
    click(option);
    await vi.waitFor(() => expect(callsOf('pick')).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    // #conv-provider-select-trigger (the channel picker) was never opened nor changed.
    expect(f.state()).toMatchObject({ menuOpen: null, selectedNumber: '+14155550101' });
    expect(document.querySelectorAll('.n-dropdown-option')).toHaveLength(0);
    expect(root().querySelector('.sl-note')?.textContent).toBe(
      "HighLevel's number picker not found",
    );
  });
});
