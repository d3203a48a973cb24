import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createMessageRouter } from '../../lib/messaging/background';
import { MessagingError, sendRequest } from '../../lib/messaging/client';
import {
  coreRequests,
  type RequestType,
  type ResolvePayload,
  type ResolveResponse,
} from '../../lib/messaging/protocol';
import { contentScript, EXTENSION_ID, EXTENSION_ORIGIN, extensionPage } from './senders';

const answer: ResolveResponse = {
  error: 'no-sender-number',
  message: 'No usable number.',
  warnings: [],
  trace: [],
  syncedAt: null,
};

// The client is typed over the whole catalogue; the router here answers the core requests.
const router = createMessageRouter(
  coreRequests,
  { resolve: async () => answer },
  { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN },
);

/**
 * The fake's sendMessage ignores listeners that answer with a promise, so
 * messages go straight to the router, as the browser would deliver them from
 * `sender`.
 */
function deliverFrom(sender: Browser.runtime.MessageSender) {
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation(((message: unknown) =>
    router(message, sender)) as typeof fakeBrowser.runtime.sendMessage);
}

async function thrown(promise: Promise<unknown>): Promise<MessagingError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MessagingError) return error;
    throw error;
  }
  throw new Error('expected a MessagingError, got a value');
}

describe('sendRequest', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => vi.restoreAllMocks());

  it('sends {type, payload} and returns the unwrapped value', async () => {
    deliverFrom(extensionPage());
    const value = await sendRequest('resolve', {
      locationId: 'loc1',
      send: { via: 'bulk', contactId: 'c1' },
    });
    expect(value).toEqual(answer);
    expect(fakeBrowser.runtime.sendMessage).toHaveBeenCalledWith({
      type: 'resolve',
      payload: { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1' } },
    });
  });

  it('throws a MessagingError carrying the code and the path of a refusal', async () => {
    deliverFrom(extensionPage());
    // A payload the types forbid, as a buggy or hostile caller could still send.
    const bad = { locationId: 'loc1', send: { via: 'sms', contactId: 'c1' } } as never;
    const error = await thrown(sendRequest('resolve', bad));
    expect(error.code).toBe('bad-request');
    expect(error.path).toBe('send.via');
    expect(error.message).toContain('send.via: expected "conversation", "workflow" or "bulk"');
  });

  it('throws forbidden when the browser says the sender is someone else', async () => {
    deliverFrom(contentScript({ id: 'other-extension' }));
    const error = await thrown(
      sendRequest('resolve', { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1' } }),
    );
    expect(error.code).toBe('forbidden');
    expect(error.path).toBeUndefined();
  });

  it('throws unreachable when nothing answers or sendMessage fails', async () => {
    const payload = { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1' } } as const;
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValueOnce(undefined);
    expect((await thrown(sendRequest('resolve', payload))).code).toBe('unreachable');

    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValueOnce(
      new Error('Could not establish connection. Receiving end does not exist.'),
    );
    const error = await thrown(sendRequest('resolve', payload));
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('Receiving end does not exist');
  });

  it.each([
    ['a bare value', 'hello'],
    ['ok without a value', { ok: true }],
    ['an unknown error code', { ok: false, error: { code: 'teapot', message: 'x' } }],
    ['an error without a message', { ok: false, error: { code: 'forbidden' } }],
  ])('throws bad-reply for %s', async (_name, reply) => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValueOnce(reply as never);
    const error = await thrown(
      sendRequest('resolve', { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1' } }),
    );
    expect(error.code).toBe('bad-reply');
  });

  // Checked by tsc (npm test runs it), not at run time.
  it('is typed from the request type to its answer', () => {
    expectTypeOf(sendRequest<'resolve'>).returns.resolves.toEqualTypeOf<ResolveResponse>();
    expectTypeOf(sendRequest<'resolve'>)
      .parameter(1)
      .toEqualTypeOf<ResolvePayload>();
    expectTypeOf<Parameters<typeof sendRequest>[0]>().toEqualTypeOf<RequestType>();
  });
});
