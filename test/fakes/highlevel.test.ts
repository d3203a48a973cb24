import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeHighLevel, expectNoViolations, type FakeHighLevel } from './index.ts';

const API = 'https://services.leadconnectorhq.com';
const V1 = '2021-07-28';
const V2 = '2021-04-15';

let hl: FakeHighLevel;

function get(path: string, version: string | null = V1, token?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${token ?? hl.token}` };
  if (version) headers.version = version;
  return hl.fetch(`${API}${path}`, { headers });
}

async function getJson(
  path: string,
  version: string | null = V1,
): Promise<Record<string, unknown>> {
  const res = await get(path, version);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** The sub-account every test starts from; `now` is the fake's clock. */
async function seeded(now: () => Date): Promise<FakeHighLevel> {
  const fake = await createFakeHighLevel({ now });
  fake.addLocation({ id: 'loc-1', name: 'Sunrise Dental' });
  fake.addUser('loc-1', { id: 'u-jane', name: 'Jane Doe', lcPhone: '+14155550102' });
  fake.addUser('loc-1', { id: 'u-vic', name: 'Vic Lowe' });
  fake.addNumber('loc-1', { phoneNumber: '+14155550101', sms: true, voice: true, isDefault: true });
  fake.addNumber('loc-1', {
    phoneNumber: '+14155550102',
    sms: true,
    voice: true,
    linkedUserId: 'u-jane',
  });
  fake.addNumber('loc-1', { phoneNumber: '+14155550104', sms: false, voice: true });
  fake.addNumber('loc-1', { phoneNumber: '+14155550110', voice: true });
  fake.addContact('loc-1', { id: 'c-alice', name: 'Alice Morgan', phone: '+16285550121' });
  fake.addContact('loc-1', {
    id: 'c-erin',
    name: 'Erin Walsh',
    phone: '+16285550125',
    smsDnd: true,
  });
  fake.addConversation('loc-1', { id: 'conv-alice', contactId: 'c-alice' });
  for (let i = 1; i <= 5; i++) {
    fake.addConversationMessage('conv-alice', {
      id: `m${i}`,
      direction: i % 2 ? 'outbound' : 'inbound',
      body: `message ${i}`,
      dateAdded: new Date(Date.UTC(2025, 2, i, 12)),
      altId: `SM${String(i).repeat(32)}`,
      userId: i % 2 ? 'u-jane' : undefined,
    });
  }
  return fake;
}

beforeEach(async () => {
  hl = await seeded(() => new Date('2025-03-04T10:00:00Z'));
});

describe('fake HighLevel: valid requests', () => {
  it('lists the phone-system numbers with capabilities, default and linked user', async () => {
    const body = await getJson('/phone-system/numbers/location/loc-1');
    const numbers = body.numbers as Record<string, unknown>[];
    expect(
      numbers.map((n) => [n.phoneNumber, n.capabilities, n.isDefaultNumber, n.linkedUser]),
    ).toEqual([
      ['+14155550101', { voice: true, sms: true, mms: true }, true, null],
      ['+14155550102', { voice: true, sms: true, mms: true }, false, 'u-jane'],
      ['+14155550104', { voice: true, sms: false, mms: false }, false, null],
      // HighLevel does not say whether this one can text.
      ['+14155550110', { voice: true }, false, null],
    ]);
    expect(hl.responseErrors('active-numbers', 200, body)).toEqual([]);
    const page = await getJson('/phone-system/numbers/location/loc-1?pageSize=3&page=1');
    expect((page.numbers as unknown[]).length).toBe(1);
    expectNoViolations(hl);
  });

  it('lists users of a location with lcPhone keyed by location, and finds one user', async () => {
    const body = await getJson('/users/?locationId=loc-1');
    expect(body.users).toMatchObject([
      {
        id: 'u-jane',
        name: 'Jane Doe',
        lcPhone: { 'loc-1': '+14155550102' },
        roles: { locationIds: ['loc-1'] },
      },
      { id: 'u-vic', name: 'Vic Lowe', lcPhone: {} },
    ]);
    expect(hl.responseErrors('get-user-by-location', 200, body)).toEqual([]);
    expect(await getJson('/users/u-vic')).toMatchObject({
      id: 'u-vic',
      firstName: 'Vic',
      lastName: 'Lowe',
    });
    const search = await getJson(
      `/users/search?companyId=${hl.companyId}&locationId=loc-1&query=jane`,
    );
    expect(search).toMatchObject({ count: 1, users: [{ id: 'u-jane' }] });
    expectNoViolations(hl);
  });

  it('searches users of a company, filtered to a location, by name, paged by skip and limit', async () => {
    hl.addLocation({ id: 'loc-2', name: 'Sunset Dental' });
    hl.addLocation({ id: 'loc-other', name: 'Other Agency', companyId: 'cmp-other' });
    hl.addUser('loc-1', { id: 'u-ann', name: 'Ann Zhu' });
    hl.addUser('loc-2', { id: 'u-bo', name: 'Bo Chen', lcPhone: '+14155550199' });
    hl.addUser('loc-other', { id: 'u-zed', name: 'Zed Roe' });
    const company = `/users/search?companyId=${hl.companyId}`;
    const names = (body: Record<string, unknown>) =>
      (body.users as { id: string }[]).map((u) => u.id);

    // The company's users, sorted by first and last name; another agency's are not listed.
    const all = await getJson(company);
    expect(names(all)).toEqual(['u-ann', 'u-bo', 'u-jane', 'u-vic']);
    expect(all.count).toBe(4);
    expect(hl.responseErrors('search-users', 200, all)).toEqual([]);

    const here = await getJson(`${company}&locationId=loc-1`);
    expect(names(here)).toEqual(['u-ann', 'u-jane', 'u-vic']);
    const first = await getJson(`${company}&locationId=loc-1&limit=2`);
    expect([names(first), first.count]).toEqual([['u-ann', 'u-jane'], 3]);
    const second = await getJson(`${company}&locationId=loc-1&limit=2&skip=2`);
    expect([names(second), second.count]).toEqual([['u-vic'], 3]);
    const backwards = await getJson(`${company}&locationId=loc-1&sortDirection=desc`);
    expect(names(backwards)).toEqual(['u-vic', 'u-jane', 'u-ann']);
    expect(names(await getJson(`${company}&ids=u-bo,u-vic`))).toEqual(['u-bo', 'u-vic']);
    expect(names(await getJson(`${company}&type=agency`))).toEqual([]);
    expectNoViolations(hl);

    // An unknown company or location is HighLevel's usual 400; a missing companyId breaks the spec.
    expect((await get('/users/search?companyId=cmp-nobody')).status).toBe(400);
    expect((await get(`${company}&locationId=nowhere`)).status).toBe(400);
    expect((await get('/users/search?locationId=loc-1')).status).toBe(400);
    expect(hl.violations).toHaveLength(1);
    expect(hl.violations[0]?.errors.join(' ')).toContain('companyId');
  });

  it('says which spec operation each request matched, and whether the spec deprecates it', async () => {
    await getJson('/users/?locationId=loc-1');
    await getJson(`/users/search?companyId=${hl.companyId}&locationId=loc-1`);
    expect(hl.requests.map((r) => [r.operationId, r.deprecated])).toEqual([
      ['get-user-by-location', true],
      ['search-users', undefined],
    ]);
  });

  it('lists pool numbers only when skipNumberPool=false is sent, and names their pools', async () => {
    hl.addNumber('loc-1', { phoneNumber: '+14155550120', friendlyName: 'Pool A', sms: true });
    hl.addNumber('loc-1', { phoneNumber: '+14155550121', sms: true });
    const pool = hl.addNumberPool('loc-1', {
      name: 'Sales Team Pool',
      numbers: ['+14155550120', '+14155550121'],
    });
    const listed = async (query: string) =>
      (
        (await getJson(`/phone-system/numbers/location/loc-1${query}`)).numbers as {
          phoneNumber: string;
        }[]
      ).map((n) => n.phoneNumber);
    const withoutPools = ['+14155550101', '+14155550102', '+14155550104', '+14155550110'];
    expect(await listed('')).toEqual(withoutPools);
    expect(await listed('?skipNumberPool=true')).toEqual(withoutPools);
    expect(await listed('?skipNumberPool=false')).toEqual([
      ...withoutPools,
      '+14155550120',
      '+14155550121',
    ]);

    const pools = await getJson('/phone-system/number-pools?locationId=loc-1');
    expect(pools).toMatchObject({
      success: true,
      total: 1,
      data: [
        {
          id: pool,
          name: 'Sales Team Pool',
          locationId: 'loc-1',
          numbers: [
            { phoneNumber: '+14155550120', friendlyName: 'Pool A' },
            { phoneNumber: '+14155550121' },
          ],
          isActive: true,
        },
      ],
    });
    expect(hl.responseErrors('getNumberPoolList', 200, pools)).toEqual([]);
    expect((await get('/phone-system/number-pools?locationId=nowhere')).status).toBe(400);
    expectNoViolations(hl);
    expect(() => hl.addNumberPool('loc-1', { name: 'Again', numbers: ['+14155550120'] })).toThrow(
      /in a number pool already/,
    );
    expect(() => hl.addNumberPool('loc-1', { name: 'Nope', numbers: ['+14155550199'] })).toThrow(
      /not a number of location loc-1/,
    );
  });

  it('answers contacts by id, by list, by search and by duplicate phone', async () => {
    const one = await getJson('/contacts/c-erin');
    expect(one.contact).toMatchObject({
      id: 'c-erin',
      phone: '+16285550125',
      dndSettings: { SMS: { status: 'active' } },
    });
    expect(hl.responseErrors('get-contact', 200, one)).toEqual([]);

    const first = await getJson('/contacts/?locationId=loc-1&limit=1');
    const meta = first.meta as { startAfterId: string; startAfter: number; total: number };
    expect(meta.total).toBe(2);
    const second = await getJson(
      `/contacts/?locationId=loc-1&limit=1&startAfterId=${meta.startAfterId}&startAfter=${meta.startAfter}`,
    );
    expect(
      [first, second].flatMap((p) => (p.contacts as { id: string }[]).map((c) => c.id)),
    ).toEqual(['c-alice', 'c-erin']);
    expect((second.meta as { nextPage: number | null }).nextPage).toBeNull();

    const res = await hl.fetch(`${API}/contacts/search`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${hl.token}`,
        version: V1,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        locationId: 'loc-1',
        pageLimit: 10,
        filters: [{ field: 'phone', operator: 'eq', value: '+1 628 555 0121' }],
      }),
    });
    expect(await res.json()).toMatchObject({ total: 1, contacts: [{ id: 'c-alice' }] });
    const dup = await getJson('/contacts/search/duplicate?locationId=loc-1&number=%2B16285550125');
    expect((dup.contact as { id: string }).id).toBe('c-erin');
    expectNoViolations(hl);
  });

  it('answers the location and the conversation', async () => {
    const loc = await getJson('/locations/loc-1');
    expect(loc.location).toMatchObject({
      id: 'loc-1',
      name: 'Sunrise Dental',
      country: 'US',
      phone: '+14155550101',
    });
    expect(hl.responseErrors('get-location', 200, loc)).toEqual([]);
    const conv = await getJson('/conversations/conv-alice', V2);
    expect(conv).toMatchObject({ id: 'conv-alice', contactId: 'c-alice', locationId: 'loc-1' });
    expect(hl.responseErrors('get-conversation', 200, conv)).toEqual([]);
    const search = await getJson('/conversations/search?locationId=loc-1&contactId=c-alice', V2);
    expect(search).toMatchObject({
      total: 1,
      conversations: [{ id: 'conv-alice', lastMessageBody: 'message 5' }],
    });
    expect(hl.responseErrors('search-conversation', 200, search)).toEqual([]);
    expectNoViolations(hl);
  });

  it('pages conversation messages newest first in the observed nested shape', async () => {
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const body = await getJson(
        `/conversations/conv-alice/messages?limit=2${cursor ? `&lastMessageId=${cursor}` : ''}`,
        V2,
      );
      const inner = body.messages as {
        lastMessageId: string;
        nextPage: boolean;
        messages: { id: string; altId: string }[];
      };
      ids.push(...inner.messages.map((m) => m.id));
      pages++;
      if (!inner.nextPage) break;
      cursor = inner.lastMessageId;
    }
    expect(ids).toEqual(['m5', 'm4', 'm3', 'm2', 'm1']);
    expect(pages).toBe(3);
    const single = await getJson('/conversations/messages/m3', V2);
    expect(single).toMatchObject({
      message: { id: 'm3', altId: `SM${'3'.repeat(32)}`, direction: 'outbound', userId: 'u-jane' },
    });
    expect(typeof single.traceId).toBe('string');
    expectNoViolations(hl);
  });

  it("answers in the spec's documented shapes when asked", async () => {
    hl.messageShape = 'documented';
    const list = await getJson('/conversations/conv-alice/messages?limit=2', V2);
    expect(list).toMatchObject({ lastMessageId: 'm4', nextPage: true });
    expect(hl.responseErrors('get-messages', 200, list)).toEqual([]);
    const one = await getJson('/conversations/messages/m1', V2);
    expect(one).toMatchObject({ id: 'm1', messageType: 'TYPE_SMS', conversationId: 'conv-alice' });
    expect(hl.responseErrors('get-message', 200, one)).toEqual([]);
    expectNoViolations(hl);
  });
});

describe('fake HighLevel: errors and violations', () => {
  it('records a call without the Version header and answers 400 naming it', async () => {
    const res = await get('/contacts/c-alice', null);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(
      "required property 'version'",
    );
    expect(hl.violations).toEqual([
      {
        method: 'GET',
        path: '/contacts/c-alice',
        errors: ["header must have required property 'version'"],
      },
    ]);
    expect(() => expectNoViolations(hl)).toThrow(/GET \/contacts\/c-alice/);
  });

  it('records the wrong Version, a wrong parameter type and an unknown path', async () => {
    await get('/conversations/conv-alice/messages', V1);
    await get('/conversations/conv-alice/messages?limit=lots', V2);
    await get('/phone-system/numbers/location/loc-1?pageSize=0');
    const unknown = await get('/contacts/c-alice/sms-history');
    expect(unknown.status).toBe(404);
    expect(hl.violations.map((v) => v.errors[0])).toEqual([
      'header.version must be equal to one of the allowed values: ["2021-04-15"]',
      'query.limit must be number',
      'query.pageSize must be >= 1',
      'no operation in the spec matches GET /contacts/c-alice/sms-history',
    ]);
  });

  it('answers 401 to a wrong or missing token', async () => {
    const res = await get('/contacts/c-alice', V1, 'wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ statusCode: 401 });
    const none = await hl.fetch(`${API}/contacts/c-alice`, { headers: { version: V1 } });
    expect(none.status).toBe(401);
  });

  it('answers unknown ids the way the spec declares: 404 for phone-system, 400 elsewhere', async () => {
    expect((await get('/phone-system/numbers/location/nowhere')).status).toBe(404);
    const contact = await get('/contacts/c-nobody');
    expect(contact.status).toBe(400);
    expect(await contact.json()).toEqual({ statusCode: 400, message: 'Contact not found' });
    expect((await get('/users/?locationId=nowhere')).status).toBe(400);
    expect((await get('/conversations/messages/nope', V2)).status).toBe(400);
    expectNoViolations(hl);
  });

  it('records spec operations the fake does not implement', async () => {
    const res = await hl.fetch(`${API}/contacts/c-alice`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${hl.token}`, version: V1 },
    });
    expect(res.status).toBe(501);
    expect(hl.violations[0]?.errors).toEqual([
      'delete-contact is in the spec but the HighLevel fake does not implement it',
    ]);
  });

  it('refuses set-up that refers to things not added yet', () => {
    expect(() => hl.addNumber('loc-x', { phoneNumber: '+14155550199' })).toThrow(
      /add location loc-x first/,
    );
    expect(() => hl.addConversation('loc-1', { id: 'c', contactId: 'nobody' })).toThrow(
      /contact nobody is not in location loc-1/,
    );
    expect(() =>
      hl.addConversationMessage('nope', {
        id: 'x',
        direction: 'inbound',
        body: '',
        dateAdded: new Date(),
      }),
    ).toThrow(/no conversation nope/);
  });
});

describe('fake HighLevel: sending an SMS (send-a-new-message)', () => {
  // A clock the tests move, later than every seeded message.
  let nowMs = Date.parse('2025-03-10T09:00:00Z');

  beforeEach(async () => {
    nowMs = Date.parse('2025-03-10T09:00:00Z');
    hl = await seeded(() => new Date(nowMs));
  });

  function send(body: Record<string, unknown>, version: string | null = V2) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${hl.token}`,
      'content-type': 'application/json',
    };
    if (version) headers.version = version;
    return hl.fetch(`${API}/conversations/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  }

  async function sent(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await send(body);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(hl.responseErrors('send-a-new-message', 200, answer)).toEqual([]);
    return answer;
  }

  async function message(id: string): Promise<Record<string, unknown>> {
    const body = await getJson(`/conversations/messages/${id}`, V2);
    return body.message as Record<string, unknown>;
  }

  async function refused(body: Record<string, unknown>, status: number): Promise<string> {
    const before = hl.messageCount();
    const res = await send(body);
    expect(res.status).toBe(status);
    expect(hl.messageCount()).toBe(before);
    return ((await res.json()) as { message: string }).message;
  }

  it('stores a pending outbound SMS in the contact’s conversation, newest first', async () => {
    const answer = await sent({
      type: 'SMS',
      contactId: 'c-alice',
      message: 'Your cleaning is at 3pm',
      fromNumber: '+14155550102',
      toNumber: '+16285550121',
    });
    expect(answer).toEqual({
      conversationId: 'conv-alice',
      messageId: expect.stringMatching(/^[0-9a-f]{20}$/),
      status: 'pending',
    });
    const id = answer.messageId as string;

    const list = await getJson('/conversations/conv-alice/messages?limit=2', V2);
    const inner = list.messages as { messages: Record<string, unknown>[] };
    expect(inner.messages.map((m) => m.id)).toEqual([id, 'm5']);
    const stored = {
      id,
      conversationId: 'conv-alice',
      contactId: 'c-alice',
      locationId: 'loc-1',
      direction: 'outbound',
      messageType: 'TYPE_SMS',
      body: 'Your cleaning is at 3pm',
      from: '+14155550102',
      to: '+16285550121',
      dateAdded: '2025-03-10T09:00:00.000Z',
      source: 'api',
      status: 'pending',
      attachments: [],
    };
    expect(inner.messages[0]).toMatchObject(stored);
    expect(await message(id)).toMatchObject(stored);

    hl.messageShape = 'documented';
    const one = await getJson(`/conversations/messages/${id}`, V2);
    expect(hl.responseErrors('get-message', 200, one)).toEqual([]);
    const page = await getJson('/conversations/conv-alice/messages', V2);
    expect(hl.responseErrors('get-messages', 200, page)).toEqual([]);
    expectNoViolations(hl);
  });

  it('sends from the default number to the contact’s phone, starting a conversation', async () => {
    const before = hl.messageCount();
    const answer = await sent({ type: 'SMS', contactId: 'c-erin', message: 'Hi Erin' });
    expect(hl.messageCount()).toBe(before + 1);
    const conversationId = answer.conversationId as string;
    expect(conversationId).not.toBe('conv-alice');
    expect(await message(answer.messageId as string)).toMatchObject({
      conversationId,
      contactId: 'c-erin',
      from: '+14155550101',
      to: '+16285550125',
    });
    const conv = await getJson(`/conversations/${conversationId}`, V2);
    expect(conv).toMatchObject({ id: conversationId, contactId: 'c-erin', locationId: 'loc-1' });
    const search = await getJson('/conversations/search?locationId=loc-1&contactId=c-erin', V2);
    expect(search).toMatchObject({
      total: 1,
      conversations: [{ id: conversationId, lastMessageBody: 'Hi Erin' }],
    });

    // A second send joins the conversation the first one started.
    nowMs += 60_000;
    const again = await sent({ type: 'SMS', contactId: 'c-erin', message: 'Still there?' });
    expect(again.conversationId).toBe(conversationId);
    const list = await getJson(`/conversations/${conversationId}/messages`, V2);
    const bodies = (list.messages as { messages: { body: string }[] }).messages.map((m) => m.body);
    expect(bodies).toEqual(['Still there?', 'Hi Erin']);
    expectNoViolations(hl);
  });

  it('sends media alone, as attachments, and accepts a number of unknown capability', async () => {
    const answer = await sent({
      type: 'SMS',
      contactId: 'c-alice',
      attachments: ['https://example.com/x-ray.jpg'],
      fromNumber: '+14155550110',
    });
    expect(await message(answer.messageId as string)).toMatchObject({
      body: '',
      attachments: ['https://example.com/x-ray.jpg'],
      from: '+14155550110',
    });
    expectNoViolations(hl);
  });

  it('moves a message on with setMessageStatus, to any status the spec allows', async () => {
    const { messageId } = await sent({ type: 'SMS', contactId: 'c-alice', message: 'Hello' });
    const id = messageId as string;
    hl.setMessageStatus(id, 'delivered');
    expect(await message(id)).toMatchObject({ status: 'delivered' });
    hl.messageShape = 'documented';
    for (const status of ['sent', 'failed', 'read', 'undelivered', 'opt_out'] as const) {
      hl.setMessageStatus(id, status);
      const one = await getJson(`/conversations/messages/${id}`, V2);
      expect(one.status).toBe(status);
      expect(hl.responseErrors('get-message', 200, one)).toEqual([]);
    }
    hl.setMessageStatus('m2', 'read');
    expect((await getJson('/conversations/messages/m2', V2)).status).toBe('read');
    expect(() => hl.setMessageStatus('nope', 'sent')).toThrow(/no stored message nope/);
    expect(() => hl.setMessageStatus(id, 'bounced' as never)).toThrow(/"bounced" is not a status/);
    expectNoViolations(hl);
  });

  it('refuses an unknown contact, a number not of the location, and nothing to send', async () => {
    expect(await refused({ type: 'SMS', contactId: 'c-nobody', message: 'Hi' }, 400)).toBe(
      'Contact not found: contactId c-nobody',
    );
    expect(
      await refused(
        { type: 'SMS', contactId: 'c-alice', message: 'Hi', fromNumber: '+14155550199' },
        400,
      ),
    ).toBe('fromNumber +14155550199 is not a phone number of this location');
    expect(
      await refused(
        { type: 'SMS', contactId: 'c-alice', message: 'Hi', fromNumber: '+14155550104' },
        400,
      ),
    ).toBe('fromNumber +14155550104 cannot send SMS');
    expect(await refused({ type: 'SMS', contactId: 'c-alice', message: '' }, 400)).toBe(
      'message or attachments is required for an SMS',
    );
    expect(
      await refused(
        { type: 'SMS', contactId: 'c-alice', message: 'Hi', toNumber: '555-0199' },
        400,
      ),
    ).toBe('toNumber 555-0199 is not a valid phone number');
    // These requests fit the spec; only the fake's data says no.
    expectNoViolations(hl);
  });

  it('refuses a sender it cannot pick and a recipient it cannot find', async () => {
    const bare = await createFakeHighLevel({ now: () => new Date(nowMs) });
    bare.addLocation({ id: 'loc-2', name: 'No Default' });
    bare.addNumber('loc-2', { phoneNumber: '+14155550301', sms: true });
    bare.addContact('loc-2', { id: 'c-nophone', name: 'No Phone' });
    hl = bare;
    expect(await refused({ type: 'SMS', contactId: 'c-nophone', message: 'Hi' }, 400)).toBe(
      'fromNumber is missing and the location has no default number',
    );
    expect(
      await refused(
        { type: 'SMS', contactId: 'c-nophone', message: 'Hi', fromNumber: '+14155550301' },
        400,
      ),
    ).toBe('Contact c-nophone has no phone number and no toNumber was given');
    expectNoViolations(hl);
  });

  it('records a body without type, a type outside the enum and a missing Version', async () => {
    const noType = await refused({ contactId: 'c-alice', message: 'Hi' }, 400);
    expect(noType).toContain("required property 'type'");
    await refused({ type: 'Fax', contactId: 'c-alice', message: 'Hi' }, 400);
    const res = await send({ type: 'SMS', contactId: 'c-alice', message: 'Hi' }, null);
    expect(res.status).toBe(400);
    expect(hl.violations.map((v) => [v.method, v.path, v.errors[0]])).toEqual([
      ['POST', '/conversations/messages', "body must have required property 'type'"],
      [
        'POST',
        '/conversations/messages',
        expect.stringMatching(/^body\.type must be equal to one of the allowed values/),
      ],
      ['POST', '/conversations/messages', "header must have required property 'version'"],
    ]);
    expect(hl.messageCount()).toBe(5);
  });

  it('does not ask for subType or status, which the published spec lists as required', async () => {
    await sent({ type: 'SMS', contactId: 'c-alice', message: 'Hi' });
    // The rest of SendMessageBodyDto is still checked.
    await refused({ type: 'SMS', contactId: 'c-alice', message: 'Hi', status: 'sending' }, 400);
    expect(hl.violations).toHaveLength(1);
    expect(hl.violations[0]?.errors[0]).toMatch(/^body\.status must be equal to one of/);
  });

  it('records other message types as not implemented', async () => {
    const res = await send({ type: 'Email', contactId: 'c-alice', message: 'Hi' });
    expect(res.status).toBe(501);
    expect(hl.violations[0]?.errors).toEqual([
      'send-a-new-message with type Email is in the spec but the HighLevel fake sends only SMS',
    ]);
  });

  it('takes faults like any request; a drop after handling still sends', async () => {
    const body = { type: 'SMS', contactId: 'c-alice', message: 'Hi' };
    hl.faults.serverError(1, 503);
    hl.faults.rateLimit(1, { retryAfterSeconds: 2 });
    hl.faults.drop(1);
    expect((await send(body)).status).toBe(503);
    const limited = await send(body);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    await expect(send(body)).rejects.toThrow(TypeError);
    expect(hl.messageCount()).toBe(5);

    hl.faults.drop(1, { afterHandling: true });
    await expect(send(body)).rejects.toThrow('fetch failed');
    expect(hl.messageCount()).toBe(6);
    const list = await getJson('/conversations/conv-alice/messages?limit=1', V2);
    expect((list.messages as { messages: { body: string }[] }).messages[0]?.body).toBe('Hi');
    expectNoViolations(hl);
  });
});
