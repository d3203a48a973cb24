import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError, InputError } from '../../lib/http/errors';
import {
  apiKeyRefusedFor,
  SUBACCOUNT_KEY_REFUSAL,
  SubaccountKeyError,
  TwilioClient,
  type TwilioClientOptions,
} from '../../lib/twilio';
import { allPages, caught, json, offline, recordingSleep, stubFetch, text } from '../http/stub';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const SUB = `AC${'5'.repeat(32)}`;
const TOKEN = 'f00dfacef00dfacef00dfacef00dface';
const KEY_SID = `SK${'b'.repeat(32)}`;
const KEY_SECRET = 'keySecret-0123456789abcdefghijkl';
const SM = (n: number) => `SM${n.toString(16).padStart(32, '0')}`;

function client(fetchStub: typeof fetch, extra: Partial<TwilioClientOptions> = {}): TwilioClient {
  return new TwilioClient({
    credentials: { kind: 'auth-token', accountSid: ACCOUNT, authToken: TOKEN },
    fetch: fetchStub,
    sleep: async () => {},
    random: () => 0,
    ...extra,
  });
}

function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_sid: ACCOUNT,
    api_version: '2010-04-01',
    body: 'Hello',
    date_created: 'Fri, 24 May 2019 17:44:46 +0000',
    date_sent: 'Fri, 24 May 2019 17:44:50 +0000',
    date_updated: 'Fri, 24 May 2019 17:44:50 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: '+14155550101',
    messaging_service_sid: null,
    num_media: '0',
    num_segments: '1',
    price: '-0.00750',
    price_unit: 'USD',
    sid: SM(1),
    status: 'delivered',
    subresource_uris: {},
    to: '+14155550199',
    uri: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${SM(1)}.json`,
    ...overrides,
  };
}

function number(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sid: `PN${'c'.repeat(32)}`,
    phone_number: '+14155550101',
    friendly_name: 'Main line',
    capabilities: { sms: true, mms: false, voice: true, fax: false },
    ...overrides,
  };
}

function listPage(key: string, items: unknown[], next: string | null): Record<string, unknown> {
  return {
    [key]: items,
    next_page_uri: next,
    page: 0,
    page_size: items.length,
    previous_page_uri: null,
  };
}

function twilioError(status: number, code: number, said = 'Twilio says no'): Response {
  return json(
    { code, message: said, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    status,
  );
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await caught(() => promise);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('TwilioClient requests', () => {
  it('authenticates with Basic auth built from the Account SID and Auth Token', async () => {
    const stub = stubFetch(json(listPage('incoming_phone_numbers', [], null)));
    await allPages(client(stub.fetch).listIncomingNumbers());
    const req = stub.requests[0];
    expect(req?.headers.get('authorization')).toBe(`Basic ${btoa(`${ACCOUNT}:${TOKEN}`)}`);
    expect(req?.url.origin).toBe('https://api.twilio.com');
    expect(req?.url.pathname).toBe(`/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`);
  });

  it('authenticates an API key as key SID and secret, with the account in the path', async () => {
    const stub = stubFetch(json(listPage('incoming_phone_numbers', [], null)));
    const c = new TwilioClient({
      credentials: {
        kind: 'api-key',
        accountSid: ACCOUNT,
        apiKeySid: KEY_SID,
        apiKeySecret: KEY_SECRET,
      },
      fetch: stub.fetch,
    });
    await allPages(c.listIncomingNumbers());
    expect(stub.requests[0]?.headers.get('authorization')).toBe(
      `Basic ${btoa(`${KEY_SID}:${KEY_SECRET}`)}`,
    );
    expect(stub.requests[0]?.url.pathname).toContain(`/Accounts/${ACCOUNT}/`);
  });

  it('lists incoming numbers with their capabilities, unknown ones left out', async () => {
    const stub = stubFetch(
      json(
        listPage(
          'incoming_phone_numbers',
          [
            number(),
            number({ phone_number: '+14155550102', friendly_name: null, capabilities: null }),
          ],
          null,
        ),
      ),
    );
    const pages = await allPages(client(stub.fetch).listIncomingNumbers());
    expect(pages).toHaveLength(1);
    expect(pages[0]?.items).toEqual([
      {
        sid: `PN${'c'.repeat(32)}`,
        phoneNumber: '+14155550101',
        friendlyName: 'Main line',
        capabilities: { sms: true, mms: false, voice: true },
      },
      {
        sid: `PN${'c'.repeat(32)}`,
        phoneNumber: '+14155550102',
        friendlyName: null,
        capabilities: {},
      },
    ]);
    expect(stub.requests[0]?.url.searchParams.get('PageSize')).toBe('1000');
  });

  it('encodes the To, From and DateSent> filters the way Twilio expects', async () => {
    const stub = stubFetch(json(listPage('messages', [], null)));
    await allPages(
      client(stub.fetch).listMessages({
        to: '+14155550199',
        from: '+14155550101',
        sentOnOrAfter: new Date('2025-03-01T00:00:00.000Z'),
        pageSize: 50,
      }),
    );
    const req = stub.requests[0];
    expect(req?.url.searchParams.get('DateSent>')).toBe('2025-03-01T00:00:00Z');
    expect(req?.rawUrl).toContain('DateSent%3E=2025-03-01T00%3A00%3A00Z');
    expect(req?.rawUrl).toContain('To=%2B14155550199');
    expect(req?.url.searchParams.get('From')).toBe('+14155550101');
    expect(req?.url.searchParams.get('PageSize')).toBe('50');
  });

  it('follows next_page_uri to the end, yielding each page with progress', async () => {
    const base = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json?PageSize=2`;
    const stub = stubFetch(
      json(
        listPage(
          'messages',
          [message({ sid: SM(1) }), message({ sid: SM(2) })],
          `${base}&Page=1&PageToken=PA1`,
        ),
      ),
      json(
        listPage(
          'messages',
          [message({ sid: SM(3) }), message({ sid: SM(4) })],
          `${base}&Page=2&PageToken=PA2`,
        ),
      ),
      json(listPage('messages', [message({ sid: SM(5) })], null)),
    );
    const pages = await allPages(client(stub.fetch).listMessages({ pageSize: 2 }));
    expect(pages.map((p) => p.items.map((m) => m.sid))).toEqual([
      [SM(1), SM(2)],
      [SM(3), SM(4)],
      [SM(5)],
    ]);
    expect(pages.map((p) => [p.index, p.itemsSoFar, p.hasMore])).toEqual([
      [0, 2, true],
      [1, 4, true],
      [2, 5, false],
    ]);
    expect(stub.requests.map((r) => r.url.searchParams.get('PageToken'))).toEqual([
      null,
      'PA1',
      'PA2',
    ]);
    for (const r of stub.requests) expect(r.headers.get('authorization')).toMatch(/^Basic /);
  });

  it('stops reading pages when the loop breaks', async () => {
    const next = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json?Page=1&PageToken=PA1`;
    const stub = stubFetch(json(listPage('messages', [message()], next)));
    for await (const page of client(stub.fetch).listMessages()) {
      expect(page.hasMore).toBe(true);
      break;
    }
    expect(stub.requests).toHaveLength(1);
  });

  it('refuses a next_page_uri that leaves the account or the host, or loops', async () => {
    const own = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json?Page=1`;
    const bad = [
      '//evil.example/2010-04-01/Accounts/x.json',
      'https://evil.example/2010-04-01/Accounts/x.json',
      `/2010-04-01/Accounts/AC${'f'.repeat(32)}/Messages.json?Page=1`,
    ];
    for (const next of bad) {
      const stub = stubFetch(json(listPage('messages', [message()], next)));
      const e = await apiError(allPages(client(stub.fetch).listMessages()));
      expect(e.kind).toBe('malformed');
      expect(stub.requests.every((r) => r.url.origin === 'https://api.twilio.com')).toBe(true);
    }
    const looping = stubFetch(json(listPage('messages', [message()], own)));
    const e = await apiError(allPages(client(looping.fetch).listMessages()));
    expect(e.message).toContain('already read');
    expect(looping.requests).toHaveLength(2);
  });

  it('maps a message, keeping the RFC 2822 date text and its parsed value', async () => {
    const stub = stubFetch(
      json(
        message({
          error_code: 30007,
          error_message: 'Message filtered',
          status: 'undelivered',
          num_segments: '3',
        }),
      ),
    );
    const m = await client(stub.fetch).getMessage(SM(1));
    expect(stub.requests[0]?.url.pathname).toBe(
      `/2010-04-01/Accounts/${ACCOUNT}/Messages/${SM(1)}.json`,
    );
    expect(m).toMatchObject({
      sid: SM(1),
      from: '+14155550101',
      to: '+14155550199',
      body: 'Hello',
      direction: 'outbound-api',
      status: 'undelivered',
      errorCode: 30007,
      errorMessage: 'Message filtered',
      numSegments: 3,
      numMedia: 0,
      price: '-0.00750',
      priceUnit: 'USD',
    });
    expect(m.dateSent?.text).toBe('Fri, 24 May 2019 17:44:50 +0000');
    expect(m.dateSent?.date.toISOString()).toBe('2019-05-24T17:44:50.000Z');
    expect(m.dateCreated?.date.toISOString()).toBe('2019-05-24T17:44:46.000Z');
  });

  it('keeps a queued message without a send date', async () => {
    const stub = stubFetch(
      json(message({ date_sent: null, status: 'queued', price: null, body: null })),
    );
    const m = await client(stub.fetch).getMessage(SM(1));
    expect(m.dateSent).toBeNull();
    expect(m.price).toBeNull();
    expect(m.body).toBe('');
  });

  it('sends a message form-encoded, with MediaUrl repeated', async () => {
    const stub = stubFetch(json(message({ status: 'queued', date_sent: null }), 201));
    const sent = await client(stub.fetch).createMessage({
      to: '+14155550199',
      from: '+14155550101',
      body: 'Hi & welcome',
      mediaUrls: ['https://example.com/a.jpg', 'https://example.com/b.png'],
    });
    expect(sent.status).toBe('queued');
    const req = stub.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(req?.body).toBe(
      'To=%2B14155550199&From=%2B14155550101&Body=Hi+%26+welcome' +
        '&MediaUrl=https%3A%2F%2Fexample.com%2Fa.jpg&MediaUrl=https%3A%2F%2Fexample.com%2Fb.png',
    );
    expect(new URLSearchParams(req?.body).getAll('MediaUrl')).toHaveLength(2);
  });

  it('refuses bad input before sending anything, naming the field', async () => {
    const stub = stubFetch(json({}));
    const c = client(stub.fetch);
    const bad: [() => unknown, string][] = [
      [() => c.createMessage({ to: '415-555-0199', from: '+14155550101', body: 'x' }), 'input.to'],
      [() => c.createMessage({ to: '+14155550199', body: 'x' }), 'input.from'],
      [() => c.createMessage({ to: '+14155550199', from: '+14155550101' }), 'input.body'],
      [
        () =>
          c.createMessage({
            to: '+14155550199',
            from: '+14155550101',
            mediaUrls: Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.jpg`),
          }),
        'input.mediaUrls',
      ],
      [
        () =>
          c.createMessage({
            to: '+14155550199',
            from: '+14155550101',
            mediaUrls: ['file:///etc/passwd'],
          }),
        'input.mediaUrls[0]',
      ],
      [() => c.getMessage('SM123'), 'sid'],
      [() => c.listMessages({ to: 'nope' }), 'filter.to'],
      [() => c.listMessages({ sentOnOrAfter: new Date('garbage') }), 'filter.sentOnOrAfter'],
      [() => c.listIncomingNumbers({ pageSize: 5000 }), 'pageSize'],
    ];
    for (const [call, field] of bad) {
      const e = await caught(async () => call());
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe(field);
    }
    expect(stub.requests).toHaveLength(0);
  });

  it('refuses malformed credentials without quoting the secret', () => {
    const make = (credentials: unknown) => () =>
      new TwilioClient({ credentials: credentials as TwilioClientOptions['credentials'] });
    expect(make({ kind: 'auth-token', accountSid: 'AC1', authToken: TOKEN })).toThrow(
      'credentials.accountSid',
    );
    expect(make({ kind: 'auth-token', accountSid: ACCOUNT, authToken: '' })).toThrow(
      'credentials.authToken',
    );
    expect(
      make({ kind: 'api-key', accountSid: ACCOUNT, apiKeySid: 'SK1', apiKeySecret: 'x' }),
    ).toThrow('credentials.apiKeySid');
    expect(make({ kind: 'password', accountSid: ACCOUNT })).toThrow('credentials.kind');
    const spaced = `${TOKEN} `;
    let error: unknown;
    try {
      make({ kind: 'auth-token', accountSid: ACCOUNT, authToken: spaced })();
    } catch (e) {
      error = e;
    }
    expect(String(error)).toContain('credentials.authToken');
    expect(String(error)).not.toContain(TOKEN);
  });
});

describe('TwilioClient on a subaccount', () => {
  const subClient = (fetchStub: typeof fetch) => client(fetchStub, { accountSid: SUB });

  it('puts the subaccount in every path and authenticates as the main account', async () => {
    const stub = stubFetch(
      json(listPage('incoming_phone_numbers', [number()], null)),
      json(listPage('messages', [message({ account_sid: SUB })], null)),
      json(message({ account_sid: SUB })),
      json(message({ account_sid: SUB, status: 'queued' }), 201),
    );
    const c = subClient(stub.fetch);
    await allPages(c.listIncomingNumbers());
    await allPages(c.listMessages({ to: '+14155550199' }));
    await c.getMessage(SM(1));
    await c.createMessage({ to: '+14155550199', from: '+14155550101', body: 'Hi' });
    expect(stub.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET /2010-04-01/Accounts/${SUB}/IncomingPhoneNumbers.json`,
      `GET /2010-04-01/Accounts/${SUB}/Messages.json`,
      `GET /2010-04-01/Accounts/${SUB}/Messages/${SM(1)}.json`,
      `POST /2010-04-01/Accounts/${SUB}/Messages.json`,
    ]);
    for (const r of stub.requests) {
      expect(r.headers.get('authorization')).toBe(`Basic ${btoa(`${ACCOUNT}:${TOKEN}`)}`);
    }
    expect(c.accountSid).toBe(SUB);
    expect(c.credentialsAccountSid).toBe(ACCOUNT);
    expect(c.toJSON()).toMatchObject({ accountSid: SUB, credentialsAccountSid: ACCOUNT });
  });

  it("follows the subaccount's pages and refuses the main account's", async () => {
    const subPage = `/2010-04-01/Accounts/${SUB}/Messages.json?PageSize=1&Page=1&PageToken=PA1`;
    const paged = stubFetch(
      json(listPage('messages', [message({ sid: SM(1) })], subPage)),
      json(listPage('messages', [message({ sid: SM(2) })], null)),
    );
    const pages = await allPages(subClient(paged.fetch).listMessages({ pageSize: 1 }));
    expect(pages.flatMap((p) => p.items.map((m) => m.sid))).toEqual([SM(1), SM(2)]);
    expect(paged.requests[1]?.url.pathname).toBe(`/2010-04-01/Accounts/${SUB}/Messages.json`);

    const mainPage = `/2010-04-01/Accounts/${ACCOUNT}/Messages.json?PageSize=1&Page=1`;
    const leaving = stubFetch(json(listPage('messages', [message()], mainPage)));
    const e = await apiError(allPages(subClient(leaving.fetch).listMessages()));
    expect(e.kind).toBe('malformed');
    expect(leaving.requests).toHaveLength(1);
  });

  it('refuses an API key of another account up front, with the sentence and no request', () => {
    const stub = stubFetch(json({}));
    const make = (accountSid: string) => () =>
      new TwilioClient({
        credentials: {
          kind: 'api-key',
          accountSid: ACCOUNT,
          apiKeySid: KEY_SID,
          apiKeySecret: KEY_SECRET,
        },
        accountSid,
        fetch: stub.fetch,
      });
    let error: unknown;
    try {
      make(SUB)();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SubaccountKeyError);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('auth');
    expect((error as ApiError).message).toBe(SUBACCOUNT_KEY_REFUSAL);
    expect(SUBACCOUNT_KEY_REFUSAL).toBe(
      "An API key of the main Twilio account cannot act on its subaccounts: use the main account's Auth Token, or an API key made in the subaccount.",
    );
    expect(JSON.stringify(error)).not.toContain(KEY_SECRET);
    expect(stub.requests).toHaveLength(0);
    // The key's own account, however its hex is cased, is no subaccount.
    expect(make(`AC${'A'.repeat(32)}`)().accountSid).toBe(`AC${'A'.repeat(32)}`);
    expect(make(ACCOUNT)().accountSid).toBe(ACCOUNT);
  });

  it('tells which credentials Twilio refuses on an account', () => {
    const key = { kind: 'api-key' as const, accountSid: ACCOUNT };
    const token = { kind: 'auth-token' as const, accountSid: ACCOUNT };
    expect(apiKeyRefusedFor(key, SUB)).toBe(true);
    expect(apiKeyRefusedFor(key, ACCOUNT)).toBe(false);
    expect(apiKeyRefusedFor(token, SUB)).toBe(false);
    expect(apiKeyRefusedFor(token, ACCOUNT)).toBe(false);
  });

  it('refuses an account SID that is not AC and 32 hex digits', () => {
    for (const bad of ['', 'AC123', `SK${'5'.repeat(32)}`, `AC${'g'.repeat(32)}`]) {
      expect(() => client(stubFetch(json({})).fetch, { accountSid: bad })).toThrow(InputError);
    }
  });
});

describe('TwilioClient.listAccounts', () => {
  const account = (sid: string, overrides: Record<string, unknown> = {}) => ({
    auth_token: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    date_created: 'Thu, 30 Jul 2015 20:00:00 +0000',
    friendly_name: `Account ${sid.slice(-4)}`,
    owner_account_sid: ACCOUNT,
    sid,
    status: 'active',
    type: 'Full',
    uri: `/2010-04-01/Accounts/${sid}.json`,
    ...overrides,
  });

  it('pages through the main account and its subaccounts, never keeping an Auth Token', async () => {
    const next = '/2010-04-01/Accounts.json?PageSize=2&Page=1&PageToken=PA1';
    const stub = stubFetch(
      json(listPage('accounts', [account(ACCOUNT), account(SUB)], next)),
      json(
        listPage(
          'accounts',
          [account(`AC${'6'.repeat(32)}`, { status: 'suspended', friendly_name: null })],
          null,
        ),
      ),
    );
    const pages = await allPages(client(stub.fetch).listAccounts({ pageSize: 2 }));
    expect(pages.flatMap((p) => p.items)).toEqual([
      { sid: ACCOUNT, friendlyName: 'Account aaaa', status: 'active', ownerAccountSid: ACCOUNT },
      { sid: SUB, friendlyName: 'Account 5555', status: 'active', ownerAccountSid: ACCOUNT },
      {
        sid: `AC${'6'.repeat(32)}`,
        friendlyName: null,
        status: 'suspended',
        ownerAccountSid: ACCOUNT,
      },
    ]);
    expect(JSON.stringify(pages)).not.toContain('c0ffee00');
    expect(stub.requests.map((r) => r.url.pathname)).toEqual([
      '/2010-04-01/Accounts.json',
      '/2010-04-01/Accounts.json',
    ]);
    expect(stub.requests[0]?.url.searchParams.get('PageSize')).toBe('2');
    expect(stub.requests[1]?.url.searchParams.get('PageToken')).toBe('PA1');
  });

  it('refuses a next_page_uri that is not a page of the Accounts list', async () => {
    const stub = stubFetch(
      json(listPage('accounts', [account(ACCOUNT)], `/2010-04-01/Accounts/${SUB}/Messages.json`)),
    );
    const e = await apiError(allPages(client(stub.fetch).listAccounts()));
    expect(e.kind).toBe('malformed');
    expect(stub.requests).toHaveLength(1);
  });

  it('says in words when a standard API key may not list accounts', async () => {
    const stub = stubFetch(twilioError(401, 20003, 'Authentication Error - invalid username'));
    const e = await apiError(
      allPages(
        client(stub.fetch, {
          credentials: {
            kind: 'api-key',
            accountSid: ACCOUNT,
            apiKeySid: KEY_SID,
            apiKeySecret: KEY_SECRET,
          },
        }).listAccounts(),
      ),
    );
    expect(e.kind).toBe('auth');
    expect(e.message).toContain('Twilio did not accept the credentials');
  });
});

describe('TwilioClient.checkCredentials', () => {
  it('reads a one-item list of incoming numbers, not /Accounts', async () => {
    const stub = stubFetch(
      json(
        listPage(
          'incoming_phone_numbers',
          [number()],
          `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json?Page=1`,
        ),
      ),
    );
    await expect(client(stub.fetch).checkCredentials()).resolves.toEqual({ ok: true });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.url.pathname).toBe(
      `/2010-04-01/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`,
    );
    expect(stub.requests[0]?.url.searchParams.get('PageSize')).toBe('1');
  });

  it('returns a typed auth error for refused credentials', async () => {
    const stub = stubFetch(twilioError(401, 20003, 'Authenticate'));
    const result = await client(stub.fetch).checkCredentials();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('auth');
    expect(result.error.code).toBe(20003);
    expect(result.error.message).toContain('Auth Token');
  });

  it('returns a network error when Twilio cannot be reached', async () => {
    const stub = stubFetch(offline());
    const result = await client(stub.fetch, { maxRetries: 1 }).checkCredentials();
    expect(result.ok ? 'ok' : result.error.kind).toBe('network');
  });
});

describe('Twilio error codes', () => {
  const cases: [number, number, ApiError['kind'], boolean, string][] = [
    [401, 20003, 'auth', false, 'Auth Token'],
    [429, 20429, 'rate-limited', true, 'limiting requests'],
    [400, 21211, 'rejected', false, 'not a valid phone number'],
    [400, 21408, 'rejected', false, 'Geo permissions'],
    [400, 21606, 'rejected', false, 'SMS-capable'],
    [400, 21610, 'rejected', false, 'STOP'],
    [400, 21612, 'rejected', false, 'cannot deliver'],
    [400, 21614, 'rejected', false, 'landline'],
    [400, 21617, 'rejected', false, '1,600 characters'],
    [400, 30001, 'rejected', true, 'queue overflow'],
    [400, 30002, 'rejected', false, 'suspended'],
    [400, 30003, 'rejected', true, 'unreachable'],
    [400, 30004, 'rejected', false, 'blocked'],
    [400, 30005, 'rejected', false, 'no longer in service'],
    [400, 30006, 'rejected', false, 'landline'],
    [400, 30007, 'rejected', false, 'spam'],
    [400, 30008, 'rejected', true, 'Twilio support'],
    [400, 30034, 'rejected', false, 'A2P 10DLC'],
  ];

  it.each(cases)(
    'HTTP %i with code %i is %s (retryable %s) and explains itself',
    async (status, code, kind, retryable, words) => {
      const stub = stubFetch(twilioError(status, code));
      const e = await apiError(
        client(stub.fetch, { maxRetries: 0 }).createMessage({
          to: '+14155550199',
          from: '+14155550101',
          body: 'x',
        }),
      );
      expect(e.provider).toBe('twilio');
      expect(e.kind).toBe(kind);
      expect(e.code).toBe(code);
      expect(e.status).toBe(status);
      expect(e.retryable).toBe(retryable);
      expect(e.message).toContain(`Twilio error ${code}`);
      expect(e.message).toContain(words);
      expect(e.providerMessage).toBe('Twilio says no');
      expect(e.moreInfo).toBe(`https://www.twilio.com/docs/errors/${code}`);
    },
  );

  it('backs off on 20429 with full jitter, then succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(
      twilioError(429, 20429),
      twilioError(429, 20429),
      json(listPage('messages', [], null)),
    );
    await allPages(client(stub.fetch, { sleep, random: () => 0.999 }).listMessages());
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThan(500);
    expect(delays[0]).toBeGreaterThan(400);
    expect(delays[1]).toBeLessThan(1000);
    expect(delays[1]).toBeGreaterThan(900);
  });

  it('honours Retry-After on a 429', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(
      new Response(JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }), {
        status: 429,
        headers: { 'Retry-After': '5' },
      }),
      json(listPage('messages', [], null)),
    );
    await allPages(client(stub.fetch, { sleep, random: () => 0 }).listMessages());
    expect(delays).toEqual([5000]);
  });

  it('retries a 429 on send, but never a 5xx (the message may have gone out)', async () => {
    const { sleep, delays } = recordingSleep();
    const input = { to: '+14155550199', from: '+14155550101', body: 'x' };
    const limited = stubFetch(twilioError(429, 20429), json(message(), 201));
    await client(limited.fetch, { sleep }).createMessage(input);
    expect(limited.requests).toHaveLength(2);

    const failing = stubFetch(
      json({ code: 20500, message: 'Internal Server Error', status: 500 }, 500),
    );
    const e = await apiError(client(failing.fetch, { sleep }).createMessage(input));
    expect(e.kind).toBe('server');
    expect(e.retryable).toBe(true);
    expect(failing.requests).toHaveLength(1);
    expect(delays).toHaveLength(1);
  });
});

describe('Twilio failures without a known code', () => {
  const list = (c: TwilioClient) => allPages(c.listIncomingNumbers());

  it.each([
    [401, 'auth', 'Account SID'],
    [403, 'forbidden', 'restricted API key'],
    [404, 'not-found', 'Check the Account SID'],
    [500, 'server', 'status.twilio.com'],
    [503, 'server', 'Try again in a few minutes'],
    [400, 'rejected', 'refused the request'],
  ] as const)('HTTP %i is %s', async (status, kind, words) => {
    const stub = stubFetch(text('<html>error</html>', status));
    const e = await apiError(list(client(stub.fetch, { maxRetries: 1 })));
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.message).toContain(words);
    expect(e.retryable).toBe(kind === 'server');
    expect(stub.requests).toHaveLength(kind === 'server' ? 2 : 1);
  });

  it('says so when the network is down', async () => {
    const e = await apiError(list(client(stubFetch(offline()).fetch, { maxRetries: 0 })));
    expect(e.kind).toBe('network');
    expect(e.message).toContain('Could not reach Twilio (api.twilio.com)');
  });

  it('names the field when a body has wrong types or missing fields', async () => {
    const cases: [unknown, string][] = [
      [
        listPage('incoming_phone_numbers', [number({ phone_number: 14155550101 })], null),
        'incoming_phone_numbers[0].phone_number should be a string, got a number',
      ],
      [
        listPage('incoming_phone_numbers', [number({ capabilities: { sms: 'yes' } })], null),
        'capabilities.sms should be a boolean',
      ],
      [
        listPage('incoming_phone_numbers', [{ sid: 'PN1' }], null),
        'incoming_phone_numbers[0].phone_number is missing',
      ],
      [{ next_page_uri: null }, 'response.incoming_phone_numbers is missing'],
      [{ incoming_phone_numbers: {} }, 'should be an array, got an object'],
    ];
    for (const [body, words] of cases) {
      const e = await apiError(list(client(stubFetch(json(body)).fetch)));
      expect(e.kind).toBe('malformed');
      expect(e.retryable).toBe(false);
      expect(e.message).toContain(words);
      expect(e.message).toContain('while trying to list the account’s phone numbers');
    }
  });

  it('refuses a message with an unknown direction or an unreadable date', async () => {
    for (const [override, words] of [
      [{ direction: 'sideways' }, 'response.direction should be one of'],
      [{ date_sent: '2019-05-24 17:44' }, 'response.date_sent is not a readable date'],
      [{ num_segments: 2 }, 'response.num_segments should be a string'],
      [{ error_code: '30007' }, 'response.error_code should be an integer or null'],
    ] as const) {
      const e = await apiError(client(stubFetch(json(message(override))).fetch).getMessage(SM(1)));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain(words);
    }
  });

  it('calls an HTML page and cut-off JSON malformed', async () => {
    for (const body of ['<html><title>Login</title></html>', '{"incoming_phone_numbers": [']) {
      const e = await apiError(list(client(stubFetch(text(body)).fetch)));
      expect(e.kind).toBe('malformed');
    }
  });
});

describe('Twilio secrets', () => {
  const secrets = [
    TOKEN,
    KEY_SECRET,
    btoa(`${ACCOUNT}:${TOKEN}`),
    btoa(`${KEY_SID}:${KEY_SECRET}`),
  ];
  const expectClean = (shown: string) => {
    for (const s of secrets) expect(shown).not.toContain(s);
  };

  it('never appear in an error, whatever went wrong', async () => {
    for (const kind of ['auth-token', 'api-key'] as const) {
      const credentials =
        kind === 'auth-token'
          ? { kind, accountSid: ACCOUNT, authToken: TOKEN }
          : { kind, accountSid: ACCOUNT, apiKeySid: KEY_SID, apiKeySecret: KEY_SECRET };
      const secret = kind === 'auth-token' ? TOKEN : KEY_SECRET;
      const user = kind === 'auth-token' ? ACCOUNT : KEY_SID;
      // A provider or proxy that echoes what it was sent.
      const echo = `Bad credentials ${secret} / ${encodeURIComponent(secret)} / Basic ${btoa(`${user}:${secret}`)}`;
      const answers = [
        json(
          { code: 20003, message: echo, more_info: `https://x.test/?t=${secret}`, status: 401 },
          401,
        ),
        text(`<html>${echo}</html>`, 500),
        text(`<html>${echo}</html>`, 200),
        new TypeError(`connect failed for ${secret}`),
        json(listPage('incoming_phone_numbers', [number({ sid: 7 })], null)),
      ];
      for (const [i, answer] of answers.entries()) {
        const c = new TwilioClient({ credentials, fetch: stubFetch(answer).fetch, maxRetries: 0 });
        const e = await apiError(allPages(c.listIncomingNumbers()));
        // The echoed text did reach the error, scrubbed.
        if (i === 0 || i === 1 || i === 3) expect(e.providerMessage).toContain('[redacted]');
        expectClean(e.message);
        expectClean(String(e));
        expectClean(JSON.stringify(e));
        expectClean(e.stack ?? '');
        expectClean(inspect(e, { depth: 5 }));
        const result = await c.checkCredentials();
        expectClean(JSON.stringify(result));
      }
    }
  });

  it('never appear in the client itself when logged or serialised', () => {
    const c = client(stubFetch(json({})).fetch);
    expectClean(JSON.stringify(c));
    expectClean(String(c));
    expectClean(inspect(c, { depth: 5, showHidden: true }));
    expect(JSON.stringify(c)).toContain(ACCOUNT);
  });
});
