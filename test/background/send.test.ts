import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { CHOSEN_USERS_KEY } from '../../lib/background/chosen-users';
import { conversationHandlers } from '../../lib/background/conversation';
import { sendHandlers } from '../../lib/background/send';
import { createSendService, SEND_SETTINGS_KEY } from '../../lib/background/send-service';
import type { BackgroundServices } from '../../lib/background/services';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import type { Reply } from '../../lib/messaging/protocol';
import {
  conversationRequests,
  type SenderViewResponse,
} from '../../lib/messaging/requests/conversation';
import { sendRequests } from '../../lib/messaging/requests/send';
import type { SendView } from '../../lib/messaging/send-views';
import type { TabMessage } from '../../lib/messaging/tab';
import { createContactFetcher } from '../../lib/sync';
import { expectNoViolations } from '../fakes';
import { contentScript, EXTENSION_ID, EXTENSION_ORIGIN, extensionPage } from '../messaging/senders';
import { makeWorld, type World } from '../sync/setup';
import { memoryArea } from './memory-area';

let world: World;
let route: MessageListener;
let local: Map<string, unknown>;
let told: { tabId: number; message: TabMessage }[];
let services: BackgroundServices;
let send: ReturnType<typeof createSendService>;

beforeEach(async () => {
  world = await makeWorld();
  await world.sync();
  local = new Map();
  told = [];
  const session = new Map<string, unknown>([
    [
      'sender-lens:page-status:7',
      {
        status: 'ok',
        locationId: world.seeded.locationId,
        conversationId: world.seeded.conversations.alice,
        at: '',
        origin: '',
      },
    ],
  ]);
  const base = world.services();
  services = {
    ...base,
    sync: {
      run: () => Promise.reject(new Error('not here')),
      status: () => Promise.reject(new Error('not here')),
      runScheduled: () => Promise.reject(new Error('not here')),
      ensureContact: createContactFetcher({
        store: world.store,
        highlevel: base.highlevel,
        now: base.now,
      }),
    },
  };
  send = createSendService(services, {
    local: memoryArea(local) as never,
    session: memoryArea(session) as never,
    sendToTab: async (tabId, message) => {
      told.push({ tabId, message });
    },
    notifyAfterMs: 0,
  });
  route = createMessageRouter(
    { ...conversationRequests, ...sendRequests },
    {
      ...conversationHandlers(services, {
        local: memoryArea(local) as never,
        session: memoryArea(session) as never,
        send,
      }),
      ...sendHandlers(services, send, { local: memoryArea(local) as never }),
    },
    { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN },
  );
});

async function reply<T>(
  type: string,
  payload: unknown,
  sender = contentScript(),
): Promise<Reply<T>> {
  return (await route({ type, payload }, sender)) as Reply<T>;
}
async function ask<T>(type: string, payload: unknown, sender = contentScript()): Promise<T> {
  const r = await reply<T>(type, payload, sender);
  if (!r.ok) throw new Error(`${type}: ${r.error.message}`);
  return r.value;
}

function alice(extra: Record<string, unknown> = {}) {
  return {
    locationId: world.seeded.locationId,
    conversationId: world.seeded.conversations.alice as string,
    contactId: world.seeded.contacts.alice,
    userId: world.seeded.users.jane,
    ...extra,
  };
}

const createdTo = (to: string) => world.twilio.createdMessages().filter((m) => m.to === to);

async function settle(): Promise<void> {
  await send.outbox.runDue();
}

describe('send', () => {
  it('sends from the number the badge shows, once per key, and learns from it', async () => {
    const before = await ask<SenderViewResponse>('sender-view', alice());
    expect(before.send).toEqual({ route: 'twilio' });
    const view = await ask<SendView>('send', {
      ...alice(),
      key: 'key-000001',
      body: 'See you at 3pm',
    });
    expect(view).toMatchObject({
      state: 'queued',
      fromE164: before.view.numberE164,
      body: 'See you at 3pm',
      canSendAgain: false,
    });
    // A double click: the same key answers the same send.
    await ask('send', { ...alice(), key: 'key-000001', body: 'See you at 3pm' });
    await settle();
    const sent = createdTo('+16285550121').filter((m) => m.body === 'See you at 3pm');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.from).toBe(before.view.numberE164);
    const sends = await ask<SendView[]>('conversation-sends', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
    });
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({
      state: 'sent',
      providerId: sent[0]?.sid,
      fromDisplay: '(415) 555-0102',
    });
    expect(told.some((t) => t.tabId === 7 && t.message.type === 'sends-changed')).toBe(true);
    expectNoViolations(world.twilio);
  });

  it('a send with a pick makes it the last manual pick at once', async () => {
    await ask('pick', { ...alice(), number: '+14155550105' });
    await ask<SendView>('send', { ...alice(), key: 'key-000002', body: 'From hygiene' });
    await settle();
    expect(createdTo('+16285550121').find((m) => m.body === 'From hygiene')?.from).toBe(
      '+14155550105',
    );
    const after = await ask<SenderViewResponse>('sender-view', alice());
    expect(after.view).toMatchObject({ numberE164: '+14155550105', ruleWord: 'last pick' });
  });

  it('refuses in words before the wire: empty, too long, opted out, no credentials', async () => {
    const count = world.twilio.createdMessages().length;
    const empty = await reply('send', { ...alice(), key: 'key-000003', body: '  ' });
    expect(empty).toMatchObject({
      ok: false,
      error: { message: 'Type a message first: there is nothing to send.' },
    });
    const long = await reply('send', { ...alice(), key: 'key-000004', body: 'x'.repeat(1612) });
    expect(long).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('12 characters too long') },
    });
    const erin = {
      ...alice(),
      contactId: world.seeded.contacts.erin,
      key: 'key-000005',
      body: 'hi',
    };
    expect(await reply('send', erin)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('opted out') },
    });
    expect(world.twilio.createdMessages().length).toBe(count);
  });

  it('stops sending to a pair Twilio answered 21610 for, and says so on the badge', async () => {
    world.twilio.addMessage({
      from: '+16285550121',
      to: '+14155550102',
      body: 'STOP',
      direction: 'inbound',
      dateSent: new Date(world.clock.now - 1000),
    });
    const first = await ask<SendView>('send', {
      ...alice(),
      key: 'key-000006',
      body: 'Are you there?',
    });
    await settle();
    const [failed] = await ask<SendView[]>('conversation-sends', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
    });
    expect(failed).toMatchObject({ id: first.id, state: 'failed', errorCode: 21610, tone: 'bad' });
    expect(failed?.advice).toContain('replied STOP');
    const view = await ask<SenderViewResponse>('sender-view', alice());
    expect(view.send?.refusal).toContain('replied STOP');
    expect(view.view.warnings).toContain(view.send?.refusal);
    expect(await reply('send', { ...alice(), key: 'key-000007', body: 'again?' })).toMatchObject({
      ok: false,
    });
  });

  it('sends through HighLevel when the sub-account is set to, from exactly the number shown', async () => {
    await ask(
      'send-settings-set',
      { routes: { [alice().locationId]: 'highlevel' } },
      extensionPage(),
    );
    const view = await ask<SendView>('send', {
      ...alice(),
      key: 'key-000008',
      body: 'Via HighLevel',
    });
    expect(view.route).toBe('highlevel');
    await settle();
    const [row] = await ask<SendView[]>('conversation-sends', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
    });
    expect(row).toMatchObject({ route: 'highlevel', state: 'sent' });
    const message = await world.highlevelClient().getMessage(row?.providerId as string);
    expect(message).toMatchObject({ body: 'Via HighLevel', direction: 'outbound' });
    expect(createdTo('+16285550121').some((m) => m.body === 'Via HighLevel')).toBe(false);
    // When the page shows HighLevel's row of it, its audit chip comes from the outbox.
    const audit = await ask<
      Record<string, { state: string; numberDisplay?: string; message?: string }>
    >('audit', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
      contactId: alice().contactId,
      messageIds: [row?.providerId as string],
    });
    expect(audit[row?.providerId as string]).toMatchObject({
      state: 'exact',
      numberDisplay: '(415) 555-0102',
      message: expect.stringContaining('Sent with Sender Lens via HighLevel'),
    });
    expectNoViolations(world.highlevel);
  });

  it('keeps the log, leaves bodies out when asked, and exports CSV', async () => {
    await ask('send-settings-set', { omitBodies: true }, extensionPage());
    expect(local.get(SEND_SETTINGS_KEY)).toMatchObject({ omitBodies: true });
    await ask('send', { ...alice(), key: 'key-000009', body: 'secret plans' });
    await settle();
    for (const m of createdTo('+16285550121')) world.twilio.setMessageStatus(m.sid, 'delivered');
    world.clock.now += 60_000;
    await settle();
    const page = await ask<{
      entries: { body: string; bodyOmitted: boolean; state: string; ruleLabel: string }[];
    }>('send-log', {}, extensionPage());
    expect(page.entries[0]).toMatchObject({
      state: 'delivered',
      body: '',
      bodyOmitted: true,
      ruleLabel: 'Your number',
      userId: world.seeded.users.jane,
      userIdFrom: 'page',
    });
    const csv = await ask<{ csv: string; rows: number }>('send-log-csv', {}, extensionPage());
    expect(csv.rows).toBe(1);
    expect(csv.csv.split('\r\n')[0]).toContain('created_at,sub_account');
    expect(csv.csv).not.toContain('secret plans');
    expect(csv.csv).toContain('+14155550102');
  });

  it('says in the log when the sender was the agent’s "I am …" choice', async () => {
    local.set(CHOSEN_USERS_KEY, { [alice().locationId]: world.seeded.users.raj });
    const { userId: _page, ...asNobody } = alice();
    await ask('send', { ...asNobody, key: 'key-000011', body: 'as Raj' });
    const page = await ask<{ entries: { body: string; userId?: string; userIdFrom?: string }[] }>(
      'send-log',
      {},
      extensionPage(),
    );
    expect(page.entries.find((e) => e.body === 'as Raj')).toMatchObject({
      userId: world.seeded.users.raj,
      userIdFrom: 'i-am',
    });
    const csv = await ask<{ csv: string }>('send-log-csv', {}, extensionPage());
    expect(csv.csv.split('\r\n')[0]).toContain('user_id,user_from');
    expect(csv.csv).toContain(`${world.seeded.users.raj},i am`);
  });

  it('answers the log only to extension pages and sends only for content scripts', async () => {
    expect(await reply('send-log', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await reply('send', { ...alice(), key: 'key-000010', body: 'x' }, extensionPage()),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await reply('send', { ...alice(), key: 'short', body: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', path: 'key' },
    });
  });
});

describe('the send log', () => {
  it('pages through sends made in the same millisecond without skipping or repeating one', async () => {
    for (let i = 0; i < 7; i++) {
      await services.store.outbox.add({
        id: `same-ms-${i}`,
        locationId: alice().locationId,
        conversationId: alice().conversationId,
        contactId: alice().contactId,
        route: 'twilio',
        from: '+14155550102',
        to: '+16285550121',
        body: `tie ${i}`,
        mediaUrls: [],
        rule: 'user-number',
        trace: [],
        picked: false,
        createdMs: 1_000,
      });
    }
    const seen: string[] = [];
    let before: { beforeMs?: number; beforeId?: string } = {};
    for (let page = 0; page < 10; page++) {
      const answer = await ask<{
        entries: { id: string }[];
        nextBeforeMs?: number;
        nextBeforeId?: string;
      }>('send-log', { limit: 3, ...before }, extensionPage());
      seen.push(...answer.entries.map((e) => e.id));
      if (answer.nextBeforeMs === undefined) break;
      before = { beforeMs: answer.nextBeforeMs, beforeId: answer.nextBeforeId as string };
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `same-ms-${i}`));
  });
});
