/**
 * The HighLevel client against the spec-checked fake (test/fakes): every
 * request must validate against specs/highlevel/apps/*.json (Version header
 * included), both message shapes must read the same, and the fake's faults
 * must end in the right typed errors.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HighLevelClient, type HighLevelClientOptions } from '../../lib/highlevel';
import { ApiError } from '../../lib/http/errors';
import { createFakeHighLevel, expectNoViolations, type FakeHighLevel } from '../fakes';
import { allPages, caught, recordingSleep } from '../http/stub';

const LOC = 'locAlpha0000000000001';
let fake: FakeHighLevel;

beforeEach(async () => {
  fake = await createFakeHighLevel({ seed: 'client-contract' });
  fake.addLocation({ id: LOC, name: 'Alpha Dental', country: 'US', timezone: 'America/Chicago' });
  fake.addUser(LOC, { id: 'userAnn', name: 'Ann Lee', lcPhone: '+14155550101' });
  fake.addUser(LOC, { id: 'userBo', name: 'Bo Chen' });
  fake.addNumber(LOC, {
    phoneNumber: '+14155550101',
    sms: true,
    voice: true,
    linkedUserId: 'userAnn',
  });
  fake.addNumber(LOC, { phoneNumber: '+14155550102', sms: true, voice: true, isDefault: true });
  fake.addNumber(LOC, { phoneNumber: '+18005550103', voice: true, sms: false });
  fake.addNumber(LOC, { phoneNumber: '+14155550120', friendlyName: 'Pool 1', sms: true });
  fake.addNumberPool(LOC, { id: 'poolSales', name: 'Sales Team Pool', numbers: ['+14155550120'] });
  fake.addContact(LOC, { id: 'contactRubika', name: 'Rubika Deo', phone: '+18832327657' });
  fake.addContact(LOC, {
    id: 'contactStop',
    name: 'Stop Person',
    phone: '+18832327658',
    smsDnd: true,
  });
  fake.addContact(LOC, { id: 'contactAll', name: 'All Dnd', phone: '+18832327659', dnd: true });
  fake.addConversation(LOC, { id: 'convRubika', contactId: 'contactRubika' });
  const start = Date.parse('2025-03-01T00:00:00Z');
  for (let i = 0; i < 45; i++) {
    fake.addConversationMessage('convRubika', {
      id: `msg${String(i).padStart(3, '0')}`,
      direction: i % 2 === 0 ? 'outbound' : 'inbound',
      body: `message ${i}`,
      dateAdded: new Date(start + i * 60_000),
      ...(i % 2 === 0
        ? { userId: 'userAnn', altId: `SM${String(i).padStart(32, '0')}`, source: 'app' }
        : {}),
      from: i % 2 === 0 ? '+14155550101' : '+18832327657',
      to: i % 2 === 0 ? '+18832327657' : '+14155550101',
      messageType: i === 7 ? 'TYPE_CALL' : 'TYPE_SMS',
    });
  }
});

afterEach(() => {
  expectNoViolations(fake);
});

function client(extra: Partial<HighLevelClientOptions> = {}): HighLevelClient {
  return new HighLevelClient({
    credentials: { token: fake.token },
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

describe('HighLevel client against the fake', () => {
  it('checks the token, and reports a wrong one as an auth error', async () => {
    await expect(client().checkCredentials(LOC)).resolves.toEqual({ ok: true });
    const wrong = new HighLevelClient({
      credentials: { token: 'pit-wrong-token-000000' },
      fetch: fake.fetch,
    });
    const result = await wrong.checkCredentials(LOC);
    expect(result.ok ? 'ok' : result.error.kind).toBe('auth');
  });

  it('reads the location, its numbers and its staff', async () => {
    const c = client();
    expect(await c.getLocation(LOC)).toMatchObject({
      id: LOC,
      name: 'Alpha Dental',
      country: 'US',
    });
    const numbers = (await allPages(c.listPhoneNumbers(LOC))).flatMap((p) => p.items);
    // The pool number is listed: the client sends skipNumberPool=false.
    expect(numbers.map((n) => [n.phoneNumber, n.sms, n.isDefault, n.linkedUserId]).sort()).toEqual([
      ['+14155550101', true, false, 'userAnn'],
      ['+14155550102', true, true, undefined],
      ['+14155550120', true, false, undefined],
      ['+18005550103', false, false, undefined],
    ]);
    const paged = await allPages(c.listPhoneNumbers(LOC, { pageSize: 2 }));
    expect(paged.flatMap((p) => p.items)).toHaveLength(4);
    expect(await c.listNumberPools(LOC)).toEqual([
      {
        id: 'poolSales',
        name: 'Sales Team Pool',
        locationId: LOC,
        numbers: ['+14155550120'],
        isActive: true,
      },
    ]);
    const users = (await allPages(c.listStaff(LOC))).flatMap((p) => p.items);
    expect(users.find((u) => u.id === 'userAnn')?.lcPhone).toEqual({ [LOC]: '+14155550101' });
    expect(users.find((u) => u.id === 'userBo')?.lcPhone).toEqual({});
  });

  it('finds staff through users/search with the location’s company, a page at a time', async () => {
    fake.addLocation({ id: 'locBeta', name: 'Beta Dental' });
    fake.addUser('locBeta', { id: 'userCy', name: 'Cy Park' });
    const pages = await allPages(client().listStaff(LOC, { pageSize: 1 }));
    expect(pages.map((p) => p.items.map((u) => u.id))).toEqual([['userAnn'], ['userBo']]);
    const searches = fake.requests.filter((r) => r.operationId === 'search-users');
    expect(searches.map((r) => new URLSearchParams(r.query).get('skip'))).toEqual(['0', '1']);
    expect(new URLSearchParams(searches[0]?.query).get('companyId')).toBe(fake.companyId);
    expect(fake.requests.filter((r) => r.deprecated)).toEqual([]);
  });

  it('leaves pool numbers out without skipNumberPool=false, so the flag matters', async () => {
    const res = await fake.fetch(
      `https://services.leadconnectorhq.com/phone-system/numbers/location/${LOC}`,
      {
        headers: { authorization: `Bearer ${fake.token}`, version: '2021-07-28' },
      },
    );
    const { numbers } = (await res.json()) as { numbers: { phoneNumber: string }[] };
    expect(numbers.map((n) => n.phoneNumber)).not.toContain('+14155550120');
    const listed = (await allPages(client().listPhoneNumbers(LOC))).flatMap((p) => p.items);
    expect(listed.map((n) => n.phoneNumber)).toContain('+14155550120');
  });

  it('reads contacts with their SMS DND', async () => {
    const c = client();
    expect(await c.getContact('contactRubika')).toMatchObject({
      phone: '+18832327657',
      smsDnd: false,
    });
    expect(await c.getContact('contactStop')).toMatchObject({ smsDnd: true, dnd: false });
    expect(await c.getContact('contactAll')).toMatchObject({ smsDnd: true, dnd: true });
    const e = await apiError(c.getContact('contactNobody'));
    expect(e.kind).toBe('not-found');
  });

  it('reads a conversation and finds it by contact', async () => {
    const c = client();
    expect(await c.getConversation('convRubika')).toMatchObject({
      id: 'convRubika',
      contactId: 'contactRubika',
    });
    const found = await c.searchConversations({ locationId: LOC, contactId: 'contactRubika' });
    expect(found.map((x) => x.id)).toEqual(['convRubika']);
  });

  it.each(['nested', 'documented'] as const)(
    'pages through messages in the %s shape',
    async (shape) => {
      fake.messageShape = shape;
      const c = client();
      const pages = await allPages(c.listMessages('convRubika', { limit: 20 }));
      const items = pages.flatMap((p) => p.items);
      expect(items).toHaveLength(45);
      expect(new Set(items.map((m) => m.id)).size).toBe(45);
      expect(pages.at(-1)?.hasMore).toBe(false);
      const out = items.find((m) => m.id === 'msg004');
      expect(out).toMatchObject({
        direction: 'outbound',
        userId: 'userAnn',
        altId: `SM${'4'.padStart(32, '0')}`,
        messageType: 'TYPE_SMS',
      });
      const one = await c.getMessage('msg004');
      expect(one).toEqual(out);
      const sms = (await allPages(c.listMessages('convRubika', { type: 'TYPE_SMS' }))).flatMap(
        (p) => p.items,
      );
      expect(sms.some((m) => m.id === 'msg007')).toBe(false);
    },
  );
});

describe('HighLevel faults from the fake', () => {
  it('waits out Retry-After on 429, then succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    fake.faults.rateLimit(1, { retryAfterSeconds: 2 });
    await allPages(client({ sleep }).listStaff(LOC));
    expect(delays).toEqual([2000]);
  });

  it('retries 5xx and dropped connections, and reports them when they persist', async () => {
    const { sleep, delays } = recordingSleep();
    fake.faults.serverError(1, 502);
    fake.faults.drop(1);
    await client({ sleep }).getContact('contactRubika');
    expect(delays).toHaveLength(2);

    fake.faults.serverError(3, 500);
    const e = await apiError(client({ maxRetries: 2 }).getContact('contactRubika'));
    expect(e.kind).toBe('server');
    fake.faults.drop(3);
    const n = await apiError(client({ maxRetries: 2 }).getContact('contactRubika'));
    expect(n.kind).toBe('network');
  });

  it.each(['truncated-json', 'html', 'wrong-types', 'missing-fields'] as const)(
    'turns a %s body into a malformed error',
    async (kind) => {
      fake.faults.malformed(1, kind);
      const e = await apiError(allPages(client().listPhoneNumbers(LOC)));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain('HighLevel sent an answer Sender Lens cannot read');
      expect(e.message).not.toContain(fake.token);
    },
  );

  it('times out a slow answer', async () => {
    fake.faults.slow(1, 200);
    const e = await apiError(client({ timeoutMs: 20, maxRetries: 0 }).getLocation(LOC));
    expect(e.kind).toBe('timeout');
  });
});
