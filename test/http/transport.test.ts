import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/http/errors';
import { type HttpOptions, type RequestSpec, Transport } from '../../lib/http/transport';
import { caught, json, offline, recordingSleep, stubFetch, text } from './stub';

const SECRET = 'super-secret-value-123';

function transport(options: HttpOptions): Transport {
  return new Transport(
    options,
    {
      provider: 'highlevel',
      label: 'Example',
      secrets: [SECRET],
      describeFailure: (c) => ({
        kind: c.status === 429 ? 'rate-limited' : c.status >= 500 ? 'server' : 'rejected',
        message: `failed with ${c.status}: ${c.bodyText}`,
        retryable: c.status === 429 || c.status >= 500,
      }),
    },
    'https://example.test',
  );
}

function get(t: Transport, idempotent = true): RequestSpec {
  return {
    method: 'GET',
    url: t.url('/things'),
    headers: {},
    operation: 'list things',
    idempotent,
  };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await caught(() => promise);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('Transport', () => {
  it('returns the parsed JSON of a 2xx answer', async () => {
    const stub = stubFetch(json({ a: 1 }));
    const t = transport({ fetch: stub.fetch });
    await expect(t.json(get(t))).resolves.toEqual({ a: 1 });
    expect(stub.requests[0]?.url.href).toBe('https://example.test/things');
  });

  it('turns no network into a network error after retrying a read', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(offline());
    const t = transport({ fetch: stub.fetch, sleep, maxRetries: 2, random: () => 0.5 });
    const e = await apiError(t.json(get(t)));
    expect(e.kind).toBe('network');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('Could not reach Example (example.test)');
    expect(e.message).toContain('Check the internet connection');
    expect(e.providerMessage).toBe('fetch failed (ENOTFOUND)');
    expect(stub.requests).toHaveLength(3);
    expect(delays).toEqual([250, 500]);
  });

  it('does not repeat a non-idempotent request after a lost connection or a 5xx', async () => {
    for (const answer of [offline(), text('<h1>Bad gateway</h1>', 502)]) {
      const { sleep, delays } = recordingSleep();
      const stub = stubFetch(answer, json({}));
      const t = transport({ fetch: stub.fetch, sleep });
      const e = await apiError(t.json(get(t, false)));
      expect(['network', 'server']).toContain(e.kind);
      expect(stub.requests).toHaveLength(1);
      expect(delays).toEqual([]);
    }
  });

  it('retries a 5xx read and succeeds', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(text('oops', 503), text('oops', 500), json({ ok: true }));
    const t = transport({ fetch: stub.fetch, sleep, random: () => 0 });
    await expect(t.json(get(t))).resolves.toEqual({ ok: true });
    expect(delays).toEqual([0, 0]);
  });

  it('reads an HTML error page on a 5xx as a server error, not a malformed one', async () => {
    const stub = stubFetch(text('<html><body>502 Bad Gateway</body></html>', 502));
    const t = transport({ fetch: stub.fetch, maxRetries: 0 });
    const e = await apiError(t.json(get(t)));
    expect(e.kind).toBe('server');
    expect(e.status).toBe(502);
  });

  it('calls an HTML page, cut-off JSON and an empty body on a 2xx malformed, saying which', async () => {
    const cases: [Response, string][] = [
      [text('<!doctype html><html>Sign in to Wi-Fi</html>'), 'HTML page instead of JSON'],
      [text('{"messages": [{"sid": "SM1"', 200, 'application/json'), 'cut off or invalid'],
      [text('', 200, 'application/json'), 'body was empty'],
    ];
    for (const [answer, words] of cases) {
      const stub = stubFetch(answer);
      const t = transport({ fetch: stub.fetch });
      const e = await apiError(t.json(get(t)));
      expect(e.kind).toBe('malformed');
      expect(e.message).toContain(words);
      expect(e.message).toContain('while trying to list things');
      expect(stub.requests).toHaveLength(1);
    }
  });

  it('honours Retry-After and retries even a non-idempotent request on 429', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(json({}, 429, { 'Retry-After': '2' }), json({ sent: true }, 201));
    const t = transport({ fetch: stub.fetch, sleep, random: () => 0.5 });
    await expect(t.json(get(t, false))).resolves.toEqual({ sent: true });
    expect(delays).toEqual([2000 + 250]);
  });

  it('gives up on 429 after maxRetries and reports the wait asked for', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(json({}, 429, { 'Retry-After': '1' }));
    const t = transport({ fetch: stub.fetch, sleep, maxRetries: 2, random: () => 0 });
    const e = await apiError(t.json(get(t)));
    expect(e.kind).toBe('rate-limited');
    expect(e.retryAfterMs).toBe(1000);
    expect(delays).toEqual([1000, 1000]);
    expect(stub.requests).toHaveLength(3);
  });

  it('does not sit out a Retry-After longer than allowed; it hands it to the caller', async () => {
    const { sleep, delays } = recordingSleep();
    const stub = stubFetch(json({}, 429, { 'Retry-After': '3600' }));
    const t = transport({ fetch: stub.fetch, sleep });
    const e = await apiError(t.json(get(t)));
    expect(e.retryAfterMs).toBe(3_600_000);
    expect(delays).toEqual([]);
  });

  it('times out an attempt that never answers', async () => {
    const never = () => new Promise<Response>(() => {});
    const stub = stubFetch(never);
    const t = transport({ fetch: stub.fetch, timeoutMs: 10, maxRetries: 0 });
    const e = await apiError(t.json(get(t)));
    expect(e.kind).toBe('timeout');
    expect(e.retryable).toBe(true);
  });

  it('stops at once when the caller aborts, also while waiting to retry', async () => {
    const before = new AbortController();
    before.abort();
    const stub = stubFetch(json({}));
    const t1 = transport({ fetch: stub.fetch, signal: before.signal });
    expect((await apiError(t1.json(get(t1)))).kind).toBe('aborted');
    expect(stub.requests).toHaveLength(0);

    const during = new AbortController();
    const stub2 = stubFetch(text('busy', 503));
    const t2 = transport({
      fetch: stub2.fetch,
      signal: during.signal,
      sleep: () => {
        during.abort();
        return new Promise(() => {});
      },
    });
    const e = await apiError(t2.json(get(t2)));
    expect(e.kind).toBe('aborted');
    expect(stub2.requests).toHaveLength(1);
  });

  it('scrubs secrets out of everything an error carries', async () => {
    const stub = stubFetch(text(`token ${SECRET} is bad`, 400, 'text/plain'));
    const t = transport({ fetch: stub.fetch });
    const e = await apiError(t.json(get(t)));
    expect(e.message).toContain('[redacted]');
    for (const shown of [e.message, String(e), JSON.stringify(e), e.stack ?? '']) {
      expect(shown).not.toContain(SECRET);
    }
  });

  it('scrubs a secret that the clip would cut short, whatever the padding', async () => {
    // The clip keeps 299 characters; padding of every length puts the cut inside the secret.
    for (let pad = 280; pad < 300; pad++) {
      const stub = stubFetch(text(`${'x'.repeat(pad)}${SECRET} tail`, 400, 'text/plain'));
      const t = transport({ fetch: stub.fetch });
      const e = await apiError(t.json(get(t)));
      // No run of 8 characters of the secret survives.
      for (let i = 0; i + 8 <= SECRET.length; i++) {
        expect(e.message).not.toContain(SECRET.slice(i, i + 8));
      }
    }
  });

  it('keeps a base URL’s path in front of API paths, as the served fakes need', () => {
    const served = transport({ baseUrl: 'http://127.0.0.1:4321/twilio' });
    expect(served.url('/2010-04-01/Accounts.json?PageSize=1').href).toBe(
      'http://127.0.0.1:4321/twilio/2010-04-01/Accounts.json?PageSize=1',
    );
    expect(transport({ baseUrl: 'http://127.0.0.1:4321/twilio/' }).url('/x').href).toBe(
      'http://127.0.0.1:4321/twilio/x',
    );
    expect(transport({}).url('/things?a=1').href).toBe('https://example.test/things?a=1');
  });

  it('refuses bad options with a message naming them', () => {
    expect(() => transport({ baseUrl: 'not a url' })).toThrow('baseUrl');
    expect(() => transport({ baseUrl: 'ftp://example.test' })).toThrow('http(s)');
    expect(() => transport({ maxRetries: -1 })).toThrow('maxRetries');
  });
});
