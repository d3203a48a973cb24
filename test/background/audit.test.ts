import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuditService,
  AuditUnavailable,
  buildAuditView,
  explainErrorCode,
  formatPrice,
  INFERRED_WINDOW_MS,
  matchMessages,
  statusTone,
} from '../../lib/background/audit';
import { HighLevelClient, type HighLevelMessage } from '../../lib/highlevel';
import { buildIndex, isIndex, type RulesIndex } from '../../lib/rules';
import { TwilioClient, type TwilioMessage } from '../../lib/twilio';
import {
  createFakeHighLevel,
  createFakeTwilio,
  expectNoViolations,
  type FakeHighLevel,
  type FakeTwilio,
  type SeededSubAccount,
  seedBelievableSubAccount,
} from '../fakes';
import { N, sunrise } from './conversation.fixtures';

const T = Date.parse('2026-05-20T10:00:00Z');
const CONTACT = '+16285550121';

function hl(over: Partial<HighLevelMessage> & { id: string }): HighLevelMessage {
  const at = new Date(T);
  return {
    direction: 'outbound',
    body: 'See you Tuesday',
    dateAdded: { text: at.toISOString(), date: at },
    messageType: 'TYPE_SMS',
    ...over,
  };
}

let sidCounter = 0;
function tw(over: Partial<TwilioMessage> & { at?: number } = {}): TwilioMessage {
  const { at = T, ...rest } = over;
  sidCounter += 1;
  const date = new Date(at);
  return {
    sid: `SM${sidCounter.toString(16).padStart(32, '0')}`,
    from: N.jane,
    to: CONTACT,
    body: 'See you Tuesday',
    direction: 'outbound-api',
    status: 'delivered',
    errorCode: null,
    errorMessage: null,
    numSegments: 1,
    numMedia: 0,
    price: '-0.00790',
    priceUnit: 'USD',
    messagingServiceSid: null,
    dateSent: { text: date.toUTCString(), date },
    dateCreated: { text: date.toUTCString(), date },
    dateUpdated: { text: date.toUTCString(), date },
    ...rest,
  };
}

function sunriseIndex(): RulesIndex {
  const index = buildIndex(sunrise());
  if (!isIndex(index)) throw new Error(index.message);
  return index;
}

describe('matchMessages', () => {
  it('matches exactly by the SID in altId, whatever the text or time', () => {
    const twilio = tw({ body: 'something else', at: T + 3_600_000 });
    const matches = matchMessages([hl({ id: 'm1', altId: twilio.sid })], [twilio]);
    expect(matches.get('m1')).toEqual({ kind: 'exact', twilio });
  });

  it('infers a match by direction, the same text and a time within two minutes', () => {
    const near = tw({ at: T + 90_000, body: '  See you\nTuesday ' });
    const matches = matchMessages([hl({ id: 'm1' })], [near]);
    expect(matches.get('m1')).toEqual({ kind: 'inferred', twilio: near });
  });

  it('does not infer across directions, texts or more than two minutes', () => {
    const inbound = tw({ direction: 'inbound', from: CONTACT, to: N.jane });
    const otherText = tw({ body: 'See you Wednesday' });
    const late = tw({ at: T + INFERRED_WINDOW_MS + 1000 });
    const matches = matchMessages([hl({ id: 'm1' })], [inbound, otherText, late]);
    expect(matches.has('m1')).toBe(false);
  });

  it('takes the closest candidate, and never one Twilio message twice', () => {
    const far = tw({ at: T + 100_000 });
    const close = tw({ at: T + 10_000 });
    const exact = tw({ at: T });
    const matches = matchMessages(
      [hl({ id: 'exact', altId: exact.sid }), hl({ id: 'm1' }), hl({ id: 'm2' })],
      [far, close, exact],
    );
    expect(matches.get('exact')?.twilio).toBe(exact);
    expect(matches.get('m1')?.twilio).toBe(close);
    expect(matches.get('m2')?.twilio).toBe(far);
  });
});

describe('buildAuditView', () => {
  const index = sunriseIndex();

  it('shows an exact outbound match with the number, its name, status and details', () => {
    const twilio = tw({ numSegments: 2 });
    const view = buildAuditView(
      hl({ id: 'm1', altId: twilio.sid }),
      { kind: 'exact', twilio },
      { index },
    );
    expect(view).toMatchObject({
      state: 'exact',
      direction: 'outbound',
      numberDisplay: '(415) 555-0102',
      numberName: 'Jane Doe',
      status: 'delivered',
      tone: 'ok',
      details: {
        sid: twilio.sid,
        status: 'delivered',
        segments: 2,
        price: '$0.0079',
        from: '(415) 555-0102',
        to: '(628) 555-0121',
      },
    });
    expect(view.warning).toBeUndefined();
    expect(view.details?.sentAt).toMatch(/2026/);
  });

  it('uses the receiving number for inbound messages and marks inferred ones', () => {
    const twilio = tw({ direction: 'inbound', from: CONTACT, to: N.hygiene, status: 'received' });
    const view = buildAuditView(
      hl({ id: 'm1', direction: 'inbound' }),
      { kind: 'inferred', twilio },
      { index },
    );
    expect(view).toMatchObject({
      state: 'inferred',
      direction: 'inbound',
      numberDisplay: '(415) 555-0105',
      numberName: 'Hygiene',
      tone: 'ok',
    });
  });

  it('warns about a released number', () => {
    const sent = tw({ from: N.removed });
    expect(
      buildAuditView(hl({ id: 'm1' }), { kind: 'exact', twilio: sent }, { index }).warning,
    ).toBe('Sent from a released number');
    const received = tw({ direction: 'inbound', from: CONTACT, to: N.removed });
    expect(
      buildAuditView(
        hl({ id: 'm2', direction: 'inbound' }),
        { kind: 'exact', twilio: received },
        { index },
      ).warning,
    ).toBe('Received on a released number');
  });

  it("warns when a staff member's message went out from another number than theirs", () => {
    const twilio = tw({ from: N.main });
    const view = buildAuditView(
      hl({ id: 'm1', userId: 'usr-jane-doe' }),
      { kind: 'exact', twilio },
      { index },
    );
    expect(view.warning).toBe("Not Jane Doe's number");
    // From their own number: nothing to say.
    const own = buildAuditView(
      hl({ id: 'm2', userId: 'usr-jane-doe' }),
      { kind: 'exact', twilio: tw() },
      { index },
    );
    expect(own.warning).toBeUndefined();
    // A voice-only assigned number cannot send, so another number is what the rules expect.
    const maria = buildAuditView(
      hl({ id: 'm3', userId: 'usr-maria-chen' }),
      { kind: 'exact', twilio },
      { index },
    );
    expect(maria.warning).toBeUndefined();
  });

  it('explains the error code in plain words', () => {
    const twilio = tw({ status: 'undelivered', errorCode: 30007 });
    const view = buildAuditView(hl({ id: 'm1' }), { kind: 'exact', twilio }, { index });
    expect(view.tone).toBe('bad');
    expect(view.details?.errorCode).toBe(30007);
    expect(view.details?.errorText).toBe(explainErrorCode(30007));
    expect(view.details?.errorText).toMatch(/^[A-Z].+\. .+/);
  });

  it('leaves an unknown error code without text rather than guessing', () => {
    const twilio = tw({ status: 'failed', errorCode: 39999 });
    const view = buildAuditView(hl({ id: 'm1' }), { kind: 'exact', twilio }, { index });
    expect(view.details?.errorCode).toBe(39999);
    expect(view.details?.errorText).toBeUndefined();
  });

  it('says when nothing matched, and when the message is not an SMS', () => {
    expect(buildAuditView(hl({ id: 'm1' }), undefined, { index })).toMatchObject({
      state: 'unmatched',
      message: 'No Twilio match',
      tone: 'neutral',
    });
    expect(
      buildAuditView(hl({ id: 'm2', messageType: 'TYPE_EMAIL' }), undefined, { index }).message,
    ).toBe('Not an SMS');
  });
});

describe('formatting', () => {
  it('words prices', () => {
    expect(formatPrice('-0.00790', 'USD')).toBe('$0.0079');
    expect(formatPrice('-0.01000', 'USD')).toBe('$0.01');
    expect(formatPrice('0.5', 'eur')).toBe('0.50 EUR');
    expect(formatPrice(null, 'USD')).toBeUndefined();
    expect(formatPrice('abc', 'USD')).toBeUndefined();
  });

  it('gives statuses a tone', () => {
    expect(statusTone('delivered')).toBe('ok');
    expect(statusTone('sent')).toBe('pending');
    expect(statusTone('undelivered')).toBe('bad');
    expect(statusTone('partially_delivered')).toBe('neutral');
  });
});

describe('AuditService against the contract fakes', () => {
  let twilio: FakeTwilio;
  let highlevel: FakeHighLevel;
  let seeded: SeededSubAccount;
  let now: number;
  const fast = { sleep: async () => {}, random: () => 0, maxRetries: 0 };

  const START = Date.parse('2026-05-26T16:00:00Z');

  // One seeding for the whole block (loading the specs is the slow part); each test
  // adds only messages of its own and gets a fresh service, so a fresh cache.
  beforeAll(async () => {
    [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
    seeded = seedBelievableSubAccount(twilio, highlevel, { now: new Date(START) });
  });

  beforeEach(() => {
    now = START;
  });

  function service(connected = true) {
    return new AuditService({
      now: () => now,
      twilio: async () =>
        connected
          ? new TwilioClient({
              ...fast,
              fetch: twilio.fetch,
              credentials: {
                kind: 'auth-token',
                accountSid: twilio.accountSid,
                authToken: twilio.authToken,
              },
            })
          : null,
      highlevel: async () =>
        new HighLevelClient({
          ...fast,
          fetch: highlevel.fetch,
          credentials: { token: highlevel.token },
        }),
    });
  }

  const request = (messageIds: string[], contact: 'alice' | 'carla' = 'alice') => ({
    locationId: seeded.locationId,
    conversationId: seeded.conversations[contact] as string,
    contactPhone: seeded.contactPhones[contact] as string,
    messageIds,
  });

  it('matches every seeded message exactly and reads each log once per conversation', async () => {
    const audit = service();
    const first = await audit.audit(request(['msg-alice-1', 'msg-alice-2']), {
      index: sunriseIndex(),
    });
    expect(first['msg-alice-1']).toMatchObject({
      state: 'exact',
      direction: 'outbound',
      numberName: 'Jane Doe',
    });
    expect(first['msg-alice-2']).toMatchObject({
      state: 'exact',
      direction: 'inbound',
      status: 'received',
    });
    const reads = twilio.requests.length;
    await audit.audit(request(['msg-alice-3', 'msg-alice-4']), { index: sunriseIndex() });
    expect(twilio.requests.length).toBe(reads);
    expectNoViolations(twilio);
    expectNoViolations(highlevel);
  });

  it('reads the logs again once they are older than the TTL', async () => {
    const audit = service();
    await audit.audit(request(['msg-alice-1']), { index: sunriseIndex() });
    const reads = twilio.requests.length;
    now += 61_000;
    await audit.audit(request(['msg-alice-1']), { index: sunriseIndex() });
    expect(twilio.requests.length).toBeGreaterThan(reads);
  });

  it('warns on messages of a released number', async () => {
    const views = await service().audit(request(['msg-carla-1', 'msg-carla-2'], 'carla'), {
      index: sunriseIndex(),
    });
    expect(views['msg-carla-1']?.warning).toBe('Sent from a released number');
    expect(views['msg-carla-2']?.warning).toBe('Received on a released number');
  });

  it('infers a match for a message HighLevel has no SID for', async () => {
    const at = new Date(now - 60_000);
    twilio.addMessage({
      from: N.main,
      to: seeded.contactPhones.alice as string,
      body: 'Running late?',
      dateSent: at,
    });
    highlevel.addConversationMessage(seeded.conversations.alice as string, {
      id: 'msg-alice-nosid',
      direction: 'outbound',
      body: 'Running late?',
      dateAdded: new Date(at.getTime() + 30_000),
      userId: seeded.users.jane,
    });
    const views = await service().audit(request(['msg-alice-nosid']), { index: sunriseIndex() });
    expect(views['msg-alice-nosid']).toMatchObject({
      state: 'inferred',
      numberDisplay: '(415) 555-0101',
      warning: "Not Jane Doe's number",
    });
  });

  it('answers messages HighLevel does not have yet as not in HighLevel, and reads again for them after a while', async () => {
    const audit = service();
    const first = await audit.audit(request(['msg-alice-new']), { index: sunriseIndex() });
    expect(first['msg-alice-new']).toMatchObject({
      state: 'unmatched',
      message: 'Not in HighLevel yet',
    });
    highlevel.addConversationMessage(seeded.conversations.alice as string, {
      id: 'msg-alice-new',
      direction: 'inbound',
      body: 'Hello?',
      dateAdded: new Date(now),
    });
    now += 11_000;
    const second = await audit.audit(request(['msg-alice-new']), { index: sunriseIndex() });
    expect(second['msg-alice-new']).toMatchObject({
      state: 'unmatched',
      message: 'No Twilio match',
    });
  });

  it('refuses with a reason when Twilio is not connected', async () => {
    await expect(
      service(false).audit(request(['msg-alice-1']), { index: null }),
    ).rejects.toBeInstanceOf(AuditUnavailable);
  });
});
