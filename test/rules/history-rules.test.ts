import { describe, expect, it } from 'vitest';
import { resolveSnapshot, type Send, type TraceStep } from '../../lib/rules';
import { baseSnapshot, out } from './fixtures';

// `last-manual-pick` and `last-used` share one implementation in resolve.ts;
// these pin each rule's own wording and codes, for all three outcomes.

const compose: Send = { via: 'conversation', contactId: 'c-pat', userId: 'u-jane' };
const bulk: Send = { via: 'bulk', contactId: 'c-pat' };

function stepOf(snapshot: ReturnType<typeof baseSnapshot>, send: Send, rule: TraceStep['rule']) {
  return resolveSnapshot(snapshot, send).trace.find((s) => s.rule === rule);
}

describe('last-manual-pick, step by step', () => {
  it('is not applicable without a manual pick in the history', () => {
    expect(stepOf(baseSnapshot(), compose, 'last-manual-pick')).toEqual({
      rule: 'last-manual-pick',
      outcome: 'not-applicable',
      reason: 'No number was ever picked by hand for Pat Kim.',
    });
  });

  it('applies to a usable last pick', () => {
    const snapshot = baseSnapshot([out('+14155550100', '2025-03-02T10:00:00Z', { manual: true })]);
    expect(stepOf(snapshot, compose, 'last-manual-pick')).toEqual({
      rule: 'last-manual-pick',
      outcome: 'applied',
      reason:
        '(415) 555-0100 ("Main line") was last picked by hand for Pat Kim (on 2025-03-02), so the composer preselects it.',
      number: '+14155550100',
    });
  });

  it('skips a removed last pick with the code `removed`', () => {
    const snapshot = baseSnapshot([out('+14155550133', '2025-03-01T10:00:00Z', { manual: true })]);
    expect(stepOf(snapshot, compose, 'last-manual-pick')).toEqual({
      rule: 'last-manual-pick',
      outcome: 'skipped',
      reason:
        '(415) 555-0133, last picked by hand for Pat Kim (on 2025-03-01), was removed from the sub-account.',
      number: '+14155550133',
      code: 'removed',
    });
  });
});

describe('last-used, step by step', () => {
  it('is not applicable when nothing was sent to the contact', () => {
    expect(stepOf(baseSnapshot(), bulk, 'last-used')).toEqual({
      rule: 'last-used',
      outcome: 'not-applicable',
      reason: 'Nothing was ever sent to Pat Kim.',
    });
  });

  it('applies to a usable last used number, noting an unknown capability', () => {
    const snapshot = baseSnapshot([out('+14155550155', '2025-01-01T00:00:00Z')]);
    expect(stepOf(snapshot, bulk, 'last-used')).toEqual({
      rule: 'last-used',
      outcome: 'applied',
      reason:
        '(415) 555-0155 ("Untested") is the last number used to text Pat Kim (on 2025-01-01). Its SMS capability is unknown, so it is assumed able to send.',
      number: '+14155550155',
    });
  });

  it('skips a voice-only last used number, without a code', () => {
    const snapshot = baseSnapshot([out('+14155550122', '2025-01-01T00:00:00Z')]);
    expect(stepOf(snapshot, bulk, 'last-used')).toEqual({
      rule: 'last-used',
      outcome: 'skipped',
      reason:
        '(415) 555-0122 ("Front desk (voice)"), last used to text Pat Kim (on 2025-01-01), is voice-only (cannot send SMS).',
      number: '+14155550122',
    });
  });
});
