import { describe, expect, it } from 'vitest';
import {
  buildSenderView,
  buildSwitcherOptions,
  buildSwitcherUsers,
  freshness,
  RULE_WORDS,
  VOICE_ONLY_REASON,
} from '../../lib/background/view-model';
import { buildIndex, isIndex, type RulesIndex, resolve } from '../../lib/rules';
import type { Refusal, Send, Snapshot } from '../../lib/rules/types';
import { N, NOW, SYNCED_AT, sunrise } from './conversation.fixtures';

function indexOf(snapshot: Snapshot = sunrise()): RulesIndex {
  const index = buildIndex(snapshot);
  if (!isIndex(index)) throw new Error(index.message);
  return index;
}

function viewFor(send: Send, snapshot?: Snapshot, syncedAt: string | null = SYNCED_AT) {
  const index = indexOf(snapshot);
  return buildSenderView(resolve(index, send), { index, syncedAt, now: NOW });
}

const composer = (contactId: string, userId?: string, pick?: string): Send => ({
  via: 'conversation',
  contactId,
  ...(userId ? { userId } : {}),
  ...(pick ? { pick } : {}),
});

describe('buildSenderView: rule words', () => {
  it('user-number is "your number", with the number formatted and its friendly name', () => {
    const view = viewFor(composer('ct-alice-morgan', 'usr-jane-doe'));
    expect(view).toMatchObject({
      state: 'sender',
      numberE164: N.jane,
      numberDisplay: '(415) 555-0102',
      friendlyName: 'Jane Doe',
      ruleWord: 'your number',
      inferred: false,
      warnings: [],
      freshness: 'Synced 5 min ago',
    });
  });

  it('a voice-only user number falls to "default"', () => {
    const view = viewFor(composer('ct-alice-morgan', 'usr-maria-chen'));
    expect(view.ruleWord).toBe('default');
    expect(view.numberE164).toBe(N.main);
    expect(view.trace.find((line) => line.rule === 'user-number')).toMatchObject({
      outcome: 'skipped',
      label: 'Your number',
    });
  });

  it('a user without a number gets the "channel number"', () => {
    const view = viewFor(composer('ct-ben-carter', 'usr-vic-lowe'));
    expect(view).toMatchObject({
      ruleWord: 'channel number',
      numberE164: N.hygiene,
      friendlyName: 'Hygiene',
    });
  });

  it('a number in a number pool is sent from like any other, and its line names the pool', () => {
    const snapshot = sunrise();
    snapshot.numbers = snapshot.numbers.map((n) =>
      n.number === N.hygiene ? { ...n, pool: 'Sales Team Pool' } : n,
    );
    const view = viewFor(composer('ct-ben-carter', 'usr-vic-lowe'), snapshot);
    const plain = viewFor(composer('ct-ben-carter', 'usr-vic-lowe'));
    expect(view).toMatchObject({
      state: 'sender',
      ruleWord: 'channel number',
      numberE164: N.hygiene,
      friendlyName: 'Hygiene',
    });
    const line = view.trace.find((l) => l.rule === 'channel-number');
    const before = plain.trace.find((l) => l.rule === 'channel-number');
    expect(line?.reason).toBe(
      `${before?.reason} (415) 555-0105 is in number pool "Sales Team Pool".`,
    );
    // Steps about other numbers, or none, read as before.
    expect(view.trace.filter((l) => l.rule !== 'channel-number')).toEqual(
      plain.trace.filter((l) => l.rule !== 'channel-number'),
    );
  });

  it('a removed channel number falls to "default"', () => {
    const view = viewFor(composer('ct-carla-diaz', 'usr-vic-lowe'));
    expect(view).toMatchObject({ ruleWord: 'default', numberE164: N.main });
    expect(view.trace.find((line) => line.rule === 'channel-number')?.reason).toContain('removed');
  });

  it('the last manual pick is "last pick"', () => {
    expect(viewFor(composer('ct-kim-park', 'usr-jane-doe')).ruleWord).toBe('last pick');
  });

  it('a pick for this send is "picked"', () => {
    const view = viewFor(composer('ct-alice-morgan', 'usr-jane-doe', N.recall));
    expect(view).toMatchObject({
      ruleWord: 'picked',
      numberE164: N.recall,
      friendlyName: 'Recall Reminders',
    });
  });

  it('workflow, bulk and last-used sends have words too', () => {
    expect(
      viewFor({ via: 'workflow', contactId: 'ct-alice-morgan', fromNumber: N.raj }).ruleWord,
    ).toBe('workflow');
    expect(viewFor({ via: 'bulk', contactId: 'ct-alice-morgan', fromNumber: N.raj }).ruleWord).toBe(
      'bulk pick',
    );
    expect(viewFor({ via: 'bulk', contactId: 'ct-ben-carter' }).ruleWord).toBe('last used');
  });

  it('has a word for every rule', () => {
    expect(Object.keys(RULE_WORDS).sort()).toEqual(
      [
        'bulk-from-number',
        'channel-number',
        'default-outbound',
        'last-manual-pick',
        'last-used',
        'manual-pick',
        'user-number',
        'workflow-from-number',
      ].sort(),
    );
  });

  it('labels every trace line and keeps the resolver’s reasons', () => {
    const view = viewFor(composer('ct-alice-morgan', 'usr-jane-doe'));
    expect(view.trace.map((line) => line.label)).toEqual([
      'Opt-out',
      'Contact phone',
      'Picked for this send',
      'Last manual pick',
      'Your number',
    ]);
    expect(view.trace.at(-1)).toMatchObject({ outcome: 'applied', inferred: false });
    expect(view.trace.at(-1)?.reason).toContain('(415) 555-0102');
  });
});

describe('buildSenderView: blocked and failed', () => {
  it('an opted-out contact is blocked with who texted what, and the number the rules would have used', () => {
    const view = viewFor(composer('ct-dev-shah', 'usr-jane-doe'));
    expect(view).toMatchObject({
      state: 'blocked',
      blockedReason: 'Dev Shah texted "STOP" on 2026-04-11',
      wouldHaveBeen: '(415) 555-0102 (Jane Doe)',
    });
    expect(view.numberE164).toBeUndefined();
  });

  it('SMS DND blocks too', () => {
    const view = viewFor(composer('ct-erin-walsh', 'usr-jane-doe'));
    expect(view.state).toBe('blocked');
    expect(view.blockedReason).toBe('Erin Walsh has SMS DND turned on');
  });

  it('a contact without a phone is blocked', () => {
    const view = viewFor(composer('ct-ivy-novak', 'usr-jane-doe'));
    expect(view).toMatchObject({
      state: 'blocked',
      blockedReason: 'Ivy Novak has no phone number',
    });
    expect(view.wouldHaveBeen).toBeUndefined();
  });

  it('a voice-only pick is blocked with a short reason; the trace keeps the long one', () => {
    const view = viewFor(composer('ct-alice-morgan', 'usr-jane-doe', N.frontDesk));
    expect(view.blockedReason).toBe('Picked number (415) 555-0104 is voice-only');
    expect(view.trace.find((line) => line.rule === 'manual-pick')?.reason).toContain(
      'never replaced',
    );
  });

  it('a removed pick says it was removed', () => {
    const view = viewFor(composer('ct-alice-morgan', 'usr-jane-doe', N.removed));
    expect(view.blockedReason).toBe('Picked number (415) 555-0150 was removed');
  });

  it('no usable number at all is blocked', () => {
    const snapshot = sunrise();
    snapshot.numbers = snapshot.numbers.map((n) => ({ ...n, default: false }));
    const view = viewFor(composer('ct-lou-new', 'usr-vic-lowe'), snapshot);
    expect(view.state).toBe('blocked');
    expect(view.blockedReason).toBe('No number of the sub-account can send this SMS to Lou New');
  });

  it('unreadable input is an error, not a block', () => {
    const index = indexOf();
    const refusal: Refusal = {
      error: 'invalid-input',
      field: 'send.pick',
      message: 'send.pick: bad',
      warnings: [],
      trace: [],
    };
    const view = buildSenderView(refusal, { index, syncedAt: SYNCED_AT, now: NOW });
    expect(view.state).toBe('error');
    expect(view.message).toContain('send.pick');
  });
});

describe('buildSenderView: warnings and freshness', () => {
  it('an inferred rule marks the view inferred and says so in a sentence', () => {
    const view = viewFor(composer('ct-ben-carter', 'usr-sam-ortiz'));
    expect(view.inferred).toBe(true);
    expect(view.warnings.join(' ')).toMatch(/inferred/);
    expect(view.trace.some((line) => line.inferred)).toBe(true);
  });

  it('a number of unknown SMS capability earns a warning sentence', () => {
    const view = viewFor(composer('ct-felix-grant', 'usr-vic-lowe'));
    expect(view.numberE164).toBe(N.spanish);
    expect(view.warnings).toEqual([
      'HighLevel does not say whether this number can send SMS; Sender Lens assumes it can.',
    ]);
  });

  it('data older than a day earns a warning', () => {
    const view = viewFor(
      composer('ct-alice-morgan', 'usr-jane-doe'),
      undefined,
      '2026-05-23T16:00:00Z',
    );
    expect(view.freshness).toBe('Synced 3 days ago');
    expect(view.warnings.join(' ')).toContain('more than a day old');
    expect(view.stale).toBe(true);
    expect(viewFor(composer('ct-alice-morgan', 'usr-jane-doe')).stale).toBeUndefined();
  });

  it('words the age of the data', () => {
    const at = (ms: number) => new Date(NOW - ms).toISOString();
    expect(freshness(null, NOW)).toBe('Never synced');
    expect(freshness('not a date', NOW)).toBe('Sync time unknown');
    expect(freshness(at(20_000), NOW)).toBe('Synced just now');
    expect(freshness(at(7 * 60_000), NOW)).toBe('Synced 7 min ago');
    expect(freshness(at(3 * 3_600_000), NOW)).toBe('Synced 3 h ago');
    expect(freshness(at(5 * 86_400_000), NOW)).toBe('Synced 5 days ago');
  });
});

describe('buildSwitcherOptions', () => {
  it('tags yours, channel, default, last pick and current, and disables voice-only numbers', () => {
    const index = indexOf();
    const options = buildSwitcherOptions(index, {
      contactId: 'ct-kim-park',
      userId: 'usr-raj-patel',
      current: N.hygiene,
    });
    const byNumber = new Map(options.map((o) => [o.e164, o]));
    expect(byNumber.get(N.hygiene)?.tags).toEqual(['current', 'last pick']);
    expect(byNumber.get(N.raj)?.tags).toEqual(['yours']);
    expect(byNumber.get(N.main)?.tags).toEqual(['channel', 'default']);
    expect(byNumber.get(N.recall)?.tags).toEqual([]);
    expect(byNumber.get(N.frontDesk)).toMatchObject({
      display: '(415) 555-0104',
      name: 'Front Desk (voice)',
      disabledReason: VOICE_ONLY_REASON,
    });
    expect(byNumber.get(N.hygiene)?.disabledReason).toBeUndefined();
    // Every active number, nothing else.
    expect(options).toHaveLength(7);
  });

  it('puts tagged numbers first and disabled ones last', () => {
    const options = buildSwitcherOptions(indexOf(), {
      contactId: 'ct-kim-park',
      userId: 'usr-raj-patel',
      current: N.hygiene,
    });
    expect(options.map((o) => o.e164)).toEqual([
      N.hygiene,
      N.raj,
      N.main,
      N.recall,
      N.spanish,
      // Jane's number: HighLevel will not offer it to Raj.
      N.jane,
      N.frontDesk,
    ]);
  });

  it('marks numbers of other staff that HighLevel will not offer the agent', () => {
    const forRaj = buildSwitcherOptions(indexOf(), {
      contactId: 'ct-kim-park',
      userId: 'usr-raj-patel',
    });
    const marks = Object.fromEntries(forRaj.map((o) => [o.e164, o.assignedTo]));
    expect(marks).toEqual({
      [N.main]: undefined,
      [N.jane]: 'Jane Doe',
      [N.raj]: undefined,
      [N.frontDesk]: 'Maria Chen',
      [N.hygiene]: undefined,
      [N.recall]: undefined,
      [N.spanish]: undefined,
    });
    // Alice's last used number is Jane's: HighLevel offers it to anyone.
    const alice = buildSwitcherOptions(indexOf(), {
      contactId: 'ct-alice-morgan',
      userId: 'usr-raj-patel',
    });
    expect(alice.find((o) => o.e164 === N.jane)?.assignedTo).toBeUndefined();
    // Jane's own number is hers; without a known agent nothing is marked.
    const forJane = buildSwitcherOptions(indexOf(), {
      contactId: 'ct-kim-park',
      userId: 'usr-jane-doe',
    });
    expect(forJane.find((o) => o.e164 === N.jane)?.assignedTo).toBeUndefined();
    expect(forJane.find((o) => o.e164 === N.raj)?.assignedTo).toBe('Raj Patel');
    const nobody = buildSwitcherOptions(indexOf(), { contactId: 'ct-kim-park' });
    expect(nobody.filter((o) => o.assignedTo !== undefined)).toEqual([]);
  });

  it('has no "yours" without a user, nor "current" without a sender', () => {
    const options = buildSwitcherOptions(indexOf(), { contactId: 'ct-dev-shah' });
    const tags = options.flatMap((o) => o.tags);
    expect(tags).not.toContain('yours');
    expect(tags).not.toContain('current');
    expect(options.find((o) => o.e164 === N.recall)?.tags).toEqual(['channel']);
  });
});

describe('buildSwitcherUsers', () => {
  it('lists the staff by name', () => {
    expect(buildSwitcherUsers(indexOf()).map((u) => u.name)).toEqual([
      'Jane Doe',
      'Maria Chen',
      'Raj Patel',
      'Sam Ortiz',
      'Vic Lowe',
    ]);
  });
});
