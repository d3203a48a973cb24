import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  HIGHLEVEL_VERSIONS,
  HighLevelClient,
  type HighLevelClientOptions,
} from '../../lib/highlevel';
import { ApiError, InputError } from '../../lib/http/errors';
import { allPages, caught, json, offline, recordingSleep, stubFetch, text } from '../http/stub';

const TOKEN = 'pit-1234abcd-5678-efgh-ijkl-9876543210ab';
const LOCATION = 've9EPM428h8vShlRW1KT';
const COMPANY = '5DP4iH6HLkQsiKESj6rh';

function client(
  fetchStub: typeof fetch,
  extra: Partial<HighLevelClientOptions> = {},
): HighLevelClient {
  return new HighLevelClient({
    credentials: { token: TOKEN },
    fetch: fetchStub,
    sleep: async () => {},
    random: () => 0,
    ...extra,
  });
}

function phoneNumber(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    phoneNumber: '+14155550101',
    friendlyName: 'Sales Line 1',
    sid: 'PN1234567890abcdef1234567890abcde',
    countryCode: 'US',
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    type: 'local',
    isDefaultNumber: true,
    linkedUser: 'user_123',
    linkedRingAllUsers: [],
    isGroupConversationEnabled: false,
    ...overrides,
  };
}

function numbersBody(numbers: unknown[], page = 0, pageSize = 1000): Record<string, unknown> {
  return { numbers, isUnderGhl: true, pageSize, page, accountStatus: 'active' };
}

function hlMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'msg1',
    type: 2,
    messageType: 'TYPE_SMS',
    locationId: LOCATION,
    contactId: 'contact1',
    conversationId: 'conv1',
    dateAdded: '2025-03-27T18:13:49.000Z',
    body: 'Hi there',
    direction: 'outbound',
    status: 'delivered',
    contentType: 'text/plain',
    source: 'app',
    userId: 'user_123',
    altId: `SM${'1'.repeat(32)}`,
    ...overrides,
  };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await caught(() => promise);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('HighLevelClient requests', () => {
  it('sends the token as Bearer and the Version header of each area', async () => {
    const stub = stubFetch((req) => {
      const p = req.url.pathname;
      if (p === '/phone-system/number-pools') return json({ success: true, data: [], total: 0 });
      if (p.startsWith('/phone-system/')) return json(numbersBody([]));
      if (p === '/users/search') return json({ users: [], count: 0 });
      if (p.startsWith('/users/')) return json({ id: 'u1' });
      if (p.startsWith('/locations/'))
        return json({ location: { id: LOCATION, companyId: COMPANY } });
      if (p.startsWith('/contacts/')) return json({ contact: { id: 'c1' } });
      if (p === '/conversations/search') return json({ conversations: [], total: 0 });
      if (p.startsWith('/conversations/messages/')) return json(hlMessage());
      if (p.endsWith('/messages'))
        return json({ messages: [], nextPage: false, lastMessageId: null });
      return json({ id: 'conv1', contactId: 'c1', locationId: LOCATION, type: 1 });
    });
    const c = client(stub.fetch);
    await allPages(c.listPhoneNumbers(LOCATION));
    await c.listNumberPools(LOCATION);
    await c.getLocation(LOCATION);
    await allPages(c.listStaff(LOCATION));
    await c.getContact('c1');
    await c.getConversation('conv1');
    await c.searchConversations({ locationId: LOCATION, contactId: 'c1' });
    await allPages(c.listMessages('conv1'));
    await c.getMessage('msg1');
    const seen = stub.requests.map((r) => [r.url.pathname, r.headers.get('version')]);
    expect(seen).toEqual([
      [`/phone-system/numbers/location/${LOCATION}`, '2021-07-28'],
      ['/phone-system/number-pools', '2021-07-28'],
      [`/locations/${LOCATION}`, '2021-07-28'],
      ['/users/search', '2021-07-28'],
      ['/contacts/c1', '2021-07-28'],
      ['/conversations/conv1', '2021-04-15'],
      ['/conversations/search', '2021-04-15'],
      ['/conversations/conv1/messages', '2021-04-15'],
      ['/conversations/messages/msg1', '2021-04-15'],
    ]);
    for (const r of stub.requests) {
      expect(r.url.origin).toBe('https://services.leadconnectorhq.com');
      expect(r.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    }
    expect(HIGHLEVEL_VERSIONS.conversations).toBe('2021-04-15');
  });

  it('lists active numbers with capabilities, the default and the assigned user', async () => {
    const stub = stubFetch(
      json(
        numbersBody([
          phoneNumber(),
          phoneNumber({
            phoneNumber: '+18005551234',
            friendlyName: null,
            capabilities: { voice: true },
            isDefaultNumber: false,
            linkedUser: null,
            type: 'toll-free',
          }),
        ]),
      ),
    );
    const [page] = await allPages(client(stub.fetch).listPhoneNumbers(LOCATION));
    expect(page?.items).toEqual([
      {
        phoneNumber: '+14155550101',
        friendlyName: 'Sales Line 1',
        sid: 'PN1234567890abcdef1234567890abcde',
        sms: true,
        mms: true,
        voice: true,
        isDefault: true,
        linkedUserId: 'user_123',
        type: 'local',
      },
      {
        phoneNumber: '+18005551234',
        friendlyName: null,
        sid: 'PN1234567890abcdef1234567890abcde',
        voice: true,
        isDefault: false,
        type: 'toll-free',
      },
    ]);
    expect(page?.hasMore).toBe(false);
    expect(stub.requests[0]?.url.searchParams.get('pageSize')).toBe('1000');
    // Its default, true, would leave out every number in a number pool.
    expect(stub.requests[0]?.url.searchParams.get('skipNumberPool')).toBe('false');
  });

  it('lists number pools with their numbers, for the location', async () => {
    const stub = stubFetch(
      json({
        success: true,
        data: [
          {
            id: 'pool1',
            name: 'Sales Team Pool',
            locationId: LOCATION,
            numbers: [{ phoneNumber: '+14155552671', friendlyName: 'Sales Line 1' }],
            isActive: true,
            inboundCallService: null,
          },
          { id: 'pool2' },
        ],
        total: 2,
      }),
    );
    expect(await client(stub.fetch).listNumberPools(LOCATION)).toEqual([
      {
        id: 'pool1',
        name: 'Sales Team Pool',
        locationId: LOCATION,
        numbers: ['+14155552671'],
        isActive: true,
      },
      { id: 'pool2', numbers: [] },
    ]);
    expect(stub.requests[0]?.url.searchParams.get('locationId')).toBe(LOCATION);
  });

  it('names what is wrong in a number-pool answer it cannot read', async () => {
    for (const [body, problem] of [
      [{ success: true, total: 0 }, 'response.data is missing'],
      [{ data: [{ name: 'No id' }] }, 'response.data[0].id is missing'],
      [{ data: [{ id: 'p', numbers: [{ friendlyName: 'x' }] }] }, 'numbers[0].phoneNumber'],
    ] as const) {
      const e = await apiError(client(stubFetch(json(body)).fetch).listNumberPools(LOCATION));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain('list the sub-account’s number pools');
      expect(e.message).toContain(problem);
    }
  });

  it('asks for the number-pool scope when a token lacks it', async () => {
    const stub = stubFetch(
      json({ statusCode: 401, message: 'The token is not authorized for this scope.' }, 401),
    );
    const e = await apiError(client(stub.fetch).listNumberPools(LOCATION));
    expect(e.kind).toBe('forbidden');
    expect(e.message).toContain('the numberpools.read scope');
  });

  it('pages through numbers until a short page, and refuses a server that repeats a page', async () => {
    const stub = stubFetch(
      json(
        numbersBody([
          phoneNumber({ phoneNumber: '+14155550101' }),
          phoneNumber({ phoneNumber: '+14155550102' }),
        ]),
      ),
      json(numbersBody([phoneNumber({ phoneNumber: '+14155550103' })])),
    );
    const pages = await allPages(client(stub.fetch).listPhoneNumbers(LOCATION, { pageSize: 2 }));
    expect(pages.map((p) => [p.items.length, p.itemsSoFar, p.hasMore])).toEqual([
      [2, 2, true],
      [1, 3, false],
    ]);
    expect(stub.requests.map((r) => r.url.searchParams.get('page'))).toEqual(['0', '1']);

    const stuck = stubFetch(
      json(numbersBody([phoneNumber({ phoneNumber: '+1' }), phoneNumber({ phoneNumber: '+2' })])),
    );
    const e = await apiError(
      allPages(client(stuck.fetch).listPhoneNumbers(LOCATION, { pageSize: 2 })),
    );
    expect(e.kind).toBe('malformed');
    expect(e.message).toContain('repeats');
  });

  it('reads the empty-numbers example of the spec, which lacks paging fields', async () => {
    const stub = stubFetch(json({ numbers: [], total: 0 }));
    const pages = await allPages(client(stub.fetch).listPhoneNumbers(LOCATION));
    expect(pages).toEqual([{ items: [], index: 0, itemsSoFar: 0, hasMore: false }]);
  });

  it('lists staff with their lcPhone per location, searching the location’s company', async () => {
    const stub = stubFetch(
      json({ location: { id: LOCATION, companyId: COMPANY } }),
      json({
        count: 2,
        users: [
          {
            id: 'u1',
            name: 'Ann Lee',
            email: 'ann@example.com',
            lcPhone: { [LOCATION]: '+14155550101', other: null },
          },
          { id: 'u2', firstName: 'Bo', roles: { type: 'account' } },
        ],
      }),
    );
    const users = (await allPages(client(stub.fetch).listStaff(LOCATION))).flatMap((p) => p.items);
    expect(stub.requests.map((r) => r.url.pathname)).toEqual([
      `/locations/${LOCATION}`,
      '/users/search',
    ]);
    expect(Object.fromEntries(stub.requests[1]?.url.searchParams ?? [])).toEqual({
      companyId: COMPANY,
      locationId: LOCATION,
      skip: '0',
      limit: '100',
    });
    expect(users).toEqual([
      {
        id: 'u1',
        name: 'Ann Lee',
        email: 'ann@example.com',
        lcPhone: { [LOCATION]: '+14155550101' },
      },
      { id: 'u2', firstName: 'Bo', lcPhone: {} },
    ]);
  });

  it('reads the company once: from the location the sync read first', async () => {
    const stub = stubFetch(
      json({ location: { id: LOCATION, companyId: COMPANY, name: 'Alpha' } }),
      json({ users: [], count: 0 }),
    );
    const c = client(stub.fetch);
    await c.getLocation(LOCATION);
    await allPages(c.listStaff(LOCATION));
    await allPages(c.listStaff(LOCATION));
    expect(stub.requests.map((r) => r.url.pathname)).toEqual([
      `/locations/${LOCATION}`,
      '/users/search',
      '/users/search',
    ]);
  });

  it('pages staff by skip until count, skipping by what came back', async () => {
    const users = (ids: string[]) => ids.map((id) => ({ id, name: id }));
    const stub = stubFetch(
      json({ location: { id: LOCATION, companyId: COMPANY } }),
      json({ users: users(['u1', 'u2']), count: 5 }),
      // A server that gives fewer than asked still loses no one.
      json({ users: users(['u3']), count: 5 }),
      json({ users: users(['u4', 'u5']), count: 5 }),
    );
    const pages = await allPages(client(stub.fetch).listStaff(LOCATION, { pageSize: 2 }));
    expect(pages.map((p) => [p.items.map((u) => u.id), p.itemsSoFar, p.hasMore])).toEqual([
      [['u1', 'u2'], 2, true],
      [['u3'], 3, true],
      [['u4', 'u5'], 5, false],
    ]);
    expect(stub.requests.slice(1).map((r) => r.url.searchParams.get('skip'))).toEqual([
      '0',
      '2',
      '3',
    ]);

    // Without a count, a short page is the last.
    const uncounted = stubFetch(
      json({ location: { id: LOCATION, companyId: COMPANY } }),
      json({ users: users(['u1', 'u2']) }),
      json({ users: users(['u3']) }),
    );
    const read = await allPages(client(uncounted.fetch).listStaff(LOCATION, { pageSize: 2 }));
    expect(read.map((p) => p.itemsSoFar)).toEqual([2, 3]);

    // An empty page ends the list even if count promised more.
    const short = stubFetch(
      json({ location: { id: LOCATION, companyId: COMPANY } }),
      json({ users: [], count: 9 }),
    );
    expect(await allPages(client(short.fetch).listStaff(LOCATION))).toHaveLength(1);

    const stuck = stubFetch(
      json({ location: { id: LOCATION, companyId: COMPANY } }),
      json({ users: users(['u1', 'u2']), count: 9 }),
    );
    const e = await apiError(allPages(client(stuck.fetch).listStaff(LOCATION, { pageSize: 2 })));
    expect(e.kind).toBe('malformed');
    expect(e.message).toContain('repeats staff');
    expect(() => client(stuck.fetch).listStaff(LOCATION, { pageSize: 0 })).toThrow(InputError);
  });

  it('names what is wrong when the location has no company or the staff answer is unreadable', async () => {
    const cases: [unknown[], string][] = [
      [[{ location: { id: LOCATION } }], 'response.location.companyId is missing'],
      [[{ location: { id: LOCATION, companyId: 'a b/c' } }], 'companyId is not an id'],
      [
        [{ location: { id: LOCATION, companyId: COMPANY } }, { count: 1 }],
        'response.users is missing',
      ],
      [
        [{ location: { id: LOCATION, companyId: COMPANY } }, { users: [{ id: 'u1' }], count: 'x' }],
        'response.count should be an integer',
      ],
    ];
    for (const [answers, problem] of cases) {
      const stub = stubFetch(...answers.map((a) => json(a)));
      const e = await apiError(allPages(client(stub.fetch).listStaff(LOCATION)));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain(problem);
    }
  });

  it('reads a contact’s phone and SMS DND from dnd and dndSettings.SMS', async () => {
    const cases: [Record<string, unknown>, boolean, string | undefined][] = [
      [{ dnd: false }, false, undefined],
      [{ dnd: true }, true, undefined],
      [{ dnd: false, dndSettings: { SMS: { status: 'active', message: 'STOP' } } }, true, 'active'],
      [{ dnd: false, dndSettings: { SMS: { status: 'permanent' } } }, true, 'permanent'],
      [
        { dnd: false, dndSettings: { SMS: { status: 'inactive' }, Email: { status: 'active' } } },
        false,
        'inactive',
      ],
      [{ dndSettings: { Call: { status: 'active' } } }, false, undefined],
    ];
    for (const [fields, smsDnd, status] of cases) {
      const stub = stubFetch(
        json({
          contact: {
            id: 'c1',
            firstName: 'Rubika',
            lastName: 'Deo',
            phone: '+18832327657',
            ...fields,
          },
        }),
      );
      const contact = await client(stub.fetch).getContact('c1');
      expect(contact.smsDnd).toBe(smsDnd);
      expect(contact.smsDndStatus).toBe(status);
      expect(contact.name).toBe('Rubika Deo');
      expect(contact.phone).toBe('+18832327657');
    }
  });

  it('names a contact by first and last name, which keep their case, over the lower-cased name', async () => {
    const stub = stubFetch(
      json({ contact: { id: 'c1', name: 'dev shah', firstName: 'Dev', lastName: 'Shah' } }),
    );
    expect((await client(stub.fetch).getContact('c1')).name).toBe('Dev Shah');
  });

  it('reads a contact without a phone', async () => {
    const stub = stubFetch(json({ contact: { id: 'c1', name: 'No Phone', phone: null } }));
    const contact = await client(stub.fetch).getContact('c1');
    expect(contact).toEqual({ id: 'c1', name: 'No Phone', dnd: false, smsDnd: false });
  });

  it('reads a conversation and searches a contact’s conversations', async () => {
    const stub = stubFetch(
      json({
        id: 'conv1',
        contactId: 'c1',
        locationId: LOCATION,
        deleted: false,
        inbox: true,
        type: 1,
        unreadCount: 0,
        assignedTo: 'u1',
      }),
      json({
        conversations: [
          {
            id: 'conv1',
            contactId: 'c1',
            locationId: LOCATION,
            type: 'TYPE_PHONE',
            lastMessageType: 'TYPE_SMS',
          },
        ],
        total: 1,
      }),
    );
    const c = client(stub.fetch);
    expect(await c.getConversation('conv1')).toEqual({
      id: 'conv1',
      contactId: 'c1',
      locationId: LOCATION,
      assignedTo: 'u1',
      type: 1,
    });
    expect(
      await c.searchConversations({ locationId: LOCATION, contactId: 'c1', limit: 5 }),
    ).toEqual([
      {
        id: 'conv1',
        contactId: 'c1',
        locationId: LOCATION,
        type: 'TYPE_PHONE',
        lastMessageType: 'TYPE_SMS',
      },
    ]);
    const q = stub.requests[1]?.url.searchParams;
    expect([q?.get('locationId'), q?.get('contactId'), q?.get('limit')]).toEqual([
      LOCATION,
      'c1',
      '5',
    ]);
  });

  it('refuses ids that would change the path, before any request', async () => {
    const stub = stubFetch(json({}));
    const c = client(stub.fetch);
    for (const [call, field] of [
      [() => c.getContact('../users/x'), 'contactId'],
      [() => c.getMessage(''), 'messageId'],
      [() => c.listPhoneNumbers('a b'), 'locationId'],
      [() => c.listMessages('conv1', { type: 'sms' }), 'type'],
      [() => c.listMessages('conv1', { limit: 0 }), 'limit'],
      [() => c.searchConversations({ locationId: LOCATION, contactId: 'x?y' }), 'query.contactId'],
    ] as const) {
      const e = await caught(async () => call());
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe(field);
    }
    expect(stub.requests).toHaveLength(0);
  });
});

describe('HighLevel conversation messages', () => {
  it('reads the documented flat shape and the observed nested shape alike', async () => {
    const items = [
      hlMessage({ id: 'm2' }),
      hlMessage({ id: 'm1', direction: 'inbound', userId: undefined }),
    ];
    const flat = { lastMessageId: 'm1', nextPage: false, messages: items };
    const nested = { messages: { lastMessageId: 'm1', nextPage: false, messages: items } };
    const results = [];
    for (const body of [flat, nested]) {
      const pages = await allPages(client(stubFetch(json(body)).fetch).listMessages('conv1'));
      results.push(pages);
    }
    expect(results[0]).toEqual(results[1]);
    const first = results[0]?.[0]?.items[0];
    expect(first).toMatchObject({
      id: 'm2',
      direction: 'outbound',
      body: 'Hi there',
      messageType: 'TYPE_SMS',
      altId: `SM${'1'.repeat(32)}`,
      userId: 'user_123',
      status: 'delivered',
      source: 'app',
      contactId: 'contact1',
    });
    expect(first?.dateAdded.date.toISOString()).toBe('2025-03-27T18:13:49.000Z');
    expect(results[0]?.[0]?.items[1]?.userId).toBeUndefined();
  });

  it('follows lastMessageId while nextPage is true, with the type filter on each page', async () => {
    const stub = stubFetch(
      json({
        messages: {
          lastMessageId: 'm3',
          nextPage: true,
          messages: [hlMessage({ id: 'm4' }), hlMessage({ id: 'm3' })],
        },
      }),
      json({
        messages: { lastMessageId: 'm2', nextPage: true, messages: [hlMessage({ id: 'm2' })] },
      }),
      json({
        messages: { lastMessageId: 'm1', nextPage: false, messages: [hlMessage({ id: 'm1' })] },
      }),
    );
    const pages = await allPages(
      client(stub.fetch).listMessages('conv1', { type: 'TYPE_SMS', limit: 2 }),
    );
    expect(pages.map((p) => p.items.map((m) => m.id))).toEqual([['m4', 'm3'], ['m2'], ['m1']]);
    expect(pages.map((p) => p.itemsSoFar)).toEqual([2, 3, 4]);
    expect(stub.requests.map((r) => r.url.searchParams.get('lastMessageId'))).toEqual([
      null,
      'm3',
      'm2',
    ]);
    for (const r of stub.requests) {
      expect(r.url.searchParams.get('type')).toBe('TYPE_SMS');
      expect(r.url.searchParams.get('limit')).toBe('2');
    }
  });

  it('refuses a cursor that goes round in circles', async () => {
    const stub = stubFetch(
      json({ lastMessageId: 'm1', nextPage: true, messages: [hlMessage({ id: 'm1' })] }),
    );
    const e = await apiError(allPages(client(stub.fetch).listMessages('conv1')));
    expect(e.kind).toBe('malformed');
    expect(stub.requests).toHaveLength(2);
  });

  it('reads one message bare or wrapped as {message, traceId}', async () => {
    for (const body of [
      hlMessage({ id: 'm9' }),
      { message: hlMessage({ id: 'm9' }), traceId: 't-1' },
    ]) {
      const m = await client(stubFetch(json(body)).fetch).getMessage('m9');
      expect(m.id).toBe('m9');
      expect(m.altId).toBe(`SM${'1'.repeat(32)}`);
    }
  });

  it('names the offending field in either shape', async () => {
    const cases: [unknown, string][] = [
      [{ messages: 'none' }, 'response.messages should be an array or an object'],
      [{ nextPage: false }, 'response.messages is missing'],
      [
        { messages: { nextPage: false, messages: [hlMessage({ direction: 'up' })] } },
        'response.messages.messages[0].direction should be one of inbound, outbound',
      ],
      [
        { messages: [hlMessage({ dateAdded: 'someday' })], nextPage: false },
        'response.messages[0].dateAdded is not a readable date',
      ],
      [{ messages: [hlMessage()], lastMessageId: 'm1' }, 'response.nextPage is missing'],
    ];
    for (const [body, words] of cases) {
      const e = await apiError(allPages(client(stubFetch(json(body)).fetch).listMessages('conv1')));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain(words);
    }
  });
});

describe('HighLevel failures', () => {
  const contact = (c: HighLevelClient) => c.getContact('c1');

  it.each([
    [
      401,
      { statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' },
      'auth',
      'Private Integration token',
    ],
    [
      401,
      { statusCode: 401, message: 'The token is not authorized for this scope.' },
      'forbidden',
      'contacts.readonly',
    ],
    [
      403,
      { statusCode: 403, message: 'The token does not have access to this location.' },
      'forbidden',
      'contacts.readonly',
    ],
    [404, { statusCode: 404, message: 'Contact not found' }, 'not-found', 'Contact not found'],
    [
      400,
      { statusCode: 400, message: 'Contact not found' },
      'not-found',
      'deleted or belong to another',
    ],
    [
      400,
      { statusCode: 400, message: 'Bad Request' },
      'rejected',
      'refused the request to read contact c1',
    ],
    [
      422,
      {
        statusCode: 422,
        message: ['contactId must be a string', 'x'],
        error: 'Unprocessable Entity',
      },
      'rejected',
      'contactId must be a string; x',
    ],
    [500, { msg: 'Internal server error' }, 'server', 'Try again in a few minutes'],
  ] as const)('HTTP %i %j is %s', async (status, body, kind, words) => {
    const stub = stubFetch(json(body, status));
    const e = await apiError(contact(client(stub.fetch, { maxRetries: 0 })));
    expect(e.provider).toBe('highlevel');
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.message).toContain(words);
    expect(e.retryable).toBe(kind === 'server');
  });

  it('names the messages scope when reading messages is forbidden', async () => {
    const stub = stubFetch(json({ statusCode: 403, message: 'Forbidden' }, 403));
    const e = await apiError(allPages(client(stub.fetch).listMessages('conv1')));
    expect(e.message).toContain('conversations/message.readonly');
  });

  it('retries 5xx reads with backoff and gives up with a plain message', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(text('<html>502 Bad Gateway</html>', 502));
    const e = await apiError(
      contact(client(stub.fetch, { sleep, maxRetries: 2, random: () => 0.5 })),
    );
    expect(e.kind).toBe('server');
    expect(e.message).toContain('gave up after 3 attempts');
    expect(delays).toEqual([250, 500]);
  });

  it('waits out Retry-After on 429, then succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(
      json({ statusCode: 429, message: 'Too many requests' }, 429, { 'Retry-After': '3' }),
      json({ contact: { id: 'c1' } }),
    );
    await contact(client(stub.fetch, { sleep, random: () => 0 }));
    expect(delays).toEqual([3000]);
  });

  it('says so when there is no network', async () => {
    const e = await apiError(contact(client(stubFetch(offline()).fetch, { maxRetries: 0 })));
    expect(e.kind).toBe('network');
    expect(e.message).toContain('Could not reach HighLevel (services.leadconnectorhq.com)');
  });

  it('calls HTML, cut-off JSON, wrong types and missing fields malformed, naming the field', async () => {
    const cases: [Response, string][] = [
      [text('<html>Cloudflare</html>'), 'HTML page'],
      [text('{"contact": {"id": "c1"', 200, 'application/json'), 'cut off'],
      [json({ contact: { id: 7 } }), 'response.contact.id should be a string, got a number'],
      [
        json({ contact: { id: 'c1', dnd: 'no' } }),
        'response.contact.dnd should be a boolean or null',
      ],
      [
        json({ contact: { id: 'c1', dndSettings: { SMS: {} } } }),
        'response.contact.dndSettings.SMS.status is missing',
      ],
      [json({ id: 'c1' }), 'response.contact is missing'],
    ];
    for (const [answer, words] of cases) {
      const e = await apiError(contact(client(stubFetch(answer).fetch)));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain(words);
      expect(e.message).toContain('read contact c1');
    }
  });

  it('checks credentials with one number and one of the staff', async () => {
    const ok = stubFetch(
      json(numbersBody([phoneNumber()], 0, 1)),
      json({ location: { id: LOCATION, companyId: COMPANY } }),
      json({ users: [{ id: 'u1' }], count: 3 }),
    );
    await expect(client(ok.fetch).checkCredentials(LOCATION)).resolves.toEqual({ ok: true });
    expect(ok.requests.map((r) => r.url.pathname)).toEqual([
      `/phone-system/numbers/location/${LOCATION}`,
      `/locations/${LOCATION}`,
      '/users/search',
    ]);
    expect(ok.requests[0]?.url.searchParams.get('pageSize')).toBe('1');
    expect(ok.requests[2]?.url.searchParams.get('limit')).toBe('1');

    const refused = stubFetch(json({ statusCode: 401, message: 'Invalid JWT' }, 401));
    const result = await client(refused.fetch).checkCredentials(LOCATION);
    expect(result.ok ? 'ok' : result.error.kind).toBe('auth');
  });
});

describe('HighLevel token', () => {
  it('never appears in errors or in the client', async () => {
    const echoes = [
      json({ statusCode: 401, message: `Invalid token ${TOKEN}` }, 401),
      text(`<html>Bearer ${TOKEN}</html>`, 500),
      new TypeError(`failed ${TOKEN}`),
      json({ contact: { id: TOKEN, phone: 5 } }),
    ];
    for (const answer of echoes) {
      const c = client(stubFetch(answer).fetch, { maxRetries: 0 });
      const e = await apiError(c.getContact('c1'));
      for (const shown of [
        e.message,
        String(e),
        JSON.stringify(e),
        e.stack ?? '',
        inspect(e, { depth: 5 }),
      ]) {
        expect(shown).not.toContain(TOKEN);
      }
      for (const shown of [
        JSON.stringify(c),
        String(c),
        inspect(c, { depth: 5, showHidden: true }),
      ]) {
        expect(shown).not.toContain(TOKEN);
      }
    }
  });

  it('refuses a missing or spaced token without quoting it', () => {
    expect(() => new HighLevelClient({ credentials: { token: '' } })).toThrow(
      'credentials.token: is missing',
    );
    let error: unknown;
    try {
      new HighLevelClient({ credentials: { token: `Bearer ${TOKEN}` } });
    } catch (e) {
      error = e;
    }
    expect(String(error)).toContain('credentials.token');
    expect(String(error)).not.toContain(TOKEN);
  });
});
