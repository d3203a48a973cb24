import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  classifySender,
  createMessageRouter,
  extensionOriginOf,
  type Handlers,
  PublicError,
  type VerifiedSender,
} from '../../lib/messaging/background';
import {
  type Catalogue,
  coreRequests,
  type Reply,
  type ResolvePayload,
  type ResolveResponse,
} from '../../lib/messaging/protocol';
import { request } from '../../lib/messaging/request';
import { object, string } from '../../lib/messaging/schema';
import { contentScript, EXTENSION_ID, EXTENSION_ORIGIN, extensionPage, tab } from './senders';

const options = { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN };

// The router's checks, shown on a request that both contexts may send (the
// real `resolve` is for extension pages only; see the test at the end).
const requests = {
  resolve: { ...coreRequests.resolve, from: ['content-script', 'extension-page'] as const },
};

const validSend = { via: 'conversation', contactId: 'c1', userId: 'u1' } as const;
const validPayload: ResolvePayload = { locationId: 'loc1', send: validSend };

const answer: ResolveResponse = {
  from: '+14155550101',
  rule: 'user-number',
  warnings: [],
  trace: [],
  syncedAt: '2026-11-01T10:00:00Z',
};

function resolveRouter(resolve: Handlers<typeof requests>['resolve']) {
  return createMessageRouter(requests, { resolve }, { ...options, onHandlerError: () => {} });
}

function errorOf(reply: Reply<unknown>) {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.value)}`);
  return reply.error;
}

describe('resolve through the router', () => {
  let calls: { payload: ResolvePayload; sender: VerifiedSender }[];
  let router: ReturnType<typeof resolveRouter>;

  beforeEach(() => {
    calls = [];
    router = resolveRouter(async (payload, sender) => {
      calls.push({ payload, sender });
      return answer;
    });
  });

  it('answers a content script in the top frame, with the sender it checked', async () => {
    const reply = await router({ type: 'resolve', payload: validPayload }, contentScript());
    expect(reply).toEqual({ ok: true, value: answer });
    expect(calls).toEqual([
      {
        payload: validPayload,
        sender: {
          context: 'content-script',
          origin: 'https://app.gohighlevel.com',
          tabId: 7,
          frameId: 0,
        },
      },
    ]);
  });

  it('answers the popup and the options page opened in a tab', async () => {
    expect(await router({ type: 'resolve', payload: validPayload }, extensionPage())).toEqual({
      ok: true,
      value: answer,
    });
    const optionsTab = extensionPage({
      tab: tab(9, `${EXTENSION_ORIGIN}/options.html`),
      frameId: 0,
      url: `${EXTENSION_ORIGIN}/options.html`,
    });
    expect((await router({ type: 'resolve', payload: validPayload }, optionsTab)).ok).toBe(true);
    expect(calls.map((c) => c.sender)).toEqual([
      { context: 'extension-page', origin: EXTENSION_ORIGIN },
      { context: 'extension-page', origin: EXTENSION_ORIGIN, tabId: 9 },
    ]);
  });

  it('hands the handler a fresh copy, not the object that was sent', async () => {
    const payload = { locationId: 'loc1', send: { ...validSend } };
    await router({ type: 'resolve', payload }, contentScript());
    expect(calls[0]?.payload).toEqual(payload);
    expect(calls[0]?.payload).not.toBe(payload);
    expect(calls[0]?.payload.send).not.toBe(payload.send);
  });

  it('works through runtime.onMessage, replying with the promise it returns', async () => {
    fakeBrowser.reset();
    fakeBrowser.runtime.onMessage.addListener(router);
    const replies = await fakeBrowser.runtime.onMessage.trigger(
      { type: 'resolve', payload: validPayload },
      contentScript(),
      () => {},
    );
    expect(replies).toEqual([{ ok: true, value: answer }]);
  });
});

describe('refusing senders', () => {
  const handler = vi.fn(async () => answer);
  const router = resolveRouter(handler);
  const message = { type: 'resolve', payload: validPayload };

  beforeEach(() => handler.mockClear());

  it.each([
    ['another extension', contentScript({ id: 'other-extension-id' })],
    ['a sender without an id', contentScript({ id: undefined })],
    ['a sender without an origin, whatever its url says', extensionPage({ origin: undefined })],
    ['an empty origin', contentScript({ origin: '' })],
    ['a web origin outside any tab', { id: EXTENSION_ID, origin: 'https://evil.example' }],
    ['a tab sender without a frameId', contentScript({ frameId: undefined })],
    ['a tab without a usable id (TAB_ID_NONE)', contentScript({ tab: tab(-1) })],
  ])('refuses %s as forbidden, before any handler runs', async (_name, sender) => {
    const error = errorOf(await router(message, sender));
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/^Request refused: sender /);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses a content script in a sub-frame when the request is top-frame only', async () => {
    const error = errorOf(await router(message, contentScript({ frameId: 3 })));
    expect(error).toEqual({
      code: 'forbidden',
      message: '"resolve" may not be sent from a content script in a sub-frame.',
    });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('who may send what', () => {
  // A test-only catalogue: one request only extension pages may send, one any
  // frame of a content script may send.
  const settingsOnly = request<{ saved: boolean }>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object({ note: string() }),
  });
  const anyFrame = request<string>()({
    from: ['content-script'],
    frames: 'any',
    payload: object({}),
  });
  const catalogue = { settingsOnly, anyFrame } satisfies Catalogue;
  const seen: VerifiedSender[] = [];
  const router = createMessageRouter(
    catalogue,
    {
      settingsOnly: (_payload, sender) => {
        seen.push(sender);
        return { saved: true };
      },
      anyFrame: (_payload, sender) => {
        seen.push(sender);
        return 'ok';
      },
    },
    options,
  );

  beforeEach(() => {
    seen.length = 0;
  });

  it('lets an extension page send an extension-page-only request', async () => {
    const reply = await router({ type: 'settingsOnly', payload: { note: 'x' } }, extensionPage());
    expect(reply).toEqual({ ok: true, value: { saved: true } });
  });

  it('refuses it from a content script', async () => {
    const reply = await router({ type: 'settingsOnly', payload: { note: 'x' } }, contentScript());
    expect(errorOf(reply)).toEqual({
      code: 'forbidden',
      message: '"settingsOnly" may not be sent from a content script.',
    });
    expect(seen).toEqual([]);
  });

  it('trusts sender.origin, not sender.url: a web-origin tab claiming an extension url is a content script', async () => {
    const spoofed = contentScript({
      origin: 'https://evil.example',
      url: `${EXTENSION_ORIGIN}/options.html`,
      tab: tab(5, `${EXTENSION_ORIGIN}/options.html`),
    });
    const reply = await router({ type: 'settingsOnly', payload: { note: 'x' } }, spoofed);
    expect(errorOf(reply).code).toBe('forbidden');
    expect(classifySender(spoofed, options)).toEqual({
      ok: true,
      sender: { context: 'content-script', origin: 'https://evil.example', tabId: 5, frameId: 0 },
    });
  });

  it('refuses a content-script-only request from an extension page', async () => {
    const reply = await router({ type: 'anyFrame', payload: {} }, extensionPage());
    expect(errorOf(reply).code).toBe('forbidden');
  });

  it('lets any frame send a request declared for any frame', async () => {
    const reply = await router({ type: 'anyFrame', payload: {} }, contentScript({ frameId: 4 }));
    expect(reply).toEqual({ ok: true, value: 'ok' });
    expect(seen).toEqual([
      { context: 'content-script', origin: 'https://app.gohighlevel.com', tabId: 7, frameId: 4 },
    ]);
  });
});

describe('refusing messages', () => {
  const handler = vi.fn(async () => answer);
  const router = resolveRouter(handler);

  beforeEach(() => handler.mockClear());

  it.each(['getSyncStatus', 'toString', '__proto__', 'constructor', ''])(
    'answers unknown-type for %j',
    async (type) => {
      const error = errorOf(await router({ type, payload: validPayload }, contentScript()));
      expect(error.code).toBe('unknown-type');
      expect(error.message).toBe(`Unknown request type ${JSON.stringify(type)}.`);
    },
  );

  it.each([
    ['a string', 'resolve'],
    ['null', null],
    ['an array', ['resolve', validPayload]],
    ['a numeric type', { type: 1, payload: validPayload }],
    ['an envelope with extra fields', { type: 'resolve', payload: validPayload, admin: true }],
  ])('answers bad-request for %s', async (_name, message) => {
    const error = errorOf(await router(message, contentScript()));
    expect(error.code).toBe('bad-request');
    expect(error.message).toMatch(/"type"/);
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['a missing contactId', { locationId: 'loc1', send: { via: 'bulk' } }, 'send.contactId'],
    ['via "sms"', { locationId: 'loc1', send: { via: 'sms', contactId: 'c1' } }, 'send.via'],
    [
      'a pick on a bulk send',
      { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1', pick: '+14155550101' } },
      'send.pick',
    ],
    ['a non-object payload', 'loc1', ''],
    ['no payload at all', undefined, ''],
    ['a send nested once too deep', { locationId: 'loc1', send: { send: validSend } }, 'send.via'],
    ['the payload wrapped in another object', { resolve: validPayload }, 'resolve'],
    ['a null userId', { locationId: 'loc1', send: { ...validSend, userId: null } }, 'send.userId'],
    ['an empty locationId', { locationId: '', send: validSend }, 'locationId'],
    [
      'an oversized contactId',
      { locationId: 'loc1', send: { via: 'bulk', contactId: 'x'.repeat(10_000) } },
      'send.contactId',
    ],
  ])('refuses %s, naming the field', async (_name, payload, path) => {
    const error = errorOf(await router({ type: 'resolve', payload }, contentScript()));
    expect(error.code).toBe('bad-request');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`${path === '' ? 'payload' : path}: `);
    expect(handler).not.toHaveBeenCalled();
  });

  it('spells the problem out in the message', async () => {
    const reply = await router(
      { type: 'resolve', payload: { locationId: 'loc1', send: { via: 'bulk' } } },
      contentScript(),
    );
    expect(errorOf(reply)).toEqual({
      code: 'bad-request',
      message: 'Bad "resolve" request: send.contactId: expected a string, got nothing.',
      path: 'send.contactId',
    });
    const sms = await router(
      { type: 'resolve', payload: { locationId: 'loc1', send: { via: 'sms', contactId: 'c1' } } },
      contentScript(),
    );
    expect(errorOf(sms).message).toBe(
      'Bad "resolve" request: send.via: expected "conversation", "workflow" or "bulk".',
    );
    const bulkPick = await router(
      {
        type: 'resolve',
        payload: { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1', pick: '+1' } },
      },
      contentScript(),
    );
    expect(errorOf(bulkPick).message).toBe(
      'Bad "resolve" request: send.pick: unexpected field: not part of a bulk send.',
    );
  });
});

describe('handler failures', () => {
  const SECRET = 'AC_SECRET_TOKEN_123';
  const message = { type: 'resolve', payload: validPayload };

  it('replaces the message of a plain Error, so a secret in it never leaves the background', async () => {
    const failures: unknown[] = [];
    const router = createMessageRouter(
      requests,
      {
        resolve: async () => {
          throw new Error(`Twilio answered 401 for https://${SECRET}:x@api.twilio.com`);
        },
      },
      { ...options, onHandlerError: (_type, error) => failures.push(error) },
    );
    const reply = await router(message, contentScript());
    expect(errorOf(reply).code).toBe('handler-failed');
    expect(errorOf(reply).message).toMatch(/internal error/);
    expect(JSON.stringify(reply)).not.toContain(SECRET);
    // The raw error stays available to the background, which may handle it.
    expect(String((failures[0] as Error).message)).toContain(SECRET);
  });

  it('logs only the error name by default, and does not leak a thrown string either', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const router = createMessageRouter(
        requests,
        {
          resolve: () => {
            throw new Error(SECRET);
          },
        },
        options,
      );
      const reply = await router(message, extensionPage());
      expect(JSON.stringify(reply)).not.toContain(SECRET);
      expect(log).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(log.mock.calls)).not.toContain(SECRET);
      expect(String(log.mock.calls[0]?.[0])).toContain('"resolve" handler failed (Error)');

      const throwsString = createMessageRouter(
        requests,
        {
          resolve: () => {
            throw SECRET;
          },
        },
        { ...options, onHandlerError: () => {} },
      );
      const second = await throwsString(message, extensionPage());
      expect(errorOf(second).code).toBe('handler-failed');
      expect(JSON.stringify(second)).not.toContain(SECRET);
    } finally {
      log.mockRestore();
    }
  });

  it('passes a PublicError message through as written', async () => {
    const router = resolveRouter(async () => {
      throw new PublicError('No data synced yet for this sub-account.');
    });
    expect(errorOf(await router(message, contentScript()))).toEqual({
      code: 'handler-failed',
      message: 'No data synced yet for this sub-account.',
    });
  });

  it('still answers, and never rejects, when the error callback itself throws', async () => {
    const router = createMessageRouter(
      requests,
      {
        resolve: () => {
          throw new Error(SECRET);
        },
      },
      {
        ...options,
        onHandlerError: () => {
          throw new Error(`logging failed: ${SECRET}`);
        },
      },
    );
    const reply = await router(message, contentScript());
    expect(errorOf(reply).code).toBe('handler-failed');
    expect(JSON.stringify(reply)).not.toContain(SECRET);
  });
});

describe('router setup', () => {
  it('cuts the origin out of the extension root URL for both browsers', () => {
    expect(extensionOriginOf('chrome-extension://abcdef/')).toBe('chrome-extension://abcdef');
    expect(extensionOriginOf('moz-extension://0f3a-11/')).toBe('moz-extension://0f3a-11');
    expect(() => extensionOriginOf('/relative/')).toThrow(/Not an extension root URL/);
  });

  it('refuses to build a router without an id or with an opaque origin', () => {
    const handlers = { resolve: async () => answer };
    expect(() => createMessageRouter(requests, handlers, { ...options, extensionId: '' })).toThrow(
      /extensionId/,
    );
    expect(() =>
      createMessageRouter(requests, handlers, { ...options, extensionOrigin: 'null' }),
    ).toThrow(/extensionOrigin/);
  });
});

describe('the real resolve request', () => {
  it('is refused to content scripts', async () => {
    const router = createMessageRouter(
      coreRequests,
      { resolve: async () => ({}) as never },
      options,
    );
    const reply = await router({ type: 'resolve', payload: validPayload }, contentScript());
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
