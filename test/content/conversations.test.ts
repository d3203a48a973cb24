// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_HOST_TAG } from '@/entrypoints/conversations.content/audit-chips';
import {
  type ConversationsController,
  startConversations,
} from '@/entrypoints/conversations.content/conversations';
import { SEND_HOST_TAG, SENT_HOST_TAG } from '@/entrypoints/conversations.content/send-bar';
import { loadSendUi } from '@/entrypoints/conversations.content/send-ui';
import { BADGE_HOST_TAG, textShowsNumber } from '@/entrypoints/conversations.content/sender-badge';
import type { ContentApi } from '@/lib/content/api';
import { TEST_OPEN_ROOTS_ATTRIBUTE } from '@/lib/content/shadow';
import type { SenderViewResponse } from '@/lib/messaging/requests/conversation';
import type { SendView } from '@/lib/messaging/send-views';
import type { TabMessage } from '@/lib/messaging/tab';
import type { AuditView, SenderView, SwitcherOption } from '@/lib/messaging/views';
import { listMessageRows, type PickResult, readMessageRow } from '@/lib/page/adapter';
import { probeMainWorld } from '@/lib/page/user-probe';
import { byPerson, click } from '../components/dom';
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
let selectNumber: ReturnType<typeof vi.fn<(doc: Document, n: string) => Promise<PickResult>>>;
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
    selectNumber,
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
        numberDisplay: '(415) 555-0107',
        ruleWord: 'picked',
      }),
      options: OPTIONS,
    }),
  };
  selectNumber = vi.fn(async () => 'selected' as PickResult);
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

  it('records a pick, selects the same number in HighLevel’s picker, and says when it could not', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    selectNumber.mockResolvedValue('not-listed');
    start();
    await vi.waitFor(() => expect(badgeText()).toContain('(415) 555-0102'));
    const root = rootOf(badgeHost()) as ShadowRoot;
    const option = [...root.querySelectorAll('[role="option"]')].find((o) =>
      o.textContent?.includes('Recall Reminders'),
    ) as HTMLElement;
    // A page script's click() is not the agent's: nothing is sent.
    option.click();
    await new Promise((r) => setTimeout(r, 50));
    expect(callsOf('pick')).toEqual([]);
    click(option);
    await vi.waitFor(() => expect(badgeText()).toContain('picked'));
    expect(callsOf('pick')[0]?.payload).toMatchObject({
      contactId: 'ct-alice-morgan',
      number: '+14155550107',
    });
    expect(selectNumber).toHaveBeenCalledWith(document, '+14155550107', expect.anything());
    await vi.waitFor(() => expect(root.textContent).toContain("Not in HighLevel's picker"));
  });

  it('after a reload, selects a pending pick in HighLevel’s picker so its send agrees', async () => {
    fixture = await loadFixture('main', { path: `${ROUTE}/conv-alice` });
    answers.senderView = async (p) => ({
      view: senderView(p.contactId as string, {
        numberE164: '+14155550107',
        numberDisplay: '(415) 555-0107',
        ruleWord: 'picked',
      }),
      options: OPTIONS,
    });
    start();
    await vi.waitFor(() => expect(selectNumber).toHaveBeenCalledTimes(1));
    expect(selectNumber.mock.calls[0]?.[1]).toBe('+14155550107');
  });

  it('sees an agreeing picker without touching it', async () => {
    const data = fixtureData();
    fixture = await loadFixture('main', {
      path: `${ROUTE}/conv-alice`,
      data: { ...data, defaultNumber: '+14155550107' },
    });
    answers.senderView = async (p) => ({
      view: senderView(p.contactId as string, { numberE164: '+14155550107', ruleWord: 'picked' }),
      options: OPTIONS,
    });
    start();
    const root = () => rootOf(badgeHost());
    await vi.waitFor(() =>
      expect(root()?.textContent).toContain("HighLevel's own number picker shows the same number"),
    );
    expect(selectNumber).not.toHaveBeenCalled();
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

describe('textShowsNumber', () => {
  it('compares the last ten digits, whatever the format', () => {
    expect(textShowsNumber('(415) 555-0107 · Recall', '+14155550107')).toBe(true);
    expect(textShowsNumber('+1 415 555 0107', '+14155550107')).toBe(true);
    expect(textShowsNumber('(415) 555-0101', '+14155550107')).toBe(false);
    expect(textShowsNumber('Select number', '+14155550107')).toBe(false);
  });
});
