import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isRefusal,
  parseMessageDate,
  resolveSnapshot,
  type Send,
  type Snapshot,
  type SnapshotMessage,
} from '../../lib/rules';

// A small pool, so that picks, staff numbers and history collide with the
// active numbers often enough to exercise every rule.
const POOL = [
  '+14155550100',
  '+14155550111',
  '+14155550122',
  '+14155550133',
  '+14155550144',
  '+12125550155',
];
const national = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
// The history spans 2025-05-14, so REVOKE and OPTOUT fall on both sides of the day
// Twilio began honouring them.
const BODIES = [
  'hi',
  'STOP',
  'start',
  ' Unsubscribe ',
  'yes',
  'thanks',
  'stop please',
  'revoke',
  ' OptOut ',
  undefined,
];
const BASE = Date.UTC(2025, 0, 1);

const numberArb = fc.record(
  {
    number: fc.constantFrom(...POOL),
    sms: fc.constantFrom(true, false, undefined),
    default: fc.boolean(),
    name: fc.constantFrom('Main', 'Spare', undefined),
  },
  { requiredKeys: ['number'] },
);

const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .record({
    numbers: fc.uniqueArray(numberArb, { selector: (n) => n.number, maxLength: POOL.length }),
    defaultAt: fc.nat(),
    users: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
        name: fc.constant('A User'),
        number: fc.option(fc.constantFrom(...POOL), { nil: undefined }),
      }),
      { selector: (u) => u.id },
    ),
    contacts: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom('c1', 'c2', 'c3'),
        phone: fc.constantFrom('+14155559001', '(415) 555-9002', '12345', undefined),
        smsDnd: fc.constantFrom(true, false, undefined),
      }),
      { selector: (c) => c.id, minLength: 1 },
    ),
    messages: fc.array(
      fc.record({
        contactId: fc.constantFrom('c1', 'c2', 'c3'),
        number: fc.constantFrom(...POOL),
        direction: fc.constantFrom('inbound' as const, 'outbound' as const),
        minutes: fc.integer({ min: 0, max: 500_000 }),
        rfc: fc.boolean(),
        manual: fc.boolean(),
        body: fc.constantFrom(...BODIES),
      }),
      { maxLength: 25 },
    ),
  })
  .map(({ numbers, defaultAt, users, contacts, messages }) => ({
    // At most one default, or the snapshot is (rightly) bad input.
    numbers: numbers.map((n, i) => ({
      ...n,
      default: numbers.length > 0 && i === defaultAt % numbers.length && n.default,
    })),
    users,
    contacts,
    messages: messages.map(({ minutes, rfc, ...m }): SnapshotMessage => {
      const date = new Date(BASE + minutes * 60_000);
      return { ...m, at: rfc ? date.toUTCString().replace('GMT', '+0000') : date.toISOString() };
    }),
  }));

const sendArb = (contactIds: string[]): fc.Arbitrary<Send> => {
  const contactId = fc.constantFrom(...contactIds);
  const maybeNumber = fc.option(fc.constantFrom(...POOL), { nil: undefined });
  const userId = fc.option(fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u-agency'), { nil: undefined });
  return fc.oneof(
    fc.record({ via: fc.constant('conversation' as const), contactId, userId, pick: maybeNumber }),
    fc.record({
      via: fc.constant('workflow' as const),
      contactId,
      userId,
      fromNumber: maybeNumber,
    }),
    fc.record({ via: fc.constant('bulk' as const), contactId, fromNumber: maybeNumber }),
  );
};

const caseArb = snapshotArb.chain((snapshot) =>
  sendArb(snapshot.contacts.map((c) => c.id)).map((send) => ({ snapshot, send })),
);

const REVOKE_DAY = Date.UTC(2025, 4, 14);

/** The oracle's own reading of RULES.md's keyword list, apart from lib/rules/keywords.ts. */
function oracleKeyword(body: string | undefined, at: number): 'opt-out' | 'opt-in' | null {
  const word = body?.trim().toUpperCase();
  if (word === undefined) return null;
  if (['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'].includes(word)) return 'opt-out';
  if (word === 'REVOKE' || word === 'OPTOUT') return at >= REVOKE_DAY ? 'opt-out' : null;
  if (['START', 'YES', 'UNSTOP'].includes(word)) return 'opt-in';
  return null;
}

/** An oracle written apart from the resolver: is this contact opted out? */
function optedOut(snapshot: Snapshot, contactId: string): boolean {
  if (snapshot.contacts.find((c) => c.id === contactId)?.smsDnd) return true;
  let latest: { at: number; kind: string } | undefined;
  for (const m of snapshot.messages) {
    if (m.contactId !== contactId || m.direction !== 'inbound') continue;
    const at = parseMessageDate(m.at) as number;
    const kind = oracleKeyword(m.body, at);
    if (kind && (!latest || at >= latest.at)) latest = { at, kind };
  }
  return latest?.kind === 'opt-out';
}

const RUNS = { numRuns: 400 };

/** Fisher-Yates with a small LCG, so a failing case replays from its seed. */
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('resolver properties over random snapshots', () => {
  it('never throws, and answers a sender or a refusal, never both', () => {
    fc.assert(
      fc.property(caseArb, ({ snapshot, send }) => {
        const result = resolveSnapshot(snapshot, send);
        expect('from' in result !== 'error' in result).toBe(true);
        expect(result.trace.every((s) => s.reason.length > 0)).toBe(true);
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary junk', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (snapshot, send) => {
        const result = resolveSnapshot(snapshot, send);
        expect(isRefusal(result) ? result.error : 'sender').toBeTypeOf('string');
      }),
      RUNS,
    );
  });

  it('only ever sends from an active number that can (or may) send SMS', () => {
    fc.assert(
      fc.property(caseArb, ({ snapshot, send }) => {
        const result = resolveSnapshot(snapshot, send);
        if (isRefusal(result)) return;
        const number = snapshot.numbers.find((n) => n.number === result.from);
        expect(number).toBeDefined();
        expect(number?.sms).not.toBe(false);
        expect(result.warnings.includes('sms-capability-unknown')).toBe(number?.sms === undefined);
        const applied = result.trace.filter((s) => s.outcome === 'applied');
        expect(applied.at(-1)).toMatchObject({ rule: result.rule, number: result.from });
      }),
      RUNS,
    );
  });

  it('always refuses an opted-out contact', () => {
    fc.assert(
      fc.property(caseArb, ({ snapshot, send }) => {
        const result = resolveSnapshot(snapshot, send);
        if (optedOut(snapshot, send.contactId)) {
          expect(isRefusal(result) && result.error).toBe('contact-opted-out');
        } else {
          expect(isRefusal(result) && result.error).not.toBe('contact-opted-out');
        }
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the history when times are distinct', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), ({ snapshot, send }, seed) => {
        const times = snapshot.messages.map((m) => parseMessageDate(m.at));
        fc.pre(new Set(times).size === times.length);
        const shuffled = shuffle(snapshot.messages, seed);
        const a = resolveSnapshot(snapshot, send);
        const b = resolveSnapshot({ ...snapshot, messages: shuffled }, send);
        expect(b).toEqual(a);
      }),
      RUNS,
    );
  });

  it('does not depend on how numbers are written', () => {
    fc.assert(
      fc.property(caseArb, ({ snapshot, send }) => {
        const rewritten: Snapshot = {
          ...snapshot,
          numbers: snapshot.numbers.map((n) => ({
            ...n,
            number: national(n.number).replace('(212)', '+1 212'),
          })),
          messages: snapshot.messages.map((m) => ({ ...m, number: m.number.replace('+1', '+1 ') })),
        };
        expect(resolveSnapshot(rewritten, send)).toEqual(resolveSnapshot(snapshot, send));
      }),
      RUNS,
    );
  });

  it('names the field of an unparsable active number', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.nat(),
        fc.constantFrom('abc', '555', '+1 000 000 0000', ''),
        ({ snapshot, send }, at, junk) => {
          fc.pre(snapshot.numbers.length > 0);
          const i = at % snapshot.numbers.length;
          const numbers = snapshot.numbers.map((n, j) => (j === i ? { ...n, number: junk } : n));
          const result = resolveSnapshot({ ...snapshot, numbers }, send);
          expect(result).toMatchObject({
            error: 'invalid-input',
            field: `snapshot.numbers[${i}].number`,
          });
        },
      ),
      RUNS,
    );
  });
});
