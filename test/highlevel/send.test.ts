/**
 * HighLevelClient.sendMessage: the request shape (checked by the spec-checked
 * fake), the answer, and above all that a send is never repeated unless
 * HighLevel turned it away with a 429, counted by the messages the fake stored.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  HighLevelClient,
  type HighLevelClientOptions,
  type SendMessageInput,
} from '../../lib/highlevel';
import { ApiError, InputError } from '../../lib/http/errors';
import { createFakeHighLevel, expectNoViolations, type FakeHighLevel } from '../fakes';
import { allPages, caught, json, recordingSleep, stubFetch } from '../http/stub';

const LOC = 'locSend00000000000001';
const CONTACT = 'contactRubika';
const OURS = '+14155550101';
const DEFAULT = '+14155550102';
const RUBIKA = '+18832327657';

let fake: FakeHighLevel;

beforeEach(async () => {
  fake = await createFakeHighLevel({
    seed: 'client-send',
    now: () => new Date('2025-03-10T09:00:00Z'),
  });
  fake.addLocation({ id: LOC, name: 'Alpha Dental' });
  fake.addNumber(LOC, { phoneNumber: OURS, sms: true, voice: true });
  fake.addNumber(LOC, { phoneNumber: DEFAULT, sms: true, voice: true, isDefault: true });
  fake.addContact(LOC, { id: CONTACT, name: 'Rubika Deo', phone: RUBIKA });
  fake.addContact(LOC, { id: 'contactNew', name: 'New Person', phone: '+18832327658' });
  fake.addConversation(LOC, { id: 'convRubika', contactId: CONTACT });
  fake.addConversationMessage('convRubika', {
    id: 'msgOld',
    direction: 'inbound',
    body: 'Can I move my appointment?',
    dateAdded: new Date('2025-03-09T17:00:00Z'),
  });
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

function input(overrides: Partial<SendMessageInput> = {}): SendMessageInput {
  return {
    contactId: CONTACT,
    body: 'Sure, Thursday at 3pm works',
    fromNumber: OURS,
    toNumber: RUBIKA,
    ...overrides,
  };
}

/** How many times the client posted a send to the fake. */
function posts(): number {
  return fake.requests.filter((r) => r.method === 'POST' && r.path === '/conversations/messages')
    .length;
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await caught(() => promise);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('HighLevelClient.sendMessage against the fake', () => {
  it('posts an SMS the spec accepts and reads it back from the conversation', async () => {
    const c = client();
    const sent = await c.sendMessage(input());
    expect(sent).toEqual({
      conversationId: 'convRubika',
      messageId: expect.any(String),
      status: 'pending',
    });
    const [page] = await allPages(c.listMessages('convRubika', { limit: 1 }));
    expect(page?.items[0]).toMatchObject({
      id: sent.messageId,
      direction: 'outbound',
      body: 'Sure, Thursday at 3pm works',
      from: OURS,
      to: RUBIKA,
      status: 'pending',
      source: 'api',
    });
    fake.setMessageStatus(sent.messageId, 'delivered');
    expect(await c.getMessage(sent.messageId)).toMatchObject({ status: 'delivered' });
    expect(posts()).toBe(1);
  });

  it('sends media as attachments, with or without text, into a new conversation', async () => {
    const c = client();
    const sent = await c.sendMessage(
      input({
        contactId: 'contactNew',
        toNumber: '+18832327658',
        body: '',
        mediaUrls: ['https://example.com/map.png', 'http://example.com/menu.pdf'],
      }),
    );
    expect(sent.conversationId).not.toBe('convRubika');
    expect(await c.getMessage(sent.messageId)).toMatchObject({
      body: '',
      attachments: ['https://example.com/map.png', 'http://example.com/menu.pdf'],
      conversationId: sent.conversationId,
    });
  });

  it('reports HighLevel refusing the send as not-found or rejected, without retrying', async () => {
    const unknown = await apiError(client().sendMessage(input({ contactId: 'contactGone' })));
    expect(unknown.kind).toBe('not-found');
    expect(unknown.providerMessage).toBe('Contact not found: contactId contactGone');
    const wrongFrom = await apiError(client().sendMessage(input({ fromNumber: '+14155550199' })));
    expect(wrongFrom.kind).toBe('rejected');
    expect(wrongFrom.message).toContain(
      'HighLevel refused the request to send an SMS to contact contactRubika',
    );
    expect(wrongFrom.providerMessage).toContain('+14155550199');
    expect(posts()).toBe(2);
    expect(fake.messageCount()).toBe(1);
  });
});

describe('HighLevelClient.sendMessage is not repeated', () => {
  it.each([500, 502, 503])('after a %i: one post, nothing stored', async (status) => {
    const { sleep, delays } = recordingSleep();
    fake.faults.serverError(1, status);
    const e = await apiError(client({ sleep }).sendMessage(input()));
    expect(e.kind).toBe('server');
    expect(posts()).toBe(1);
    expect(delays).toEqual([]);
    expect(fake.messageCount()).toBe(1);
  });

  it('after a connection dropped before HighLevel handled it', async () => {
    fake.faults.drop(1);
    const e = await apiError(client().sendMessage(input()));
    expect(e.kind).toBe('network');
    expect(posts()).toBe(1);
    expect(fake.messageCount()).toBe(1);
  });

  it('after a connection dropped once the message was stored: it exists exactly once', async () => {
    fake.faults.drop(1, { afterHandling: true });
    const e = await apiError(client().sendMessage(input()));
    expect(e.kind).toBe('network');
    expect(posts()).toBe(1);
    expect(fake.messageCount()).toBe(2);
    const [page] = await allPages(client().listMessages('convRubika'));
    expect(page?.items.map((m) => m.body)).toEqual([
      'Sure, Thursday at 3pm works',
      'Can I move my appointment?',
    ]);
  });

  it('after a time-out', async () => {
    fake.faults.slow(1, 200);
    const e = await apiError(client({ timeoutMs: 20 }).sendMessage(input()));
    expect(e.kind).toBe('timeout');
    expect(posts()).toBe(1);
  });

  it.each(['truncated-json', 'missing-fields'] as const)(
    'after a %s answer to a send that went through',
    async (kind) => {
      fake.faults.malformed(1, kind);
      const e = await apiError(client().sendMessage(input()));
      expect(e.kind).toBe('malformed');
      expect(e.message).toMatch(
        /^HighLevel sent an answer Sender Lens cannot read while trying to send an SMS/,
      );
      expect(posts()).toBe(1);
      expect(fake.messageCount()).toBe(2);
    },
  );

  it('but is retried after a 429, which HighLevel answers before doing anything', async () => {
    const { sleep, delays } = recordingSleep();
    fake.faults.rateLimit(2, { retryAfterSeconds: 1 });
    const sent = await client({ sleep }).sendMessage(input());
    expect(sent.status).toBe('pending');
    expect(delays).toEqual([1000, 1000]);
    expect(posts()).toBe(3);
    expect(fake.messageCount()).toBe(2);
  });

  it('and gives up on 429 after maxRetries, having sent nothing', async () => {
    fake.faults.rateLimit(5);
    const e = await apiError(client({ maxRetries: 2 }).sendMessage(input()));
    expect(e.kind).toBe('rate-limited');
    expect(posts()).toBe(3);
    expect(fake.messageCount()).toBe(1);
  });
});

describe('HighLevelClient.sendMessage request and answer', () => {
  const TOKEN = 'pit-1234abcd-5678-efgh-ijkl-9876543210ab';
  const answer = { conversationId: 'conv1', messageId: 'msg1', status: 'pending' };

  function stubbed(...answers: Parameters<typeof stubFetch>) {
    const stub = stubFetch(...answers);
    const c = new HighLevelClient({
      credentials: { token: TOKEN },
      fetch: stub.fetch,
      sleep: async () => {},
    });
    return { c, stub };
  }

  it('posts JSON with the token, the conversations Version and only the fields given', async () => {
    const { c, stub } = stubbed(json(answer));
    await c.sendMessage(input());
    await c.sendMessage(input({ mediaUrls: ['https://example.com/a.jpg'] }));
    const [plain, withMedia] = stub.requests;
    expect(plain?.method).toBe('POST');
    expect(plain?.url.href).toBe('https://services.leadconnectorhq.com/conversations/messages');
    expect(Object.fromEntries(plain?.headers ?? [])).toEqual({
      accept: 'application/json',
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      version: '2021-04-15',
    });
    expect(JSON.parse(plain?.body ?? '')).toEqual({
      type: 'SMS',
      contactId: CONTACT,
      message: 'Sure, Thursday at 3pm works',
      fromNumber: OURS,
      toNumber: RUBIKA,
    });
    expect(JSON.parse(withMedia?.body ?? '')).toMatchObject({
      attachments: ['https://example.com/a.jpg'],
    });
    // The fake never saw these requests: nothing for afterEach to find.
    expect(fake.requests).toEqual([]);
  });

  it('names the missing or mistyped field of a malformed answer', async () => {
    for (const [body, problem] of [
      [{ conversationId: 'conv1', messageId: 'msg1' }, 'response.status is missing'],
      [{ conversationId: 'conv1', status: 'pending' }, 'response.messageId is missing'],
      [{ ...answer, conversationId: 7 }, 'response.conversationId should be a string'],
      [[answer], 'response should be an object'],
    ] as const) {
      const { c, stub } = stubbed(json(body));
      const e = await apiError(c.sendMessage(input()));
      expect(e.kind).toBe('malformed');
      expect(e.retryable).toBe(false);
      expect(e.message).toContain(problem);
      expect(stub.requests).toHaveLength(1);
    }
  });

  it('takes a status the answer’s enum lacks, since the message went out anyway', async () => {
    const { c } = stubbed(json({ ...answer, status: 'queued' }));
    expect(await c.sendMessage(input())).toEqual({ ...answer, status: 'queued' });
  });

  it('refuses bad input before sending, naming the field', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `https://example.com/${i}.jpg`);
    const cases: [unknown, string][] = [
      [null, 'input'],
      [input({ contactId: 'contact/../x' }), 'input.contactId'],
      [input({ contactId: '' }), 'input.contactId'],
      [input({ fromNumber: '4155550101' }), 'input.fromNumber'],
      [input({ toNumber: '+1 (883) 232-7657' }), 'input.toNumber'],
      [input({ body: '' }), 'input.body'],
      [input({ body: '  \n ' }), 'input.body'],
      [input({ body: 42 as unknown as string }), 'input.body'],
      [input({ mediaUrls: eleven }), 'input.mediaUrls'],
      [input({ mediaUrls: 'https://example.com/a.jpg' as unknown as string[] }), 'input.mediaUrls'],
      [
        input({ mediaUrls: ['https://example.com/a.jpg', 'ftp://example.com/b.jpg'] }),
        'input.mediaUrls[1]',
      ],
      [input({ body: '', mediaUrls: ['/relative.jpg'] }), 'input.mediaUrls[0]'],
    ];
    const { c, stub } = stubbed(json(answer));
    for (const [bad, field] of cases) {
      const e = await caught(() => c.sendMessage(bad as SendMessageInput));
      expect(e, field).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe(field);
    }
    expect(stub.requests).toEqual([]);
    // Ten URLs is the limit, not past it.
    await c.sendMessage(input({ mediaUrls: eleven.slice(0, 10) }));
    expect(stub.requests).toHaveLength(1);
  });
});
