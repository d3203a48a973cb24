/**
 * The Twilio client against the spec-checked fake (test/fakes): every request
 * it makes must validate against twilio_api_v2010.json, and the fake's faults
 * must end in the right typed errors.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http/errors';
import { SubaccountKeyError, TwilioClient, type TwilioClientOptions } from '../../lib/twilio';
import { createFakeTwilio, expectNoViolations, type FakeTwilio } from '../fakes';
import { allPages, caught, recordingSleep } from '../http/stub';

let fake: FakeTwilio;

beforeEach(async () => {
  fake = await createFakeTwilio({
    seed: 'client-contract',
    apiKeys: [{ sid: `SK${'d'.repeat(32)}`, secret: 'apiKeySecretForTheFake0123456789' }],
  });
});

afterEach(() => {
  expectNoViolations(fake);
});

function client(extra: Partial<TwilioClientOptions> = {}): TwilioClient {
  return new TwilioClient({
    credentials: { kind: 'auth-token', accountSid: fake.accountSid, authToken: fake.authToken },
    fetch: fake.fetch,
    sleep: async () => {},
    random: () => 0,
    ...extra,
  });
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await caught(() => promise);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

const send = (c: TwilioClient, to: string, from = '+14155550101') =>
  c.createMessage({ to, from, body: 'Hello from the test' });

describe('Twilio client against the fake', () => {
  it('checks credentials: auth token, API key, and a wrong token', async () => {
    await expect(client().checkCredentials()).resolves.toEqual({ ok: true });
    const withKey = client({
      credentials: {
        kind: 'api-key',
        accountSid: fake.accountSid,
        apiKeySid: `SK${'d'.repeat(32)}`,
        apiKeySecret: 'apiKeySecretForTheFake0123456789',
      },
    });
    await expect(withKey.checkCredentials()).resolves.toEqual({ ok: true });
    const wrong = client({
      credentials: { kind: 'auth-token', accountSid: fake.accountSid, authToken: 'f'.repeat(32) },
    });
    const result = await wrong.checkCredentials();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('auth');
      expect(result.error.code).toBe(20003);
      expect(JSON.stringify(result.error)).not.toContain(fake.authToken);
    }
  });

  it('lists incoming numbers with capabilities', async () => {
    fake.addIncomingNumber({
      phoneNumber: '+14155550101',
      friendlyName: 'Main',
      sms: true,
      voice: true,
      mms: true,
    });
    fake.addIncomingNumber({ phoneNumber: '+14155550102', sms: false, voice: true, mms: false });
    const pages = await allPages(client().listIncomingNumbers());
    const numbers = pages.flatMap((p) => p.items);
    expect(
      numbers.map((n) => [n.phoneNumber, n.capabilities.sms, n.capabilities.voice]).sort(),
    ).toEqual([
      ['+14155550101', true, true],
      ['+14155550102', false, true],
    ]);
  });

  it('pages through messages by next_page_uri and filters by To, From and DateSent>', async () => {
    const start = Date.parse('2025-03-01T00:00:00Z');
    for (let i = 0; i < 25; i++) {
      fake.addMessage({
        from: '+14155550101',
        to: i % 5 === 0 ? '+14155550177' : '+14155550199',
        body: `message ${i}`,
        direction: 'outbound-api',
        dateSent: new Date(start + i * 3_600_000),
      });
    }
    const c = client();
    const pages = await allPages(c.listMessages({ pageSize: 10 }));
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 5]);
    expect(pages.at(-1)?.itemsSoFar).toBe(25);
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    const sids = pages.flatMap((p) => p.items.map((m) => m.sid));
    expect(new Set(sids).size).toBe(25);

    const filtered = await allPages(
      c.listMessages({
        to: '+14155550199',
        from: '+14155550101',
        sentOnOrAfter: new Date(start + 10 * 3_600_000),
        pageSize: 4,
      }),
    );
    const items = filtered.flatMap((p) => p.items);
    // Messages 10..24 sent to ...0199: all but 10, 15 and 20.
    expect(items).toHaveLength(12);
    for (const m of items) {
      expect(m.to).toBe('+14155550199');
      expect(m.dateSent?.date.getTime()).toBeGreaterThanOrEqual(start + 10 * 3_600_000);
    }
    expect(fake.requests.some((r) => r.query.includes('DateSent%3E='))).toBe(true);
  });

  it('reads one message and sends one with two media URLs', async () => {
    fake.addIncomingNumber({ phoneNumber: '+14155550101', sms: true, mms: true });
    const c = client();
    const sent = await c.createMessage({
      to: '+14155550199',
      from: '+14155550101',
      body: 'Picture time',
      mediaUrls: ['https://example.com/a.jpg', 'https://example.com/b.jpg'],
    });
    expect(sent.to).toBe('+14155550199');
    expect(sent.direction).toBe('outbound-api');
    expect(sent.numMedia).toBe(2);
    const again = await c.getMessage(sent.sid);
    expect(again.sid).toBe(sent.sid);
    expect(again.body).toBe('Picture time');
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550004', 21610],
    ['+15005550009', 21614],
  ])('maps the refusal for To %s to Twilio error %i', async (to, code) => {
    fake.addIncomingNumber({ phoneNumber: '+14155550101', sms: true });
    const e = await apiError(send(client(), to));
    expect(e.code).toBe(code);
    expect(e.kind).toBe('rejected');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain(`Twilio error ${code}`);
  });
});

describe('Twilio client on a subaccount of the fake', () => {
  const SUB_KEY = { sid: `SK${'e'.repeat(32)}`, secret: 'subaccountKeySecretForTheFake012' };

  it("reads and sends in a subaccount with the main Auth Token, seeing only that account's data", async () => {
    fake.addIncomingNumber({ phoneNumber: '+14155550101', friendlyName: 'Main' });
    fake.addMessage({
      from: '+14155550101',
      to: '+14155550199',
      body: 'from the main account',
      dateSent: new Date('2025-03-01T09:00:00Z'),
    });
    const sub = fake.addSubaccount({ friendlyName: 'Sunrise Dental' });
    sub.addIncomingNumber({ phoneNumber: '+14155550201', friendlyName: 'Sunrise' });
    for (let i = 0; i < 5; i++) {
      sub.addMessage({
        from: '+14155550201',
        to: '+14155550199',
        body: `sub ${i}`,
        dateSent: new Date(Date.parse('2025-03-01T10:00:00Z') + i * 60_000),
      });
    }
    const c = client({ accountSid: sub.accountSid });
    const numbers = (await allPages(c.listIncomingNumbers())).flatMap((p) => p.items);
    expect(numbers.map((n) => n.phoneNumber)).toEqual(['+14155550201']);
    const pages = await allPages(c.listMessages({ pageSize: 2 }));
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.items.map((m) => m.body))).toEqual([
      'sub 4',
      'sub 3',
      'sub 2',
      'sub 1',
      'sub 0',
    ]);
    const sent = await c.createMessage({ to: '+14155550199', from: '+14155550201', body: 'Hi' });
    expect((await c.getMessage(sent.sid)).body).toBe('Hi');
    expect(sub.createdMessages().map((m) => m.sid)).toContain(sent.sid);
    expect(fake.createdMessages().map((m) => m.sid)).not.toContain(sent.sid);
    // The main account's number is not the subaccount's to send from.
    const e = await apiError(send(c, '+14155550199', '+14155550101'));
    expect(e.code).toBe(21606);
  });

  it('lists the subaccounts, and works with an API key made in the subaccount', async () => {
    const sub = fake.addSubaccount({ friendlyName: 'Sunrise Dental', apiKeys: [SUB_KEY] });
    const other = fake.addSubaccount({ friendlyName: 'Oakland Ortho' });
    const accounts = (await allPages(client().listAccounts({ pageSize: 1 }))).flatMap(
      (p) => p.items,
    );
    expect(accounts.map((a) => [a.sid, a.friendlyName])).toEqual([
      [fake.accountSid, 'Sender Lens test account'],
      [sub.accountSid, 'Sunrise Dental'],
      [other.accountSid, 'Oakland Ortho'],
    ]);
    expect(JSON.stringify(accounts)).not.toContain(sub.authToken);
    sub.addIncomingNumber({ phoneNumber: '+14155550201' });
    const ownKey = client({
      credentials: {
        kind: 'api-key',
        accountSid: sub.accountSid,
        apiKeySid: SUB_KEY.sid,
        apiKeySecret: SUB_KEY.secret,
      },
    });
    await expect(ownKey.checkCredentials()).resolves.toEqual({ ok: true });
  });

  it('refuses an API key of the main account on a subaccount before asking Twilio', () => {
    const sub = fake.addSubaccount();
    const before = fake.requests.length;
    expect(
      () =>
        new TwilioClient({
          credentials: {
            kind: 'api-key',
            accountSid: fake.accountSid,
            apiKeySid: `SK${'d'.repeat(32)}`,
            apiKeySecret: 'apiKeySecretForTheFake0123456789',
          },
          accountSid: sub.accountSid,
          fetch: fake.fetch,
        }),
    ).toThrow(SubaccountKeyError);
    expect(fake.requests.length).toBe(before);
  });
});

describe('Twilio faults from the fake', () => {
  it('waits out Retry-After on 20429 and then succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    fake.faults.rateLimit(2, { retryAfterSeconds: 1 });
    await allPages(client({ sleep }).listMessages());
    expect(delays).toEqual([1000, 1000]);
  });

  it('retries 5xx and dropped connections on reads, not on sends', async () => {
    const { sleep, delays } = recordingSleep();
    fake.faults.serverError(1, 503);
    fake.faults.drop(1);
    await allPages(client({ sleep }).listIncomingNumbers());
    expect(delays).toHaveLength(2);

    fake.addIncomingNumber({ phoneNumber: '+14155550101', sms: true });
    fake.faults.drop(1, { afterHandling: true });
    const before = fake.messageCount();
    const e = await apiError(send(client({ sleep }), '+14155550199'));
    expect(e.kind).toBe('network');
    // The message went out even though the answer was lost: no second send.
    expect(fake.messageCount()).toBe(before + 1);
  });

  it('gives up after maxRetries with a rate-limited error', async () => {
    fake.faults.rateLimit(5);
    const e = await apiError(allPages(client({ maxRetries: 2 }).listMessages()));
    expect(e.kind).toBe('rate-limited');
    expect(e.code).toBe(20429);
    expect(e.retryable).toBe(true);
  });

  it.each(['truncated-json', 'html', 'wrong-types', 'missing-fields'] as const)(
    'turns a %s body into a malformed error',
    async (kind) => {
      fake.addIncomingNumber({ phoneNumber: '+14155550101', sms: true, voice: true });
      fake.addMessage({
        from: '+14155550101',
        to: '+14155550199',
        dateSent: new Date('2025-03-01T00:00:00Z'),
      });
      fake.faults.malformed(1, kind);
      const e = await apiError(allPages(client().listMessages()));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(
        /^Twilio sent an answer Sender Lens cannot read while trying to list messages/,
      );
    },
  );

  it('times out a slow answer', async () => {
    fake.faults.slow(1, 200);
    const e = await apiError(allPages(client({ timeoutMs: 20, maxRetries: 0 }).listMessages()));
    expect(e.kind).toBe('timeout');
  });
});
