import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { AuditService } from '../../lib/background/audit';
import { DEFAULT_LIMITS, OVER_BUDGET, TabBudgets } from '../../lib/background/budget';
import { NOT_SYNCED } from '../../lib/background/contact-index';
import {
  CHOSEN_USERS_KEY,
  conversationHandlers,
  notifyDataChanged,
} from '../../lib/background/conversation';
import { resolveHandlers } from '../../lib/background/resolve';
import type { BackgroundServices } from '../../lib/background/services';
import { HighLevelClient } from '../../lib/highlevel';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import { coreRequests, type Reply } from '../../lib/messaging/protocol';
import {
  conversationRequests,
  type SenderViewResponse,
} from '../../lib/messaging/requests/conversation';
import type { TabMessage } from '../../lib/messaging/tab';
import { openStore, type PageMessage, type Store } from '../../lib/store';
import { createContactFetcher } from '../../lib/sync';
import { TwilioClient } from '../../lib/twilio';
import {
  createFakeHighLevel,
  createFakeTwilio,
  type FakeHighLevel,
  type FakeTwilio,
  seedBelievableSubAccount,
} from '../fakes';
import {
  contentScript,
  EXTENSION_ID,
  EXTENSION_ORIGIN,
  extensionPage,
  tab,
} from '../messaging/senders';
import { foldPage } from '../store/helpers';
import { N, NOW, sunrise } from './conversation.fixtures';
import { memoryArea } from './memory-area';

const LOC = 'loc-demo';
const PAGE_ORIGIN = 'https://app.gohighlevel.com';

async function syncSunrise(store: Store): Promise<void> {
  const snapshot = sunrise();
  const writer = await store.beginSync(LOC, 'full');
  await writer.putNumbers(snapshot.numbers);
  await writer.putStaff(snapshot.users);
  // Lou is left out: a contact created after the last sync.
  await writer.putContacts(snapshot.contacts.filter((c) => c.id !== 'ct-lou-new'));
  const messages: PageMessage[] = snapshot.messages.map((m) => ({
    contactId: m.contactId,
    number: m.number,
    direction: m.direction,
    atMs: Date.parse(m.at),
    ...(m.manual ? { manual: true } : {}),
    ...(m.body ? { body: m.body } : {}),
  }));
  await foldPage(writer, messages);
  await writer.commit();
}

let twilio: FakeTwilio;
let highlevel: FakeHighLevel;

beforeAll(async () => {
  [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
  seedBelievableSubAccount(twilio, highlevel, { now: new Date(NOW) });
  highlevel.addContact(LOC, { id: 'ct-lou-new', name: 'Lou New', phone: '+16285550130' });
});

let store: Store;
let session: ReturnType<typeof memoryArea>;
let local: ReturnType<typeof memoryArea>;
let sent: { tabId: number; message: TabMessage }[];
let tabUrls: Map<number, string>;
let connected: boolean;
let route: MessageListener;
let highlevelFetch: typeof fetch;

function services(): BackgroundServices {
  const fast = { sleep: async () => {}, random: () => 0, maxRetries: 0 };
  const base: Omit<BackgroundServices, 'sync'> = {
    store,
    now: () => NOW,
    apiBases: {
      twilio: 'https://api.twilio.com',
      highlevel: 'https://services.leadconnectorhq.com',
    },
    async twilio() {
      if (!connected) return null;
      return new TwilioClient({
        ...fast,
        fetch: twilio.fetch,
        credentials: {
          kind: 'auth-token',
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
        },
      });
    },
    async highlevel() {
      if (!connected) return null;
      return new HighLevelClient({
        ...fast,
        fetch: (input, init) => highlevelFetch(input, init),
        credentials: { token: highlevel.token },
      });
    },
  };
  const notHere = () => Promise.reject(new Error('not in these tests'));
  return {
    ...base,
    // The sync's own on-demand contact fetch; syncs themselves are not part of these tests.
    sync: {
      run: notHere,
      status: notHere,
      runScheduled: notHere,
      ensureContact: createContactFetcher({ store, highlevel: base.highlevel, now: base.now }),
    },
  };
}

beforeEach(async () => {
  highlevelFetch = highlevel.fetch;
  store = await openStore({ factory: new IDBFactory(), now: () => NOW });
  session = memoryArea();
  local = memoryArea();
  sent = [];
  tabUrls = new Map([
    [7, `${PAGE_ORIGIN}/v2/location/${LOC}/conversations/conversations/conv-alice`],
  ]);
  connected = true;
  const svc = services();
  const handlers = conversationHandlers(svc, {
    session: session as never,
    local: local as never,
    sendToTab: async (tabId, message) => {
      sent.push({ tabId, message });
    },
    tabUrl: async (tabId) => tabUrls.get(tabId),
    audit: new AuditService({ twilio: svc.twilio, highlevel: svc.highlevel, now: svc.now }),
  });
  route = createMessageRouter(conversationRequests, handlers, {
    extensionId: EXTENSION_ID,
    extensionOrigin: EXTENSION_ORIGIN,
  });
});

async function ask<T = SenderViewResponse>(
  type: string,
  payload: unknown,
  sender: Browser.runtime.MessageSender = contentScript(),
): Promise<T> {
  const reply = (await route({ type, payload }, sender)) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

async function refusal(type: string, payload: unknown, sender = contentScript()) {
  const reply = (await route({ type, payload }, sender)) as Reply<unknown>;
  if (reply.ok) throw new Error(`${type} was answered`);
  return reply.error;
}

const alice = { locationId: LOC, conversationId: 'conv-alice', contactId: 'ct-alice-morgan' };

describe('request schemas', () => {
  it('refuses wrong shapes, naming the field', async () => {
    expect(await refusal('sender-view', { locationId: LOC, conversationId: 'c' })).toMatchObject({
      code: 'bad-request',
      path: 'contactId',
    });
    expect(await refusal('sender-view', { ...alice, extra: 1 })).toMatchObject({ path: 'extra' });
    expect(await refusal('pick', { ...alice, number: '415-555-0101' })).toMatchObject({
      path: 'number',
      message: expect.stringContaining('E.164'),
    });
    expect(await refusal('pick', alice)).toMatchObject({ path: 'number' });
    expect(
      await refusal('audit', {
        ...alice,
        messageIds: Array.from({ length: 201 }, (_, i) => `m${i}`),
      }),
    ).toMatchObject({ path: 'messageIds', message: expect.stringContaining('more than 200') });
    expect(await refusal('page-status', { status: 'fine' })).toMatchObject({ path: 'status' });
    expect(await refusal('page-status-get', { tabId: -1 }, extensionPage())).toMatchObject({
      path: 'tabId',
    });
  });

  it('bounds ids as the store does: a 101-character location id is refused by name', async () => {
    const long = 'L'.repeat(101);
    expect(await refusal('sender-view', { ...alice, locationId: long })).toMatchObject({
      code: 'bad-request',
      path: 'locationId',
      message: expect.stringContaining('100'),
    });
    // At the bound, the request passes the schema and the store takes the id.
    const { view } = await ask('sender-view', { ...alice, locationId: 'L'.repeat(100) });
    expect(view.state).not.toBe('error');
  });

  it('refuses senders a request does not allow', async () => {
    expect(await refusal('sender-view', alice, extensionPage())).toMatchObject({
      code: 'forbidden',
    });
    expect(await refusal('page-status-get', { tabId: 7 })).toMatchObject({ code: 'forbidden' });
    expect(
      await refusal('audit', { ...alice, messageIds: [] }, contentScript({ frameId: 3 })),
    ).toMatchObject({
      code: 'forbidden',
    });
  });
});

describe('what a content script learns of a failure', () => {
  const WORDS = 'PROVIDER-WORDS-7f3a';
  const providerSays = (status: number) => {
    const base = highlevel.fetch;
    highlevelFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (/^\/contacts\//.test(url.pathname)) {
        return Response.json(
          { statusCode: status, message: `${WORDS} for ${url.pathname}` },
          { status },
        );
      }
      return base(input, init);
    }) as typeof fetch;
  };

  for (const status of [400, 401, 403, 500]) {
    it(`is a fixed sentence, never HighLevel's words (HTTP ${status})`, async () => {
      await syncSunrise(store);
      providerSays(status);
      // Lou is not in the synced data, so the view depends on HighLevel's answer.
      const reply = await ask('sender-view', { ...alice, contactId: 'ct-lou-new' });
      expect(reply.view.state).toBe('error');
      expect(reply.view.message).toMatch(/HighLevel|Sender Lens/);
      expect(JSON.stringify(reply)).not.toContain(WORDS);
    });
  }

  it('says a cached contact may be stale without quoting why', async () => {
    await syncSunrise(store);
    await ask('sender-view', alice);
    // Older than the cache's age limit: the fetch is tried again, and fails.
    await store.pruneContactCache(LOC, NOW + 1);
    await store.putCachedContact(
      LOC,
      { id: alice.contactId, phone: '+16285550101' },
      new Date(NOW - 86_400_000 * 2).toISOString(),
    );
    providerSays(403);
    const reply = await ask('sender-view', alice);
    expect(reply.view.warnings.join(' ')).toMatch(/may be out of date/);
    expect(JSON.stringify(reply)).not.toContain(WORDS);
  });
});

describe('what a tab may make the background fetch', () => {
  const contactRequests = () =>
    highlevel.requests.filter((r) => r.method === 'GET' && /^\/contacts\//.test(r.path)).length;
  const twilioLists = () => twilio.requests.filter((r) => /Messages\.json$/.test(r.path)).length;

  it('50 made-up contact ids cost at most the budget in HighLevel requests', async () => {
    await syncSunrise(store);
    const before = contactRequests();
    const views = [];
    for (let i = 0; i < 50; i++) {
      views.push((await ask('sender-view', { ...alice, contactId: `ct-made-up-${i}` })).view);
    }
    expect(contactRequests() - before).toBe(DEFAULT_LIMITS.contact.burst);
    expect(views.at(-1)?.message).toBe(OVER_BUDGET);
    // Another tab has a budget of its own.
    const other = await ask(
      'sender-view',
      { ...alice, contactId: 'ct-made-up-x' },
      contentScript({ tab: tab(8) }),
    );
    expect(other.view.message).not.toBe(OVER_BUDGET);
  });

  it('asks HighLevel once about a contact it says does not exist', async () => {
    await syncSunrise(store);
    const before = contactRequests();
    for (let i = 0; i < 5; i++) await ask('sender-view', { ...alice, contactId: 'ct-nobody' });
    expect(contactRequests() - before).toBe(1);
  });

  it('25 audits of made-up conversations cost at most the budget in Twilio requests', async () => {
    await syncSunrise(store);
    const before = twilioLists();
    let last: Record<string, { message?: string }> = {};
    for (let i = 0; i < 25; i++) {
      last = await ask('audit', { ...alice, conversationId: `conv-x-${i}`, messageIds: ['m1'] });
    }
    // Each conversation log lists the contact's messages to and from Twilio: two requests.
    expect(twilioLists() - before).toBe(2 * DEFAULT_LIMITS['conversation-log'].burst);
    expect(last.m1?.message).toBe(OVER_BUDGET);
  });
});

describe('TabBudgets', () => {
  it('refills over time, up to the burst, per tab and per kind', () => {
    let now = 0;
    const budgets = new TabBudgets(() => now, {
      contact: { burst: 2, perMinute: 6 },
      'conversation-log': { burst: 1, perMinute: 1 },
      'message-lookup': { burst: 1, perMinute: 1 },
      send: { burst: 1, perMinute: 1 },
    });
    expect([budgets.take(1, 'contact'), budgets.take(1, 'contact')]).toEqual([true, true]);
    expect(budgets.take(1, 'contact')).toBe(false);
    expect(budgets.take(1, 'conversation-log')).toBe(true);
    expect(budgets.take(2, 'contact')).toBe(true);
    now += 9_000; // 0.9 of a token
    expect(budgets.take(1, 'contact')).toBe(false);
    now += 1_000;
    expect(budgets.take(1, 'contact')).toBe(true);
    now += 10 * 60_000; // long quiet: back to the burst, no more
    expect([budgets.take(1, 'contact'), budgets.take(1, 'contact')]).toEqual([true, true]);
    expect(budgets.take(1, 'contact')).toBe(false);
  });
});

describe('resolve, for the extension’s pages', () => {
  const resolveRoute = () =>
    createMessageRouter(coreRequests, resolveHandlers(services()), {
      extensionId: EXTENSION_ID,
      extensionOrigin: EXTENSION_ORIGIN,
    });
  const send = { via: 'bulk', contactId: alice.contactId, fromNumber: N.recall } as const;

  it('resolves through the same contact index as the sender view', async () => {
    await syncSunrise(store);
    const reply = await resolveRoute()(
      { type: 'resolve', payload: { locationId: LOC, send } },
      extensionPage(),
    );
    expect(reply).toMatchObject({
      ok: true,
      value: { from: N.recall, rule: 'bulk-from-number', syncedAt: expect.any(String) },
    });
  });

  it('says to sync when nothing was synced', async () => {
    const reply = await resolveRoute()(
      { type: 'resolve', payload: { locationId: LOC, send } },
      extensionPage(),
    );
    expect(reply).toEqual({ ok: false, error: { code: 'handler-failed', message: NOT_SYNCED } });
  });
});

describe('sender-view', () => {
  it('says the sub-account is not synced yet', async () => {
    const { view, options } = await ask('sender-view', { ...alice, userId: 'usr-jane-doe' });
    expect(view.state).toBe('not-synced');
    expect(view.freshness).toBe('Never synced');
    expect(options).toEqual([]);
  });

  it('resolves from the store: number, rule word, options; no staff list when the page named the user', async () => {
    await syncSunrise(store);
    const answer = await ask('sender-view', { ...alice, userId: 'usr-jane-doe' });
    expect(answer.view).toMatchObject({
      state: 'sender',
      numberE164: N.jane,
      numberDisplay: '(415) 555-0102',
      ruleWord: 'your number',
      freshness: 'Synced just now',
    });
    expect(answer.options[0]).toMatchObject({
      e164: N.jane,
      tags: ['current', 'yours', 'channel'],
    });
    expect(answer.users).toBeUndefined();
  });

  it('offers "I am …" when the page did not say, and uses the choice afterwards', async () => {
    await syncSunrise(store);
    const before = await ask('sender-view', alice);
    expect(before.view.ruleWord).toBe('channel number');
    expect(before.users?.map((u) => u.id)).toContain('usr-raj-patel');

    expect(await ask('i-am', { locationId: LOC, userId: 'usr-raj-patel' })).toEqual({
      userId: 'usr-raj-patel',
    });
    expect(local.data.get(CHOSEN_USERS_KEY)).toEqual({ [LOC]: 'usr-raj-patel' });
    const after = await ask('sender-view', alice);
    expect(after.view).toMatchObject({ ruleWord: 'your number', numberE164: N.raj });
    // The choice can still be changed.
    expect(after.users).toBeDefined();
  });

  it('names the "I am …" choice on the view only when it stood in for the page', async () => {
    await syncSunrise(store);
    expect((await ask('sender-view', alice)).view.chosenUser).toBeUndefined();
    await ask('i-am', { locationId: LOC, userId: 'usr-raj-patel' });
    const chosen = await ask('sender-view', alice);
    expect(chosen.view.chosenUser).toBe(chosen.users?.find((u) => u.id === 'usr-raj-patel')?.name);
    expect(chosen.view.chosenUser).toMatch(/\S/);
    // The page said who is logged in: the choice is not used, so not named.
    const told = await ask('sender-view', { ...alice, userId: 'usr-vic-lowe' });
    expect(told.view.chosenUser).toBeUndefined();
  });

  it('lists and clears the "I am …" choices for the options page only', async () => {
    await syncSunrise(store);
    expect(await ask('i-am-list', {}, extensionPage())).toEqual([]);
    await ask('i-am', { locationId: LOC, userId: 'usr-raj-patel' });
    // A choice for a sub-account that is not synced (any more) is listed without a name.
    await local.set({
      [CHOSEN_USERS_KEY]: { ...(local.data.get(CHOSEN_USERS_KEY) as object), 'loc-gone': 'usr-x' },
    });
    const listed = await ask<{ locationId: string; userId: string; name: string | null }[]>(
      'i-am-list',
      {},
      extensionPage(),
    );
    expect(listed).toEqual([
      { locationId: LOC, userId: 'usr-raj-patel', name: expect.stringMatching(/\S/) },
      { locationId: 'loc-gone', userId: 'usr-x', name: null },
    ]);
    expect(await refusal('i-am-list', {})).toMatchObject({ code: 'forbidden' });
    expect(await refusal('i-am-clear', { locationId: LOC })).toMatchObject({
      code: 'forbidden',
    });

    await session.set({
      'sender-lens:page-status:7': {
        status: 'ok',
        locationId: LOC,
        at: new Date(NOW).toISOString(),
        origin: PAGE_ORIGIN,
      },
    });
    expect(await ask('i-am-clear', { locationId: LOC }, extensionPage())).toEqual([
      { locationId: 'loc-gone', userId: 'usr-x', name: null },
    ]);
    expect(local.data.get(CHOSEN_USERS_KEY)).toEqual({ 'loc-gone': 'usr-x' });
    await vi.waitFor(() =>
      expect(sent).toContainEqual({ tabId: 7, message: { type: 'data-changed', locationId: LOC } }),
    );
    const after = await ask('sender-view', alice);
    expect(after.view.chosenUser).toBeUndefined();
    expect(after.view.ruleWord).toBe('channel number');
    // Clearing what is not there is no error.
    expect(await ask('i-am-clear', { locationId: LOC }, extensionPage())).toHaveLength(1);
  });

  it('refuses "I am" for someone who is not staff', async () => {
    await syncSunrise(store);
    expect(await refusal('i-am', { locationId: LOC, userId: 'usr-nobody' })).toMatchObject({
      code: 'handler-failed',
      message: expect.stringContaining('My Staff'),
    });
  });

  it('asks HighLevel for the contact once, through the sync’s on-demand fetch', async () => {
    await syncSunrise(store);
    const lou = {
      locationId: LOC,
      conversationId: 'conv-lou',
      contactId: 'ct-lou-new',
      userId: 'usr-vic-lowe',
    };
    const first = await ask('sender-view', lou);
    expect(first.view).toMatchObject({ state: 'sender', ruleWord: 'default', numberE164: N.main });
    const reads = highlevel.requests.filter((r) => r.path.includes('ct-lou-new')).length;
    expect(reads).toBe(1);
    await ask('sender-view', lou);
    expect(highlevel.requests.filter((r) => r.path.includes('ct-lou-new')).length).toBe(reads);
  });

  it('explains a contact it cannot read when HighLevel is not connected', async () => {
    await syncSunrise(store);
    connected = false;
    const { view } = await ask('sender-view', { ...alice, contactId: 'ct-lou-new' });
    expect(view.state).toBe('error');
    expect(view.message).toContain('No HighLevel token is saved');
  });

  it('says when HighLevel has no such contact', async () => {
    await syncSunrise(store);
    const { view } = await ask('sender-view', { ...alice, contactId: 'ct-nobody' });
    expect(view).toMatchObject({
      state: 'error',
      message: 'HighLevel has no such contact in this sub-account.',
    });
  });

  it('shows an opted-out contact as blocked, with the number the rules would have used', async () => {
    await syncSunrise(store);
    const { view } = await ask('sender-view', {
      locationId: LOC,
      conversationId: 'conv-dev',
      contactId: 'ct-dev-shah',
      userId: 'usr-jane-doe',
    });
    expect(view).toMatchObject({ state: 'blocked', wouldHaveBeen: '(415) 555-0102 (Jane Doe)' });
    // The name is as HighLevel's contact record spells it (the fake, like the API, lower-cases it).
    expect(view.blockedReason).toMatch(/^Dev Shah texted "STOP" on 2026-04-11$/i);
  });
});

describe('pick', () => {
  it('records the pick, audits it, answers the new view and tells the other tabs of the sub-account', async () => {
    await syncSunrise(store);
    await session.set({
      'sender-lens:page-status:7': { status: 'ok', locationId: LOC, at: '', origin: PAGE_ORIGIN },
      'sender-lens:page-status:8': { status: 'ok', locationId: LOC, at: '', origin: PAGE_ORIGIN },
      'sender-lens:page-status:9': {
        status: 'ok',
        locationId: 'loc-other',
        at: '',
        origin: PAGE_ORIGIN,
      },
    });
    const answer = await ask('pick', { ...alice, userId: 'usr-jane-doe', number: N.recall });
    expect(answer.view).toMatchObject({ ruleWord: 'picked', numberE164: N.recall });
    expect(answer.options.find((o) => o.e164 === N.recall)?.tags).toContain('current');
    const log = await store.listAudit(LOC);
    expect(log[0]).toMatchObject({
      kind: 'pick',
      detail: { contactId: 'ct-alice-morgan', number: N.recall },
    });
    await vi.waitFor(() =>
      expect(sent).toEqual([{ tabId: 8, message: { type: 'data-changed', locationId: LOC } }]),
    );

    // The pick stays until a send supersedes it: the next view shows it too.
    const again = await ask('sender-view', { ...alice, userId: 'usr-jane-doe' });
    expect(again.view.ruleWord).toBe('picked');
  });

  it('drops the pick with null', async () => {
    await syncSunrise(store);
    await ask('pick', { ...alice, userId: 'usr-jane-doe', number: N.recall });
    const answer = await ask('pick', { ...alice, userId: 'usr-jane-doe', number: null });
    expect(answer.view.ruleWord).toBe('your number');
    expect((await store.listAudit(LOC))[0]?.summary).toBe(
      'Dropped the pick for contact ct-alice-morgan',
    );
  });

  for (const [what, number] of [
    ['a number the sub-account does not have', '+14155550199'],
    ['a removed number', N.removed],
  ] as const) {
    it(`refuses ${what}, and stores nothing`, async () => {
      await syncSunrise(store);
      const logBefore = await store.listAudit(LOC);
      expect(await refusal('pick', { ...alice, userId: 'usr-jane-doe', number })).toMatchObject({
        code: 'handler-failed',
        message: expect.stringMatching(/not one of this sub-account.s numbers/),
      });
      expect((await store.getContactDetails(LOC, alice.contactId))?.pendingPick ?? null).toBeNull();
      expect(await store.listAudit(LOC)).toEqual(logBefore);
      // The badge still works.
      expect((await ask('sender-view', alice)).view.state).toBe('sender');
    });
  }

  it('logs the user id as the page reported it', async () => {
    await syncSunrise(store);
    await ask('pick', { ...alice, userId: 'usr-made-up', number: N.recall });
    const [entry] = await store.listAudit(LOC, { limit: 1 });
    expect(entry?.detail).toMatchObject({ userIdFromPage: 'usr-made-up' });
    expect(entry?.detail).not.toHaveProperty('userId');
    expect(entry?.summary).toMatch(/usr-made-up, as reported by the page/);
  });

  it('blocks a voice-only pick instead of replacing it', async () => {
    await syncSunrise(store);
    const answer = await ask('pick', { ...alice, userId: 'usr-jane-doe', number: N.frontDesk });
    expect(answer.view).toMatchObject({
      state: 'blocked',
      blockedReason: 'Picked number (415) 555-0104 is voice-only',
    });
  });
});

describe('audit', () => {
  it('answers each message id with its Twilio match', async () => {
    await syncSunrise(store);
    const views = await ask<Record<string, { state: string; numberDisplay?: string }>>('audit', {
      ...alice,
      messageIds: ['msg-alice-1', 'msg-alice-2'],
    });
    expect(views['msg-alice-1']).toMatchObject({ state: 'exact', numberDisplay: '(415) 555-0102' });
    expect(views['msg-alice-2']).toMatchObject({ state: 'exact' });
  });

  it('answers ids that are names of Object members too', async () => {
    await syncSunrise(store);
    const ids = ['__proto__', 'constructor', 'msg-alice-1'];
    const views = await ask<Record<string, { state: string }>>('audit', {
      ...alice,
      messageIds: ids,
    });
    expect(Object.keys(views).sort()).toEqual([...ids].sort());
    expect(Object.getOwnPropertyDescriptor(views, '__proto__')?.value).toMatchObject({
      state: 'unmatched',
    });
    // The answer crosses to the tab as a structured clone; the ids survive it.
    expect(Object.keys(structuredClone(views)).sort()).toEqual([...ids].sort());
  });

  it('answers every id with the reason when nothing is connected', async () => {
    await syncSunrise(store);
    connected = false;
    const views = await ask<Record<string, { state: string; message?: string }>>('audit', {
      ...alice,
      messageIds: ['msg-alice-1', 'msg-alice-2'],
    });
    expect(Object.values(views)).toEqual([
      expect.objectContaining({
        state: 'error',
        message: expect.stringContaining('Connect HighLevel'),
      }),
      expect.objectContaining({
        state: 'error',
        message: expect.stringContaining('Connect HighLevel'),
      }),
    ]);
  });
});

describe('page status', () => {
  const report = {
    status: 'unrecognised',
    missing: ['sendButton'],
    locationId: LOC,
    conversationId: 'conv-alice',
  };

  it('keeps what a tab reported for the popup', async () => {
    expect(await ask('page-status', report)).toEqual({ recorded: true });
    const status = await ask('page-status-get', { tabId: 7 }, extensionPage());
    expect(status).toEqual({ ...report, at: new Date(NOW).toISOString(), origin: PAGE_ORIGIN });
    expect(await ask('page-status-get', { tabId: 99 }, extensionPage())).toBeNull();
  });

  it('keeps where a recognised page read the contact id, and refuses a source it does not know', async () => {
    const ok = { status: 'ok', locationId: LOC, conversationId: 'conv-alice' };
    const fromCard = { ...ok, contactIdFrom: 'activeConversationCard' };
    expect(await ask('page-status', fromCard)).toEqual({ recorded: true });
    expect(await ask('page-status-get', { tabId: 7 }, extensionPage())).toMatchObject(fromCard);
    expect(await refusal('page-status', { ...ok, contactIdFrom: 'the url' })).toMatchObject({
      path: 'contactIdFrom',
    });
  });

  it('forgets it once the tab shows another site', async () => {
    await ask('page-status', report, contentScript({ tab: tab(7) }));
    tabUrls.set(7, 'https://example.com/');
    expect(await ask('page-status-get', { tabId: 7 }, extensionPage())).toBeNull();
    tabUrls.delete(7);
    expect(await ask('page-status-get', { tabId: 7 }, extensionPage())).toBeNull();
  });
});

describe('notifyDataChanged', () => {
  it('messages only the tabs showing that sub-account, skipping tabs that went away', async () => {
    await session.set({
      'sender-lens:page-status:1': { status: 'ok', locationId: LOC },
      'sender-lens:page-status:2': { status: 'ok', locationId: LOC },
      'sender-lens:page-status:3': { status: 'no-conversation', locationId: 'loc-b' },
      unrelated: { locationId: LOC },
    });
    const reached: number[] = [];
    await notifyDataChanged(LOC, {
      session: session as never,
      sendToTab: async (tabId) => {
        if (tabId === 2) throw new Error('Could not establish connection');
        reached.push(tabId);
      },
    });
    expect(reached).toEqual([1]);
  });
});
