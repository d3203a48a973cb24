/**
 * A sub-account whose Twilio side is a subaccount of the agency's main
 * account: the badge's send readiness, the send itself and the audit all go
 * through that subaccount, and an API key of the main account is refused up
 * front with one fixed sentence wherever the content script would see it.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { conversationHandlers } from '../../lib/background/conversation';
import { plainSentence } from '../../lib/background/plain-errors';
import { sendHandlers } from '../../lib/background/send';
import { createSendService } from '../../lib/background/send-service';
import type { BackgroundServices } from '../../lib/background/services';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import type { Reply } from '../../lib/messaging/protocol';
import {
  conversationRequests,
  type SenderViewResponse,
} from '../../lib/messaging/requests/conversation';
import { sendRequests } from '../../lib/messaging/requests/send';
import type { SendView } from '../../lib/messaging/send-views';
import type { AuditView } from '../../lib/messaging/views';
import { Secret } from '../../lib/secrets';
import { createContactFetcher } from '../../lib/sync';
import { SUBACCOUNT_KEY_REFUSAL, SubaccountKeyError } from '../../lib/twilio';
import { expectNoViolations, type FakeTwilioAccount } from '../fakes';
import { contentScript, EXTENSION_ID, EXTENSION_ORIGIN } from '../messaging/senders';
import { makeWorld, type World } from '../sync/setup';
import { memoryArea } from './memory-area';

let world: World;
let sub: FakeTwilioAccount;
let route: MessageListener;
let send: ReturnType<typeof createSendService>;

beforeEach(async () => {
  world = await makeWorld({ twilioSubaccount: true });
  sub = world.subaccount as FakeTwilioAccount;
  await world.sync({ twilio: () => world.services().twilio(world.seeded.locationId) });
  const local = memoryArea(new Map());
  const session = memoryArea(new Map());
  const base = world.services();
  const services: BackgroundServices = {
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
    local: local as never,
    session: session as never,
    sendToTab: async () => {},
    notifyAfterMs: 0,
  });
  route = createMessageRouter(
    { ...conversationRequests, ...sendRequests },
    {
      // The audit is the worker's own: built from the services, per sub-account.
      ...conversationHandlers(services, { local: local as never, session: session as never, send }),
      ...sendHandlers(services, send, { local: local as never }),
    },
    { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN },
  );
});

async function reply<T>(type: string, payload: unknown): Promise<Reply<T>> {
  return (await route({ type, payload }, contentScript())) as Reply<T>;
}

async function ask<T>(type: string, payload: unknown): Promise<T> {
  const r = await reply<T>(type, payload);
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

function mainAccountKey() {
  world.credentials.twilio = {
    kind: 'api-key',
    accountSid: world.twilio.accountSid,
    apiKeySid: `SK${'1'.repeat(32)}`,
    apiKeySecret: new Secret('mainAccountKeySecret0123456789ab'),
  };
}

const auditOf = (messageIds: string[]) =>
  ask<Record<string, AuditView>>('audit', {
    locationId: world.seeded.locationId,
    conversationId: world.seeded.conversations.alice,
    contactId: world.seeded.contacts.alice,
    messageIds,
  });

describe('a sub-account on a Twilio subaccount', () => {
  it('sends through the subaccount and follows the message there', async () => {
    const before = await ask<SenderViewResponse>('sender-view', alice());
    expect(before.send).toEqual({ route: 'twilio' });
    await ask<SendView>('send', { ...alice(), key: 'key-sub-01', body: 'From the subaccount' });
    await send.outbox.runDue();
    const sent = sub.createdMessages().filter((m) => m.body === 'From the subaccount');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.from).toBe(before.view.numberE164);
    expect(world.twilio.createdMessages().some((m) => m.body === 'From the subaccount')).toBe(
      false,
    );
    const sends = await ask<SendView[]>('conversation-sends', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
    });
    expect(sends[0]).toMatchObject({ state: 'sent', providerId: sent[0]?.sid });
    expectNoViolations(world.twilio);
  });

  it("audits the conversation against the subaccount's log", async () => {
    const audited = await auditOf(['msg-alice-1', 'msg-alice-2']);
    expect(audited['msg-alice-1']).toMatchObject({ state: 'exact', numberName: 'Jane Doe' });
    expect(audited['msg-alice-2']).toMatchObject({ state: 'exact', direction: 'inbound' });
    const paths = world.twilio.requests.map((r) => r.path).filter((p) => p.includes('/Messages'));
    expect(paths.every((p) => p.startsWith(`/2010-04-01/Accounts/${sub.accountSid}/`))).toBe(true);
    expectNoViolations(world.twilio);
  });

  it('with an API key of the main account, says the fixed sentence on the badge, the send and the audit', async () => {
    mainAccountKey();
    const asked = world.twilio.requests.length;
    const view = await ask<SenderViewResponse>('sender-view', alice());
    expect(view.send).toEqual({ route: 'twilio', refusal: SUBACCOUNT_KEY_REFUSAL });
    expect(view.view.warnings).toContain(SUBACCOUNT_KEY_REFUSAL);
    const refused = await reply('send', { ...alice(), key: 'key-sub-02', body: 'Hello' });
    expect(refused).toMatchObject({ ok: false, error: { message: SUBACCOUNT_KEY_REFUSAL } });
    const audited = await auditOf(['msg-alice-1']);
    expect(audited['msg-alice-1']).toMatchObject({
      state: 'error',
      message: SUBACCOUNT_KEY_REFUSAL,
    });
    expect(world.twilio.requests.length).toBe(asked);
  });

  it('fails a send queued before the key was saved, with the same sentence, asking Twilio nothing', async () => {
    // Queued while the Auth Token was saved, sent after the API key replaced it.
    await ask<SendView>('send', { ...alice(), key: 'key-sub-03', body: 'Queued earlier' });
    mainAccountKey();
    const asked = world.twilio.requests.length;
    await send.outbox.runDue();
    const sends = await ask<SendView[]>('conversation-sends', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
    });
    // The page sees the fixed failure wording; the send log keeps the sentence.
    expect(sends[0]).toMatchObject({
      state: 'failed',
      statusText: 'Failed: the provider refused it',
    });
    expect((await world.store.outbox.get('key-sub-03'))?.errorText).toBe(SUBACCOUNT_KEY_REFUSAL);
    expect(world.twilio.requests.length).toBe(asked);
  });

  it("words the refusal the same wherever an error becomes a content script's sentence", () => {
    expect(plainSentence(new SubaccountKeyError())).toBe(SUBACCOUNT_KEY_REFUSAL);
  });
});
