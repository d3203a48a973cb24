import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeHighLevel,
  createFakeTwilio,
  expectNoViolations,
  type FakeHighLevel,
  type FakeTwilio,
  type ServedFakes,
  serveFakes,
} from './index.ts';

let tw: FakeTwilio;
let hl: FakeHighLevel;
let served: ServedFakes;
let auth: string;

beforeAll(async () => {
  tw = await createFakeTwilio();
  hl = await createFakeHighLevel();
  tw.addIncomingNumber({ phoneNumber: '+14155550101' });
  for (let d = 1; d <= 3; d++) {
    tw.addMessage({
      from: '+16285550121',
      to: '+14155550101',
      body: `m${d}`,
      dateSent: new Date(Date.UTC(2025, 2, d)),
    });
  }
  hl.addLocation({ id: 'loc-1', name: 'Sunrise Dental' });
  served = await serveFakes({ twilio: tw, highlevel: hl });
  auth = `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString('base64')}`;
});

afterAll(async () => {
  await served.close();
});

describe('serveFakes over real HTTP on 127.0.0.1', () => {
  it('serves Twilio under /twilio, following next_page_uri against the served base', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.twilioBase).toBe(`${served.url}/twilio`);
    let next: string | null = `/2010-04-01/Accounts/${tw.accountSid}/Messages.json?PageSize=2`;
    const bodies: string[] = [];
    while (next) {
      const res = await fetch(`${served.twilioBase}${next}`, {
        headers: { authorization: auth, origin: 'chrome-extension://abc' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('chrome-extension://abc');
      const page = (await res.json()) as {
        next_page_uri: string | null;
        messages: { body: string }[];
      };
      bodies.push(...page.messages.map((m) => m.body));
      next = page.next_page_uri;
    }
    expect(bodies).toEqual(['m3', 'm2', 'm1']);
  });

  it('takes form posts and answers HighLevel under /highlevel', async () => {
    const sent = await fetch(
      `${served.twilioBase}/2010-04-01/Accounts/${tw.accountSid}/Messages.json`,
      {
        method: 'POST',
        headers: { authorization: auth },
        body: new URLSearchParams([
          ['To', '+16285550121'],
          ['From', '+14155550101'],
          ['MediaUrl', 'https://example.com/a.png'],
          ['MediaUrl', 'https://example.com/b.png'],
        ]),
      },
    );
    expect(sent.status).toBe(201);
    expect(((await sent.json()) as { num_media: string }).num_media).toBe('2');
    const loc = await fetch(`${served.highlevelBase}/locations/loc-1`, {
      headers: { authorization: `Bearer ${hl.token}`, version: '2021-07-28' },
    });
    expect(await loc.json()).toMatchObject({ location: { id: 'loc-1', name: 'Sunrise Dental' } });
    expectNoViolations(tw);
    expectNoViolations(hl);
  });

  it('answers CORS preflights without counting them as requests', async () => {
    const before = hl.requests.length;
    const res = await fetch(`${served.highlevelBase}/contacts/c-1`, {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abc',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,version',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('chrome-extension://abc');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,version');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(hl.requests.length).toBe(before);
  });

  it('destroys the socket on a dropped connection, so fetch rejects', async () => {
    tw.faults.drop(1);
    const err = await fetch(
      `${served.twilioBase}/2010-04-01/Accounts/${tw.accountSid}/Messages.json`,
      {
        headers: { authorization: auth },
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    const again = await fetch(
      `${served.twilioBase}/2010-04-01/Accounts/${tw.accountSid}/Messages.json`,
      {
        headers: { authorization: auth },
      },
    );
    expect(again.status).toBe(200);
  });

  it("lets the fake's own fetch use the served URLs, and says where nothing is served", async () => {
    const res = await tw.fetch(`${served.twilioBase}/2010-04-01/Accounts/${tw.accountSid}.json`, {
      headers: { authorization: auth },
    });
    expect(res.status).toBe(200);
    const nothing = await fetch(`${served.url}/stripe/v1/charges`);
    expect(nothing.status).toBe(404);
    expect(((await nothing.json()) as { error: string }).error).toMatch(
      /\/twilio\/\.\.\. or \/highlevel\/\.\.\./,
    );
  });

  it('reports a violation seen over HTTP the same way', async () => {
    const res = await fetch(`${served.highlevelBase}/locations/loc-1`, {
      headers: { authorization: `Bearer ${hl.token}` },
    });
    expect(res.status).toBe(400);
    expect(hl.violations.at(-1)).toEqual({
      method: 'GET',
      path: '/locations/loc-1',
      errors: ["header must have required property 'version'"],
    });
    hl.violations.length = 0;
  });
});

describe('serveFakes lifecycle', () => {
  it('stops answering after close()', async () => {
    const one = await serveFakes({ twilio: tw });
    const url = `${one.twilioBase}/2010-04-01/Accounts/${tw.accountSid}.json`;
    expect((await fetch(url, { headers: { authorization: auth } })).status).toBe(200);
    await one.close();
    await expect(fetch(url)).rejects.toThrow('fetch failed');
    await expect(tw.fetch(url)).rejects.toThrow(/serves/);
  });
});
