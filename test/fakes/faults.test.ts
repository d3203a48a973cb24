import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFakeHighLevel,
  createFakeTwilio,
  expectNoViolations,
  type FakeTwilio,
} from './index.ts';

let tw: FakeTwilio;
let list: string;
let auth: Record<string, string>;

function listMessages(init: RequestInit = {}) {
  return tw.fetch(list, { ...init, headers: auth });
}

function sendOne() {
  return tw.fetch(list, {
    method: 'POST',
    headers: auth,
    body: new URLSearchParams({ To: '+16285550121', From: '+14155550101', Body: 'hello' }),
  });
}

beforeEach(async () => {
  tw = await createFakeTwilio();
  tw.addIncomingNumber({ phoneNumber: '+14155550101' });
  tw.addMessage({
    from: '+14155550101',
    to: '+16285550121',
    body: 'hi there',
    dateSent: new Date('2025-03-01T00:00:00Z'),
  });
  list = `https://api.twilio.com/2010-04-01/Accounts/${tw.accountSid}/Messages.json`;
  auth = {
    authorization: `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString('base64')}`,
  };
});

afterEach(() => {
  vi.useRealTimers();
});

describe('faults', () => {
  it('rateLimit: the next N requests answer 429 / 20429 with Retry-After, then service resumes', async () => {
    tw.faults.rateLimit(2, { retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const res = await listMessages();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(await res.json()).toMatchObject({ code: 20429, status: 429 });
    }
    expect((await listMessages()).status).toBe(200);
    expectNoViolations(tw);
  });

  it('rateLimit on HighLevel answers its own 429 body', async () => {
    const hl = await createFakeHighLevel();
    hl.addLocation({ id: 'loc-1', name: 'Demo' });
    hl.faults.rateLimit(1);
    const res = await hl.fetch('https://services.leadconnectorhq.com/locations/loc-1', {
      headers: { authorization: `Bearer ${hl.token}`, version: '2021-07-28' },
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.json()).toEqual({ statusCode: 429, message: 'Too Many Requests' });
  });

  it('serverError: 500 by default or the status asked for; queued faults run in order', async () => {
    tw.faults.serverError(1);
    tw.faults.serverError(1, 503);
    tw.faults.rateLimit(1);
    expect((await listMessages()).status).toBe(500);
    const unavailable = await listMessages();
    expect(unavailable.status).toBe(503);
    expect(((await unavailable.json()) as { code: number }).code).toBe(20503);
    expect((await listMessages()).status).toBe(429);
    expect((await listMessages()).status).toBe(200);
  });

  it('slow: the answer waits the given time (fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    tw.faults.slow(1, 150);
    let settled = false;
    const pending = listMessages().then((r) => {
      settled = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(149);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect((await pending).status).toBe(200);
  });

  it('slow: an aborted request stops waiting and rejects with the abort reason', async () => {
    tw.faults.slow(1, 60_000);
    const ctl = new AbortController();
    const pending = listMessages({ signal: ctl.signal });
    setTimeout(() => ctl.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('drop: fetch rejects with TypeError("fetch failed") and the send never happened', async () => {
    tw.faults.drop(1);
    const err = await sendOne().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect(tw.messageCount()).toBe(1);
    expect((await sendOne()).status).toBe(201);
    expect(tw.messageCount()).toBe(2);
  });

  it('drop afterHandling: the send happened but the answer is lost', async () => {
    tw.faults.drop(1, { afterHandling: true });
    await expect(sendOne()).rejects.toThrow('fetch failed');
    expect(tw.messageCount()).toBe(2);
  });

  it('malformed truncated-json and html bodies fail to parse', async () => {
    tw.faults.malformed(1, 'truncated-json');
    tw.faults.malformed(1, 'html');
    const cut = await listMessages();
    expect(cut.status).toBe(200);
    await expect(cut.json()).rejects.toThrow(SyntaxError);
    const html = await listMessages();
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    await expect(html.json()).rejects.toThrow(SyntaxError);
  });

  it('malformed wrong-types swaps value types; missing-fields drops keys', async () => {
    const normal = (await (await listMessages()).json()) as { messages: Record<string, unknown>[] };
    tw.faults.malformed(1, 'wrong-types');
    tw.faults.malformed(1, 'missing-fields');
    const swapped = (await (await listMessages()).json()) as {
      page: unknown;
      messages: Record<string, unknown>[];
    };
    expect(swapped.page).toBe('0');
    expect(swapped.messages[0]?.sid).toBe(34);
    expect(swapped.messages[0]?.body).toBe('hi there'.length);
    const missing = (await (await listMessages()).json()) as Record<string, unknown>;
    const before = Object.keys(normal.messages[0] ?? {});
    const after = Object.keys((missing.messages as Record<string, unknown>[])[0] ?? {});
    expect(after.length).toBe(Math.floor(before.length / 2));
    expect(after.every((k) => before.includes(k))).toBe(true);
    expect(Object.keys(missing)).not.toContain('first_page_uri');
  });

  it('clear() forgets queued faults; bad arguments are refused', async () => {
    tw.faults.serverError(5);
    tw.faults.clear();
    expect((await listMessages()).status).toBe(200);
    expect(() => tw.faults.rateLimit(0)).toThrow(/count must be a positive integer/);
    expect(() => tw.faults.serverError(1, 404)).toThrow(/5xx/);
    expect(() => tw.faults.malformed(1, 'xml' as 'html')).toThrow(/unknown kind/);
  });

  it('a faulted request is still checked against the spec', async () => {
    tw.faults.rateLimit(1);
    const res = await tw.fetch(`${list}?PageSize=abc`, { headers: auth });
    expect(res.status).toBe(429);
    expect(tw.violations[0]?.errors).toEqual(['query.PageSize must be integer']);
  });
});
