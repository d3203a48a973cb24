import { describe, expect, it } from 'vitest';
import type { HighLevelPhoneNumber, HighLevelUser } from '../../lib/highlevel';
import {
  foreignNumbers,
  HistoryFold,
  mergeNumbers,
  phoneBookFor,
  staffOf,
  withPools,
} from '../../lib/sync';
import type { TwilioIncomingNumber, TwilioMessage } from '../../lib/twilio';

const book = phoneBookFor('US');

function hl(phoneNumber: string, more: Partial<HighLevelPhoneNumber> = {}): HighLevelPhoneNumber {
  return { phoneNumber, friendlyName: null, isDefault: false, ...more };
}

function tw(phoneNumber: string, more: Partial<TwilioIncomingNumber> = {}): TwilioIncomingNumber {
  return { sid: `PN${phoneNumber}`, phoneNumber, friendlyName: null, capabilities: {}, ...more };
}

function user(id: string, more: Partial<HighLevelUser> = {}): HighLevelUser {
  return { id, lcPhone: {}, ...more };
}

describe('numbers', () => {
  it('are HighLevel’s, with Twilio’s SMS capability first, HighLevel’s next, else unknown', () => {
    const warnings: string[] = [];
    const numbers = mergeNumbers(
      [
        hl('+14155550101', { isDefault: true, sms: false, friendlyName: 'Main' }),
        hl('(415) 555-0102', { sms: true }),
        hl('+14155550103'),
        hl('+14155550104', { friendlyName: '  ' }),
      ],
      [
        tw('+14155550101', { capabilities: { sms: true }, friendlyName: 'Twilio main' }),
        tw('+14155550104', { friendlyName: 'Line 4', capabilities: { voice: true } }),
        tw('+14155550199', { capabilities: { sms: true } }),
      ],
      book,
      warnings,
    );
    expect(numbers).toEqual([
      { number: '+14155550101', sms: true, default: true, name: 'Main' },
      { number: '+14155550102', sms: true },
      { number: '+14155550103' },
      { number: '+14155550104', name: 'Line 4' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('leave out what would make the resolver refuse everything, and say so', () => {
    const warnings: string[] = [];
    const numbers = mergeNumbers(
      [
        hl('+14155550101', { isDefault: true }),
        hl('12345'),
        hl('+14155550102', { isDefault: true }),
        hl('+1 415 555 0101'),
      ],
      [],
      book,
      warnings,
    );
    expect(numbers).toEqual([
      { number: '+14155550101', default: true },
      { number: '+14155550102' },
    ]);
    expect(warnings).toEqual([
      'HighLevel lists "12345", which is not a valid phone number; it was left out.',
      'HighLevel marks both +14155550101 and +14155550102 as the default number; +14155550101 was kept as the default.',
    ]);
  });

  it('of the Twilio account that HighLevel does not list belong to another sub-account', () => {
    expect([
      ...foreignNumbers([hl('+14155550101')], [tw('+14155550101'), tw('+14155550199')], book),
    ]).toEqual(['+14155550199']);
  });
});

describe('number pools', () => {
  it('name the pool of each pool number, and change nothing else', () => {
    const numbers = [
      { number: '+14155550101', sms: true, default: true },
      { number: '+14155550102', name: 'Pool line' },
      { number: '+14155550103' },
      { number: '+14155550104' },
    ];
    const pooled = withPools(
      numbers,
      [
        { id: 'p1', name: ' Sales Team Pool ', locationId: 'loc-a', numbers: ['(415) 555-0102'] },
        // No name: the id stands in. A number already in a pool keeps the first.
        { id: 'p2', numbers: ['+14155550103', '+14155550102', 'not a phone'] },
        // Another sub-account's pool, and a pool number HighLevel does not list as active.
        { id: 'p3', name: 'Elsewhere', locationId: 'loc-b', numbers: ['+14155550104'] },
        { id: 'p4', name: 'Gone', numbers: ['+14155550199'] },
      ],
      'loc-a',
      book,
    );
    expect(pooled).toEqual([
      { number: '+14155550101', sms: true, default: true },
      { number: '+14155550102', name: 'Pool line', pool: 'Sales Team Pool' },
      { number: '+14155550103', pool: 'p2' },
      { number: '+14155550104' },
    ]);
    // The merged list itself is left as it was.
    expect(numbers[1]).toEqual({ number: '+14155550102', name: 'Pool line' });
  });
});

describe('staff', () => {
  it('are the location’s users with lcPhone here, else the number linked to them', () => {
    const warnings: string[] = [];
    const staff = staffOf(
      [
        user('u-jane', {
          name: 'Jane Doe',
          lcPhone: { 'loc-a': '+14155550102', 'loc-b': '+1999' },
        }),
        user('u-raj', { firstName: 'Raj', lastName: 'Patel' }),
        user('u-old', { name: 'Gone', deleted: true, lcPhone: { 'loc-a': '+14155550105' } }),
        user('u-vic', { name: 'Vic' }),
        user('u-bad', { name: 'Bad', lcPhone: { 'loc-a': 'ext. 12' } }),
        user('u-jane', { name: 'Jane again' }),
      ],
      [
        hl('+14155550103', { linkedUserId: 'u-raj' }),
        hl('+14155550101', { linkedUserId: 'u-raj', isDefault: true }),
        hl('+14155550104', { linkedUserId: 'u-jane' }),
      ],
      'loc-a',
      book,
      warnings,
    );
    expect(staff).toEqual([
      { id: 'u-jane', name: 'Jane Doe', number: '+14155550102' },
      { id: 'u-raj', name: 'Raj Patel', number: '+14155550101' },
      { id: 'u-vic', name: 'Vic' },
      { id: 'u-bad', name: 'Bad' },
    ]);
    expect(warnings).toEqual([
      'HighLevel gives Bad the number "ext. 12", which is not a valid phone number; they count as having none.',
    ]);
  });
});

function message(more: Partial<TwilioMessage>): TwilioMessage {
  const date = (ms: number) => ({ text: new Date(ms).toUTCString(), date: new Date(ms) });
  return {
    sid: 'SM00000000000000000000000000000001',
    from: '+14155550101',
    to: '+16285550121',
    body: 'Hello',
    direction: 'outbound-api',
    status: 'delivered',
    errorCode: null,
    errorMessage: null,
    numSegments: 1,
    numMedia: 0,
    price: null,
    priceUnit: null,
    messagingServiceSid: null,
    dateSent: date(Date.UTC(2025, 0, 1)),
    dateCreated: date(Date.UTC(2025, 0, 1)),
    dateUpdated: null,
    ...more,
  };
}

describe('history', () => {
  it('keys each message by the other party’s phone; our side is From when outbound, To when inbound', () => {
    const fold = new HistoryFold();
    fold.add(message({ sid: 'SM1', direction: 'outbound-reply' }));
    fold.add(
      message({
        sid: 'SM2',
        direction: 'inbound',
        from: '+16285550121',
        to: '+14155550109',
        body: ' stop ',
        dateSent: { text: 'x', date: new Date(Date.UTC(2025, 0, 2)) },
      }),
    );
    expect([...fold.facts.keys()]).toEqual(['tel:+16285550121']);
    const facts = fold.facts.get('tel:+16285550121');
    expect(facts?.first).toMatchObject({
      number: '+14155550101',
      direction: 'outbound',
      sid: 'SM1',
    });
    expect(facts?.lastKeyword).toMatchObject({ number: '+14155550109', keyword: 'stop' });
    // Twilio cannot tell who picked a sender: nothing it lists is a manual pick.
    expect(facts?.lastManual).toBeUndefined();
    expect(fold.newestSentMs).toBe(Date.UTC(2025, 0, 2));
    expect(fold.messages).toBe(2);
  });

  it('counts what it leaves out, and why', () => {
    const fold = new HistoryFold(new Set(['+14155550199']));
    fold.add(message({ from: 'whatsapp:+14155550101' }));
    fold.add(message({ to: null }));
    fold.add(message({ from: '+14155550199' }));
    fold.add(message({ dateSent: null, dateCreated: null }));
    fold.add(message({ dateSent: { text: 'far', date: new Date(Date.UTC(10000, 0, 1)) } }));
    // A queued message has no date_sent yet: it is dated by its creation.
    fold.add(message({ dateSent: null }));
    expect(fold.skipped).toEqual({
      'not-a-phone': 2,
      'other-sub-account': 1,
      'no-date': 1,
      unreadable: 1,
    });
    expect(fold.facts.get('tel:+16285550121')?.first.atMs).toBe(Date.UTC(2025, 0, 1));
  });

  it('is the same whatever the order of the pages, and a page folded twice changes nothing', () => {
    const pages = [0, 1, 2].map((p) =>
      [0, 1, 2, 3].map((i) =>
        message({
          sid: `SM${p}${i}`,
          direction: i % 2 === 0 ? 'outbound-api' : 'inbound',
          from: i % 2 === 0 ? `+1415555010${i}` : `+162855501${20 + p}`,
          to: i % 2 === 0 ? `+162855501${20 + p}` : `+1415555010${i}`,
          dateSent: { text: 'x', date: new Date(Date.UTC(2025, 0, 1 + p * 4 + i)) },
        }),
      ),
    );
    const a = new HistoryFold();
    for (const page of pages) a.addPage(page);
    const b = new HistoryFold();
    for (const page of [pages[2], pages[0], pages[1], pages[0]]) b.addPage(page ?? []);
    expect([...b.facts.entries()].sort()).toEqual([...a.facts.entries()].sort());
  });
});
