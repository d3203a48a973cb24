import { beforeEach, describe, expect, it } from 'vitest';
import {
  createFakeTwilio,
  expectNoViolations,
  type FakeTwilio,
  generateBulkHistory,
} from './index.ts';

type Page = {
  next_page_uri: string | null;
  messages: {
    sid: string;
    from: string;
    to: string;
    body: string;
    date_sent: string;
    direction: string;
  }[];
};

let tw: FakeTwilio;
let auth: Record<string, string>;

async function page(pathAndQuery: string): Promise<Page> {
  const res = await tw.fetch(`https://api.twilio.com${pathAndQuery}`, { headers: auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

function listPath(query: string): string {
  return `/2010-04-01/Accounts/${tw.accountSid}/Messages.json?${query}`;
}

function rfc(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

beforeEach(async () => {
  tw = await createFakeTwilio();
  auth = {
    authorization: `Basic ${Buffer.from(`${tw.accountSid}:${tw.authToken}`).toString('base64')}`,
  };
});

describe('generateBulkHistory', () => {
  it('serves a million messages, consistent deep in the list, without holding them', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const bulk = generateBulkHistory(tw, { messages: 1_000_000, numbers: 12, seed: 7 });
    expect(tw.messageCount()).toBe(1_000_000);
    expect(bulk.oldest.getTime()).toBe(bulk.newest.getTime() - 999_999 * 30_000);

    // Jump deep with DateSent<, then follow next_page_uri once.
    const deep = 750_000;
    const at = bulk.messageAt(deep).dateSent.toISOString().replace('.000Z', 'Z');
    const first = await page(listPath(`DateSent%3C=${encodeURIComponent(at)}&PageSize=50`));
    expect(first.messages).toHaveLength(50);
    expect(first.messages.map((m) => m.sid)).toEqual(
      Array.from({ length: 50 }, (_, i) => bulk.sidAt(deep + i)),
    );
    const expected = bulk.messageAt(deep + 3);
    expect(first.messages[3]).toMatchObject({
      sid: expected.sid,
      from: expected.from,
      to: expected.to,
      body: expected.body,
      direction: expected.direction,
      date_sent: rfc(expected.dateSent),
    });
    const second = await page(first.next_page_uri as string);
    expect(second.messages[0]?.sid).toBe(bulk.sidAt(deep + 50));

    // A SID from deep in the history can be fetched by itself.
    const sid = bulk.sidAt(999_998);
    const one = await tw.fetch(
      `https://api.twilio.com/2010-04-01/Accounts/${tw.accountSid}/Messages/${sid}.json`,
      { headers: auth },
    );
    expect(((await one.json()) as { sid: string }).sid).toBe(sid);

    // The last page ends the list.
    const tail = await page(
      listPath(`DateSent%3C=${encodeURIComponent(bulk.oldest.toISOString())}&PageSize=50`),
    );
    expect(tail.messages.map((m) => m.sid)).toEqual([bulk.sidAt(999_999)]);
    expect(tail.next_page_uri).toBeNull();

    // Stored as objects, a million messages would take hundreds of MB.
    const grewMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    expect(grewMb).toBeLessThan(50);
    expectNoViolations(tw);
  });

  it('is deterministic per seed and different across seeds', async () => {
    const a = generateBulkHistory(tw, { messages: 100, numbers: 2, seed: 1 }).messageAt(42);
    const other = await createFakeTwilio();
    const b = generateBulkHistory(other, { messages: 100, numbers: 2, seed: 1 }).messageAt(42);
    const c = generateBulkHistory(other, { messages: 100, numbers: 2, seed: 2 }).messageAt(42);
    expect(b).toEqual(a);
    expect(c.sid).not.toBe(a.sid);
  });

  it('merges stored messages and sends into the generated history in date order', async () => {
    const bulk = generateBulkHistory(tw, {
      messages: 1000,
      numbers: ['+14155550101'],
      newest: new Date('2025-03-04T10:00:00Z'),
    });
    const between = new Date(
      (bulk.messageAt(10).dateSent.getTime() + bulk.messageAt(11).dateSent.getTime()) / 2,
    );
    const stored = tw.addMessage({
      from: '+16285550999',
      to: '+14155550101',
      body: 'stored one',
      dateSent: between,
    });
    const firstPage = await page(listPath('PageSize=12'));
    expect(firstPage.messages.map((m) => m.sid)).toEqual([
      ...Array.from({ length: 11 }, (_, i) => bulk.sidAt(i)),
      stored,
    ]);
    const next = await page(firstPage.next_page_uri as string);
    expect(next.messages[0]?.sid).toBe(bulk.sidAt(11));
    expect(tw.messageCount()).toBe(1001);
  });

  it('filters generated messages by To across pages, newest first', async () => {
    const bulk = generateBulkHistory(tw, { messages: 5000, numbers: 3, contacts: 40, seed: 3 });
    const phone = bulk.contactPhone(7);
    const expected: string[] = [];
    for (let i = 0; i < bulk.count && expected.length < 12; i++) {
      if (bulk.messageAt(i).to === phone) expected.push(bulk.sidAt(i));
    }
    const got: string[] = [];
    let next: string | null = listPath(`To=${encodeURIComponent(phone)}&PageSize=5`);
    while (next && got.length < 12) {
      const p = await page(next);
      got.push(...p.messages.map((m) => m.sid));
      expect(p.messages.every((m) => m.to === phone)).toBe(true);
      next = p.next_page_uri;
    }
    expect(got.slice(0, 12)).toEqual(expected);
  });

  it('refuses bad options with a message naming them', () => {
    expect(() => generateBulkHistory(tw, { messages: -1, numbers: 1 })).toThrow(/messages must be/);
    expect(() => generateBulkHistory(tw, { messages: 10, numbers: [] })).toThrow(
      /at least one number/,
    );
    expect(() => generateBulkHistory(tw, { messages: 10, numbers: 1, spacingMs: 0 })).toThrow(
      /spacingMs/,
    );
  });
});
