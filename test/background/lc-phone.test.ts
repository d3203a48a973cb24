// A sub-account on LC Phone, HighLevel's own phone system: no Twilio account of the
// customer's. It syncs from HighLevel alone, the badge still names a sender and says
// which facts are missing, sends go through HighLevel, and audit chips show what
// HighLevel's record carries, marked as such.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { conversationHandlers } from '../../lib/background/conversation';
import { sendHandlers } from '../../lib/background/send';
import { createSendService } from '../../lib/background/send-service';
import { createSyncService } from '../../lib/background/sync';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import type { Reply } from '../../lib/messaging/protocol';
import {
  type AuditResponse,
  conversationRequests,
  type SenderViewResponse,
} from '../../lib/messaging/requests/conversation';
import { sendRequests } from '../../lib/messaging/requests/send';
import type { SendView } from '../../lib/messaging/send-views';
import { LC_PHONE_MISSING } from '../../lib/messaging/views';
import { expectNoViolations } from '../fakes';
import { contentScript, EXTENSION_ID, EXTENSION_ORIGIN } from '../messaging/senders';
import { makeWorld, type World } from '../sync/setup';
import { memoryArea } from './memory-area';

let world: World;
let route: MessageListener;
let send: ReturnType<typeof createSendService>;

beforeEach(async () => {
  world = await makeWorld();
  const requestsBefore = world.twilio.requests.length;
  await world.store.setLocationSettings(world.seeded.locationId, { lcPhone: true });
  const base = world.services();
  const services = {
    ...base,
    // As create-services does for a sub-account on LC Phone: no Twilio client.
    twilio: async (locationId?: string) => {
      return locationId === world.seeded.locationId ? null : base.twilio();
    },
  };
  const sync = createSyncService(services);
  const status = await sync.run(world.seeded.locationId, 'full');
  expect(status.lastError).toBeNull();
  // Nothing of Twilio was read for it.
  expect(world.twilio.requests.length).toBe(requestsBefore);
  const local = memoryArea();
  const session = memoryArea();
  send = createSendService(
    { ...services, sync },
    {
      local: local as never,
      session: session as never,
      sendToTab: async () => undefined,
      notifyAfterMs: 0,
    },
  );
  route = createMessageRouter(
    { ...conversationRequests, ...sendRequests },
    {
      ...conversationHandlers(
        { ...services, sync },
        { local: local as never, session: session as never, send },
      ),
      ...sendHandlers({ ...services, sync }, send, { local: local as never }),
    },
    { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN },
  );
});

async function ask<T>(type: string, payload: unknown): Promise<T> {
  const reply = (await route({ type, payload }, contentScript())) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error.message}`);
  return reply.value;
}

const alice = () => ({
  locationId: world.seeded.locationId,
  conversationId: world.seeded.conversations.alice as string,
  contactId: world.seeded.contacts.alice,
});

describe('a sub-account on LC Phone', () => {
  it('syncs from HighLevel alone and still names the sender, saying which facts are missing', async () => {
    const { view, send } = await ask<SenderViewResponse>('sender-view', {
      ...alice(),
      userId: world.seeded.users.jane,
    });
    expect(view).toMatchObject({
      state: 'sender',
      numberE164: '+14155550102',
      ruleWord: 'your number',
    });
    expect(view.warnings).toContain(LC_PHONE_MISSING);
    // HighLevel's API is its only route.
    expect(send).toEqual({ route: 'highlevel' });
    // Without Jane, no channel number is known: the default outbound number.
    const vic = await ask<SenderViewResponse>('sender-view', {
      ...alice(),
      userId: world.seeded.users.vic,
    });
    expect(vic.view).toMatchObject({ state: 'sender', numberE164: '+14155550101' });
  });

  it('sends through HighLevel from the number shown', async () => {
    const sent = await ask<SendView>('send', {
      ...alice(),
      userId: world.seeded.users.jane,
      key: 'lc-phone-0001',
      body: 'Hello from LC Phone',
    });
    expect(sent.route).toBe('highlevel');
    await send.outbox.runDue();
    const [row] = await ask<SendView[]>('conversation-sends', {
      locationId: alice().locationId,
      conversationId: alice().conversationId,
    });
    expect(row).toMatchObject({ state: 'sent', route: 'highlevel', fromE164: '+14155550102' });
    expectNoViolations(world.highlevel);
  });

  it('shows on each audit chip what HighLevel’s record carries, marked as such', async () => {
    const messageIds = ['msg-alice-1', 'msg-alice-2'];
    const audit = await ask<AuditResponse>('audit', { ...alice(), messageIds });
    for (const id of messageIds) {
      expect(audit[id]).toMatchObject({
        state: 'inferred',
        message: expect.stringContaining('LC Phone has no Twilio log'),
      });
    }
  });
});
