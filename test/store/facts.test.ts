import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveSnapshot } from '../../lib/rules/index';
import type { Send, Snapshot, SnapshotMessage } from '../../lib/rules/types';
import {
  type ContactHistory,
  compareFactMessages,
  FactInputError,
  type FoldableMessage,
  factsToMessages,
  foldMessage,
  mergeFacts,
  optOutState,
  toFactMessage,
} from '../../lib/store/facts';

const NUMBERS = ['+14155550100', '+14155550111', '+14155550122', '+14155550144'];
const BODIES = [
  undefined,
  'hello',
  'STOP',
  ' stop ',
  'Start',
  'UNSTOP',
  'yes',
  'quit',
  'stop please',
  'END',
];
const T0 = Date.UTC(2025, 0, 1);

// A narrow time range and few sids make ties common, which is where order
// independence is hardest.
const messageArb: fc.Arbitrary<FoldableMessage> = fc
  .record({
    number: fc.constantFrom(...NUMBERS),
    direction: fc.constantFrom('inbound' as const, 'outbound' as const),
    atMs: fc.integer({ min: T0, max: T0 + 5 }),
    manual: fc.boolean(),
    body: fc.constantFrom(...BODIES),
    sid: fc.option(fc.constantFrom('SM1', 'SM2', 'SM3'), { nil: undefined }),
  })
  .map((m) => {
    const out: FoldableMessage = { ...m };
    if (m.body === undefined) delete out.body;
    if (m.sid === undefined) delete out.sid;
    return out;
  });

function foldAll(messages: FoldableMessage[]): ContactHistory | undefined {
  return messages.reduce<ContactHistory | undefined>(
    (facts, m) => foldMessage(facts, m),
    undefined,
  );
}

function toFoldable(message: SnapshotMessage & { sid?: string }): FoldableMessage {
  const out: FoldableMessage = {
    number: message.number,
    direction: message.direction,
    atMs: Date.parse(message.at),
    manual: message.manual === true,
  };
  if (message.body !== undefined) out.body = message.body;
  if (message.sid !== undefined) out.sid = message.sid;
  return out;
}

describe('foldMessage', () => {
  it('gives the same facts whatever order the messages arrive in', () => {
    fc.assert(
      fc.property(
        fc
          .array(messageArb, { minLength: 1, maxLength: 30 })
          .chain((ms) =>
            fc.tuple(
              fc.constant(ms),
              fc.shuffledSubarray(ms, { minLength: ms.length, maxLength: ms.length }),
            ),
          ),
        ([messages, shuffled]) => {
          expect(foldAll(shuffled)).toEqual(foldAll(messages));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same facts when pages are folded apart and merged in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(messageArb, { minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (pages) => {
          const whole = foldAll(pages.flat());
          const perPage = pages.map(foldAll) as ContactHistory[];
          const forwards = perPage.reduce<ContactHistory | undefined>(mergeFacts, undefined);
          const backwards = [...perPage]
            .reverse()
            .reduce<ContactHistory | undefined>(mergeFacts, undefined);
          expect(forwards).toEqual(whole);
          expect(backwards).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('changes nothing when a message is folded again (a page fetched twice)', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 20 }), (messages) => {
        expect(foldAll([...messages, ...messages])).toEqual(foldAll(messages));
      }),
    );
  });

  it('keeps the earliest message for the channel number, inbound or outbound', () => {
    let facts = foldMessage(undefined, {
      number: '+14155550111',
      direction: 'outbound',
      atMs: T0 + 2000,
    });
    facts = foldMessage(facts, { number: '+14155550100', direction: 'inbound', atMs: T0 + 1000 });
    facts = foldMessage(facts, { number: '+14155550122', direction: 'outbound', atMs: T0 + 3000 });
    expect(facts.first.number).toBe('+14155550100');
    expect(facts.lastOutbound?.number).toBe('+14155550122');
    expect(facts.lastManual).toBeUndefined();
  });

  it('keeps the latest manual outbound as the last manual pick, and ignores manual on inbound', () => {
    let facts = foldMessage(undefined, {
      number: '+14155550111',
      direction: 'outbound',
      atMs: T0,
      manual: true,
    });
    facts = foldMessage(facts, {
      number: '+14155550144',
      direction: 'outbound',
      atMs: T0 + 10,
      manual: true,
    });
    facts = foldMessage(facts, { number: '+14155550100', direction: 'outbound', atMs: T0 + 20 });
    facts = foldMessage(facts, {
      number: '+14155550122',
      direction: 'inbound',
      atMs: T0 + 30,
      manual: true,
    });
    expect(facts.lastManual?.number).toBe('+14155550144');
    expect(facts.lastOutbound?.number).toBe('+14155550100');
  });

  it('breaks a tie in time by sid, the same way whichever arrives first', () => {
    const a: FoldableMessage = {
      number: NUMBERS[0] as string,
      direction: 'outbound',
      atMs: T0,
      sid: 'SMa',
    };
    const b: FoldableMessage = {
      number: NUMBERS[1] as string,
      direction: 'outbound',
      atMs: T0,
      sid: 'SMb',
    };
    for (const facts of [foldAll([a, b]), foldAll([b, a])]) {
      expect(facts?.first.sid).toBe('SMa');
      expect(facts?.lastOutbound?.sid).toBe('SMb');
    }
  });

  it('reads opt-out and opt-in keywords on the whole trimmed inbound body, in any case', () => {
    const stop = foldMessage(undefined, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: T0,
      body: '  sToP ',
    });
    expect(stop.lastKeyword?.keyword).toBe('sToP');
    expect(optOutState(stop)).toMatchObject({ optedOut: true, by: 'keyword' });

    const restarted = foldMessage(stop, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: T0 + 1,
      body: 'START',
    });
    expect(optOutState(restarted)).toMatchObject({ optedOut: false, by: 'keyword' });

    const notKeyword = foldMessage(undefined, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: T0,
      body: 'stop texting me',
    });
    expect(notKeyword.lastKeyword).toBeUndefined();

    // What the sub-account sends is not the contact opting out.
    const outbound = foldMessage(undefined, {
      number: '+14155550100',
      direction: 'outbound',
      atMs: T0,
      body: 'STOP',
    });
    expect(outbound.lastKeyword).toBeUndefined();
    expect(optOutState(outbound)).toEqual({ optedOut: false, by: null });
    expect(optOutState(outbound, true)).toEqual({ optedOut: true, by: 'sms-dnd' });
  });

  it('counts REVOKE and OPTOUT from 2025-05-14 on, and not as a keyword before', () => {
    const day = Date.UTC(2025, 4, 14);
    const stop = foldMessage(undefined, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: day - 86_400_000,
      body: 'STOP',
    });
    // An early REVOKE is an ordinary message: it neither opts out nor hides the STOP.
    const early = foldMessage(stop, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: day - 1,
      body: 'REVOKE',
    });
    expect(early.lastKeyword?.keyword).toBe('STOP');
    const started = foldMessage(early, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: day - 1,
      body: 'START',
    });
    expect(optOutState(started)).toMatchObject({ optedOut: false });
    const revoked = foldMessage(started, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: day,
      body: ' optout ',
    });
    expect(revoked.lastKeyword?.keyword).toBe('optout');
    expect(optOutState(revoked)).toMatchObject({ optedOut: true, by: 'keyword' });
  });

  it('keeps no message body but a keyword', () => {
    const facts = foldMessage(undefined, {
      number: '+14155550100',
      direction: 'inbound',
      atMs: T0,
      body: 'my private message',
    });
    expect(JSON.stringify(facts)).not.toContain('private');
  });

  it('refuses a malformed message, naming the field', () => {
    const good: FoldableMessage = { number: '+14155550100', direction: 'inbound', atMs: T0 };
    const cases: [Partial<Record<keyof FoldableMessage, unknown>>, string][] = [
      [{ number: '(415) 555-0100' }, 'message.number'],
      [{ number: 14155550100 }, 'message.number'],
      [{ direction: 'sideways' }, 'message.direction'],
      [{ atMs: Number.NaN }, 'message.atMs'],
      [{ atMs: 1.5 }, 'message.atMs'],
      [{ atMs: Date.UTC(10000, 0, 1) }, 'message.atMs'],
      [{ manual: 'yes' }, 'message.manual'],
      [{ body: 42 }, 'message.body'],
      [{ sid: '' }, 'message.sid'],
    ];
    for (const [change, field] of cases) {
      const bad = { ...good, ...change } as FoldableMessage;
      expect(() => foldMessage(undefined, bad)).toThrow(FactInputError);
      try {
        foldMessage(undefined, bad);
      } catch (error) {
        expect((error as FactInputError).field).toBe(field);
        expect((error as Error).message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
      }
    }
  });
});

describe('factsToMessages', () => {
  it('gives messages that fold back into the same facts', () => {
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 30 }), (messages) => {
        const facts = foldAll(messages) as ContactHistory;
        const emitted = factsToMessages('c-1', facts);
        expect(emitted.length).toBeGreaterThan(0);
        expect(emitted.length).toBeLessThanOrEqual(4);
        expect(emitted.every((m) => m.contactId === 'c-1')).toBe(true);
        expect(foldAll(emitted.map(toFoldable))).toEqual(facts);
      }),
      { numRuns: 300 },
    );
  });

  it('lists each carrying message once, oldest first', () => {
    const facts = foldMessage(undefined, {
      number: '+14155550100',
      direction: 'outbound',
      atMs: T0,
      manual: true,
      sid: 'SM1',
    });
    // One message is the first, the last manual and the last outbound.
    expect(factsToMessages('c-1', facts)).toEqual([
      {
        contactId: 'c-1',
        number: '+14155550100',
        direction: 'outbound',
        at: '2025-01-01T00:00:00.000Z',
        manual: true,
        sid: 'SM1',
      },
    ]);
  });

  // The resolver takes, of two messages at the same instant, the first listed
  // as the earlier and the last listed as the later; the full history is
  // listed in the store's order so both see the same tie-breaks.
  it('makes the resolver decide exactly as it does on the whole history', () => {
    const base: Omit<Snapshot, 'messages'> = {
      numbers: [
        { number: '+14155550100', sms: true, default: true, name: 'Main line' },
        { number: '+14155550111', sms: true, name: "Jane's line" },
        { number: '+14155550122', sms: false, name: 'Front desk (voice)' },
        { number: '+14155550144', sms: true, name: 'Spare' },
      ],
      users: [
        { id: 'u-jane', name: 'Jane Doe', number: '+14155550111' },
        { id: 'u-raj', name: 'Raj Patel' },
      ],
      contacts: [{ id: 'c-pat', name: 'Pat Kim', phone: '+14155559001' }],
    };
    const sends: Send[] = [
      { via: 'conversation', contactId: 'c-pat', userId: 'u-jane' },
      { via: 'conversation', contactId: 'c-pat', userId: 'u-raj' },
      { via: 'conversation', contactId: 'c-pat' },
      { via: 'workflow', contactId: 'c-pat' },
      { via: 'bulk', contactId: 'c-pat' },
    ];
    fc.assert(
      fc.property(fc.array(messageArb, { minLength: 1, maxLength: 25 }), (messages) => {
        const ordered = [...messages].sort((a, b) =>
          compareFactMessages(toFactMessage(a), toFactMessage(b)),
        );
        const history: SnapshotMessage[] = ordered.map((m) => {
          const out: SnapshotMessage = {
            contactId: 'c-pat',
            number: m.number,
            direction: m.direction,
            at: new Date(m.atMs).toISOString(),
          };
          if (m.manual) out.manual = true;
          if (m.body !== undefined) out.body = m.body;
          return out;
        });
        const reduced = factsToMessages('c-pat', foldAll(messages) as ContactHistory);
        for (const send of sends) {
          expect(resolveSnapshot({ ...base, messages: reduced }, send)).toEqual(
            resolveSnapshot({ ...base, messages: history }, send),
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});
