import { describe, expect, it } from 'vitest';
import {
  buildIndex,
  isIndex,
  isRefusal,
  type Refusal,
  type Resolution,
  resolveSnapshot,
  type Send,
  type Sender,
  type TraceStep,
} from '../../lib/rules';
import { baseSnapshot, inbound, out } from './fixtures';

function sender(resolution: Resolution): Sender {
  if (isRefusal(resolution))
    throw new Error(`expected a sender, got ${resolution.error}: ${resolution.message}`);
  return resolution;
}

function refusal(resolution: Resolution): Refusal {
  if (!isRefusal(resolution))
    throw new Error(`expected a refusal, got ${resolution.from} by ${resolution.rule}`);
  return resolution;
}

function step(resolution: Resolution, rule: TraceStep['rule']): TraceStep {
  const found = resolution.trace.find((s) => s.rule === rule);
  if (!found) throw new Error(`no ${rule} step in ${JSON.stringify(resolution.trace)}`);
  return found;
}

const compose = (extra: Partial<Extract<Send, { via: 'conversation' }>> = {}): Send => ({
  via: 'conversation',
  contactId: 'c-pat',
  ...extra,
});

describe('composer sends', () => {
  it('uses the staff member’s SMS-capable number and says whose it is', () => {
    const result = sender(resolveSnapshot(baseSnapshot(), compose({ userId: 'u-jane' })));
    expect(result).toMatchObject({ from: '+14155550111', rule: 'user-number', warnings: [] });
    expect(step(result, 'user-number')).toMatchObject({
      outcome: 'applied',
      number: '+14155550111',
    });
    expect(step(result, 'user-number').reason).toBe(
      `Jane Doe is sending, and Jane Doe's assigned number (415) 555-0111 ("Jane's line") can send SMS.`,
    );
  });

  it('goes to the default outbound number when the assigned number is voice-only, skipping the channel number', () => {
    const snapshot = baseSnapshot([out('+14155550144', '2025-01-01T00:00:00Z')]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-vic' })));
    expect(result).toMatchObject({ from: '+14155550100', rule: 'default-outbound' });
    expect(step(result, 'user-number')).toMatchObject({
      outcome: 'skipped',
      code: 'user-number-not-sms-capable',
    });
    expect(step(result, 'user-number').reason).toBe(
      `Vic Lowe's number (415) 555-0122 ("Front desk (voice)") is voice-only, so the default outbound number is used.`,
    );
    expect(step(result, 'channel-number').outcome).toBe('not-applicable');
    expect(step(result, 'default-outbound')).toMatchObject({
      outcome: 'applied',
      code: 'user-number-not-sms-capable',
    });
  });

  it('refuses a voice-only assigned number with no usable default instead of trying the channel number', () => {
    const snapshot = baseSnapshot([out('+14155550144', '2025-01-01T00:00:00Z')]);
    snapshot.numbers[0] = { number: '+14155550100', sms: false, default: true };
    const result = refusal(resolveSnapshot(snapshot, compose({ userId: 'u-vic' })));
    expect(result.error).toBe('no-sender-number');
    expect(step(result, 'default-outbound').reason).toContain('is voice-only');
  });

  it('treats a staff member whose number was removed as having none, and marks it inferred', () => {
    const snapshot = baseSnapshot([inbound('+14155550144', '2025-01-01T00:00:00Z')]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-ola' })));
    expect(result).toMatchObject({ from: '+14155550144', rule: 'channel-number' });
    expect(result.warnings).toContain('inferred');
    expect(step(result, 'user-number')).toMatchObject({
      outcome: 'not-applicable',
      inferred: true,
    });
    expect(step(result, 'user-number').reason).toContain('was removed from the sub-account');
  });

  it('uses the channel number for a user without a number', () => {
    const snapshot = baseSnapshot([
      out('+14155550100', '2025-02-01T00:00:00Z'),
      inbound('+14155550144', '2025-01-05T09:00:00Z'),
    ]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-raj' })));
    expect(result).toMatchObject({ from: '+14155550144', rule: 'channel-number' });
    expect(step(result, 'user-number').reason).toBe('Raj Patel has no assigned number.');
    expect(step(result, 'channel-number').reason).toBe(
      `(415) 555-0144 ("Spare") is Pat Kim's channel number, the first number used with them (on 2025-01-05).`,
    );
  });

  it('uses the channel number for a user not in My Staff, and says so', () => {
    const snapshot = baseSnapshot([inbound('+14155550144', '2025-01-05T09:00:00Z')]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-agency' })));
    expect(result.rule).toBe('channel-number');
    expect(step(result, 'user-number').reason).toContain('(u-agency) is not in My Staff');
  });

  it('does not move on to a later number when the channel number was removed', () => {
    const snapshot = baseSnapshot([
      out('+14155550133', '2024-06-01T12:00:00Z'),
      out('+14155550144', '2024-07-01T12:00:00Z'),
    ]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-raj' })));
    expect(result).toMatchObject({ from: '+14155550100', rule: 'default-outbound' });
    expect(step(result, 'channel-number')).toMatchObject({
      outcome: 'skipped',
      number: '+14155550133',
    });
    expect(step(result, 'channel-number').reason).toContain('does not move on to a later number');
  });

  it('skips a voice-only channel number', () => {
    const snapshot = baseSnapshot([inbound('+14155550122', '2024-06-01T12:00:00Z')]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-raj' })));
    expect(result.rule).toBe('default-outbound');
    expect(step(result, 'channel-number').reason).toContain('is voice-only');
  });

  it('falls back to the default outbound number when there is no history', () => {
    const result = sender(resolveSnapshot(baseSnapshot(), compose({ userId: 'u-raj' })));
    expect(result).toMatchObject({ from: '+14155550100', rule: 'default-outbound' });
    expect(step(result, 'channel-number').reason).toBe(
      'Pat Kim has no message history, so no channel number.',
    );
    expect(step(result, 'default-outbound').reason).toBe(
      `(415) 555-0100 ("Main line") is the sub-account's default outbound number.`,
    );
  });

  it('refuses with no-sender-number when nothing is left', () => {
    const snapshot = baseSnapshot();
    snapshot.numbers = [{ number: '+14155550144', sms: true }];
    const result = refusal(resolveSnapshot(snapshot, compose({ userId: 'u-raj' })));
    expect(result.error).toBe('no-sender-number');
    expect(result.message).toContain('Pat Kim');
    expect(step(result, 'default-outbound').reason).toBe(
      'The sub-account has no default outbound number.',
    );
  });

  it('sends from a usable manual pick and ignores everything after it', () => {
    const result = sender(
      resolveSnapshot(baseSnapshot(), compose({ userId: 'u-jane', pick: '(415) 555-0144' })),
    );
    expect(result).toMatchObject({ from: '+14155550144', rule: 'manual-pick' });
    expect(result.trace.map((s) => s.rule)).toEqual([
      'contact-opted-out',
      'contact-has-no-phone',
      'manual-pick',
    ]);
  });

  it('refuses a pick that is voice-only or removed rather than replacing it', () => {
    for (const pick of ['+14155550122', '+14155550177']) {
      const result = refusal(resolveSnapshot(baseSnapshot(), compose({ userId: 'u-jane', pick })));
      expect(result.error).toBe('pick-unavailable');
      expect(result.message).toContain('never replaced');
    }
  });

  it('treats an empty pick as no pick', () => {
    const result = sender(
      resolveSnapshot(baseSnapshot(), compose({ userId: 'u-jane', pick: '  ' })),
    );
    expect(result.rule).toBe('user-number');
  });

  it('preselects the last manual pick, whoever made it, over the user number', () => {
    const snapshot = baseSnapshot([
      out('+14155550144', '2025-03-01T10:00:00Z', { manual: true }),
      out('+14155550100', '2025-03-02T10:00:00Z', { manual: true }),
      out('+14155550111', '2025-03-03T10:00:00Z'),
    ]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-jane' })));
    expect(result).toMatchObject({ from: '+14155550100', rule: 'last-manual-pick' });
    expect(step(result, 'last-manual-pick').reason).toContain('(on 2025-03-02)');
  });

  it('skips a removed or voice-only last manual pick with its reason', () => {
    const removed = baseSnapshot([out('+14155550133', '2025-03-01T10:00:00Z', { manual: true })]);
    const r1 = sender(resolveSnapshot(removed, compose({ userId: 'u-jane' })));
    expect(r1.rule).toBe('user-number');
    expect(step(r1, 'last-manual-pick')).toMatchObject({ outcome: 'skipped', code: 'removed' });
    const voice = baseSnapshot([out('+14155550122', '2025-03-01T10:00:00Z', { manual: true })]);
    const r2 = sender(resolveSnapshot(voice, compose({ userId: 'u-jane' })));
    expect(step(r2, 'last-manual-pick')).toMatchObject({
      outcome: 'skipped',
      code: 'not-sms-capable',
    });
  });

  it('warns when the sender’s SMS capability is unknown', () => {
    const result = sender(resolveSnapshot(baseSnapshot(), compose({ userId: 'u-kim' })));
    expect(result).toMatchObject({ from: '+14155550155', rule: 'user-number' });
    expect(result.warnings).toEqual(['sms-capability-unknown']);
    expect(step(result, 'user-number').reason).toContain('SMS capability is unknown');
  });

  it('gives no user number without a sending user', () => {
    const result = sender(resolveSnapshot(baseSnapshot(), compose()));
    expect(step(result, 'user-number').reason).toBe('No sending user is known.');
  });
});

describe('workflow sends', () => {
  it('uses the From Number whoever is staff', () => {
    const send: Send = {
      via: 'workflow',
      contactId: 'c-pat',
      userId: 'u-jane',
      fromNumber: '415-555-0144',
    };
    expect(sender(resolveSnapshot(baseSnapshot(), send))).toMatchObject({
      from: '+14155550144',
      rule: 'workflow-from-number',
      warnings: [],
    });
  });

  it('refuses an unusable From Number', () => {
    const send: Send = { via: 'workflow', contactId: 'c-pat', fromNumber: '+14155550122' };
    expect(refusal(resolveSnapshot(baseSnapshot(), send)).error).toBe('workflow-from-unavailable');
  });

  it('acts as the user without a From Number, marked inferred, with no pick rules', () => {
    const snapshot = baseSnapshot([out('+14155550144', '2025-03-01T10:00:00Z', { manual: true })]);
    const result = sender(
      resolveSnapshot(snapshot, { via: 'workflow', contactId: 'c-pat', userId: 'u-jane' }),
    );
    expect(result).toMatchObject({ from: '+14155550111', rule: 'user-number' });
    expect(result.warnings).toContain('inferred');
    expect(result.trace.some((s) => s.rule === 'last-manual-pick')).toBe(false);
    expect(step(result, 'user-number').inferred).toBe(true);
  });

  it('uses the channel number, then the default, when acting as nobody', () => {
    const withHistory = baseSnapshot([inbound('+14155550144', '2025-01-01T00:00:00Z')]);
    const r1 = sender(resolveSnapshot(withHistory, { via: 'workflow', contactId: 'c-pat' }));
    expect(r1).toMatchObject({ from: '+14155550144', rule: 'channel-number' });
    expect(step(r1, 'user-number').reason).toBe('The workflow step does not act as a user.');
    const r2 = sender(resolveSnapshot(baseSnapshot(), { via: 'workflow', contactId: 'c-pat' }));
    expect(r2).toMatchObject({
      from: '+14155550100',
      rule: 'default-outbound',
      warnings: ['inferred'],
    });
  });

  it('refuses with no-sender-number, still marked inferred', () => {
    const snapshot = baseSnapshot();
    snapshot.numbers = [{ number: '+14155550144', sms: true }];
    const result = refusal(resolveSnapshot(snapshot, { via: 'workflow', contactId: 'c-pat' }));
    expect(result).toMatchObject({ error: 'no-sender-number', warnings: ['inferred'] });
  });
});

describe('bulk sends', () => {
  it('uses the bulk action’s number', () => {
    const result = sender(
      resolveSnapshot(baseSnapshot(), {
        via: 'bulk',
        contactId: 'c-pat',
        fromNumber: '+14155550144',
      }),
    );
    expect(result.rule).toBe('bulk-from-number');
  });

  it('refuses an unusable bulk number', () => {
    const result = refusal(
      resolveSnapshot(baseSnapshot(), {
        via: 'bulk',
        contactId: 'c-pat',
        fromNumber: '+14155550133',
      }),
    );
    expect(result.error).toBe('bulk-from-unavailable');
    expect(result.message).toContain('was removed');
  });

  it('uses the last number used with the contact, whatever its source, and ignores inbound', () => {
    const snapshot = baseSnapshot([
      out('+14155550100', '2025-01-01T00:00:00Z'),
      out('+14155550111', '2025-04-01T00:00:00Z', { source: 'workflow' }),
      inbound('+14155550144', '2025-05-01T00:00:00Z'),
    ]);
    const result = sender(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-pat' }));
    expect(result).toMatchObject({ from: '+14155550111', rule: 'last-used' });
    expect(step(result, 'last-used').reason).toContain('(on 2025-04-01)');
  });

  it('skips an unusable last used number for the default', () => {
    const snapshot = baseSnapshot([out('+14155550122', '2025-01-01T00:00:00Z')]);
    const result = sender(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-pat' }));
    expect(result.rule).toBe('default-outbound');
    expect(step(result, 'last-used').outcome).toBe('skipped');
  });

  it('ignores a user id, since a bulk action acts as nobody', () => {
    const send = { via: 'bulk', contactId: 'c-pat', userId: 'u-jane' } as Send;
    const result = sender(resolveSnapshot(baseSnapshot(), send));
    expect(result.rule).toBe('default-outbound');
  });
});

describe('before any rule', () => {
  it('refuses an opted-out contact but reports which number the rules would pick', () => {
    const snapshot = baseSnapshot([
      out('+14155550100', '2025-01-01T00:00:00Z'),
      inbound('+14155550100', '2025-01-02T00:00:00Z', '  stop '),
    ]);
    const result = refusal(resolveSnapshot(snapshot, compose({ userId: 'u-jane' })));
    expect(result.error).toBe('contact-opted-out');
    expect(result.message).toBe('Pat Kim texted "stop" on 2025-01-02: no SMS may be sent to them.');
    expect(step(result, 'contact-opted-out').outcome).toBe('applied');
    expect(step(result, 'user-number')).toMatchObject({
      outcome: 'applied',
      number: '+14155550111',
    });
  });

  it('refuses a contact with SMS DND on, whatever they texted', () => {
    const snapshot = baseSnapshot([
      {
        contactId: 'c-dnd',
        number: '+14155550100',
        direction: 'inbound',
        at: '2025-01-02T00:00:00Z',
        body: 'START',
      },
    ]);
    const result = refusal(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-dnd' }));
    expect(result.error).toBe('contact-opted-out');
    expect(result.message).toContain('SMS DND');
  });

  it('takes the latest keyword: START after STOP opts back in', () => {
    const snapshot = baseSnapshot([
      inbound('+14155550100', '2025-01-02T00:00:00Z', 'STOP'),
      inbound('+14155550100', '2025-01-03T00:00:00Z', 'Unstop'),
    ]);
    const result = sender(resolveSnapshot(snapshot, compose({ userId: 'u-jane' })));
    expect(step(result, 'contact-opted-out').reason).toBe(
      'Pat Kim opted back in by texting "Unstop" on 2025-01-03.',
    );
  });

  it('matches keywords on the whole body only, and only from the contact', () => {
    const snapshot = baseSnapshot([
      inbound('+14155550100', '2025-01-02T00:00:00Z', 'please stop texting me tomorrow'),
      out('+14155550100', '2025-01-03T00:00:00Z', { body: 'STOP' }),
    ]);
    expect(isRefusal(resolveSnapshot(snapshot, compose({ userId: 'u-jane' })))).toBe(false);
    for (const word of ['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit']) {
      const opted = baseSnapshot([inbound('+14155550100', '2025-01-02T00:00:00Z', word)]);
      expect(refusal(resolveSnapshot(opted, compose())).error).toBe('contact-opted-out');
    }
  });

  it('refuses a contact without a phone, or with an invalid one', () => {
    const none = refusal(resolveSnapshot(baseSnapshot(), { via: 'bulk', contactId: 'c-nophone' }));
    expect(none).toMatchObject({
      error: 'contact-has-no-phone',
      message: 'No Phone has no phone number.',
    });
    const bad = refusal(resolveSnapshot(baseSnapshot(), { via: 'bulk', contactId: 'c-badphone' }));
    expect(bad.error).toBe('contact-has-no-phone');
    expect(bad.message).toContain('"12345" is not a valid phone number');
  });
});

describe('history', () => {
  it('orders RFC 2822 and ISO dates by instant, across time zones', () => {
    const snapshot = baseSnapshot([
      out('+14155550100', 'Tue, 04 Mar 2025 10:00:00 +0000'),
      out('+14155550144', 'Mon, 03 Mar 2025 23:59:00 -0800'),
    ]);
    expect(sender(resolveSnapshot(snapshot, compose({ userId: 'u-raj' }))).from).toBe(
      '+14155550144',
    );
  });

  it('takes the first listed of two messages at the same instant as the earlier', () => {
    const snapshot = baseSnapshot([
      inbound('+14155550144', '2025-01-01T00:00:00Z'),
      inbound('+14155550100', '2025-01-01T00:00:00Z'),
    ]);
    expect(sender(resolveSnapshot(snapshot, compose({ userId: 'u-raj' }))).from).toBe(
      '+14155550144',
    );
  });

  it('keeps other contacts’ history apart', () => {
    const snapshot = baseSnapshot([
      {
        contactId: 'c-sam',
        number: '+14155550144',
        direction: 'outbound',
        at: '2025-01-01T00:00:00Z',
        manual: true,
      },
    ]);
    expect(sender(resolveSnapshot(snapshot, compose({ userId: 'u-raj' }))).rule).toBe(
      'default-outbound',
    );
    const sam = sender(
      resolveSnapshot(snapshot, { via: 'conversation', contactId: 'c-sam', userId: 'u-raj' }),
    );
    expect(sam.rule).toBe('last-manual-pick');
  });
});

describe('bad input', () => {
  const cases: [string, (s: ReturnType<typeof baseSnapshot>) => unknown, string][] = [
    [
      'an unparsable active number',
      (s) => {
        s.numbers[1] = { number: 'call me' };
        return s;
      },
      'snapshot.numbers[1].number',
    ],
    [
      'an unparsable user number',
      (s) => {
        s.users[1] = { id: 'u-raj', number: '555-01' };
        return s;
      },
      'snapshot.users[1].number',
    ],
    [
      'two default numbers',
      (s) => {
        s.numbers[3] = { number: '+14155550144', default: true };
        return s;
      },
      'snapshot.numbers[3].default',
    ],
    [
      'an unreadable date',
      (s) => {
        s.messages = [out('+14155550100', 'yesterday')];
        return s;
      },
      'snapshot.messages[0].at',
    ],
    [
      'an impossible date',
      (s) => {
        s.messages = [out('+14155550100', '2025-02-30T00:00:00Z')];
        return s;
      },
      'snapshot.messages[0].at',
    ],
    [
      'an unknown direction',
      (s) => {
        s.messages = [{ ...out('+14155550100', '2025-01-01'), direction: 'sideways' as 'inbound' }];
        return s;
      },
      'snapshot.messages[0].direction',
    ],
    [
      'an unparsable history number',
      (s) => {
        s.messages = [out('nope', '2025-01-01')];
        return s;
      },
      'snapshot.messages[0].number',
    ],
    ['numbers that is not a list', (s) => ({ ...s, numbers: {} }), 'snapshot.numbers'],
    ['a missing users list', (s) => ({ ...s, users: undefined }), 'snapshot.users'],
    [
      'a number listed twice',
      (s) => {
        s.numbers.push({ number: '(415) 555-0100' });
        return s;
      },
      'snapshot.numbers[5].number',
    ],
    [
      'a duplicate contact',
      (s) => {
        s.contacts.push({ id: 'c-pat' });
        return s;
      },
      'snapshot.contacts[5].id',
    ],
    [
      'sms that is not a boolean',
      (s) => {
        s.numbers[0] = { number: '+14155550100', sms: 'yes' as never };
        return s;
      },
      'snapshot.numbers[0].sms',
    ],
    ['an unknown country', (s) => ({ ...s, country: 'XX' }), 'snapshot.country'],
  ];
  for (const [what, change, field] of cases) {
    it(`names the field for ${what}`, () => {
      const result = refusal(
        resolveSnapshot(change(baseSnapshot()), compose({ userId: 'u-jane' })),
      );
      expect(result).toMatchObject({ error: 'invalid-input', field, trace: [] });
      expect(result.message.startsWith(`${field}: `)).toBe(true);
    });
  }

  const sends: [string, unknown, string][] = [
    ['a missing contact', { via: 'conversation', contactId: 'c-nobody' }, 'send.contactId'],
    ['an unknown via', { via: 'sms', contactId: 'c-pat' }, 'send.via'],
    ['no contact id', { via: 'bulk' }, 'send.contactId'],
    [
      'an unparsable pick',
      { via: 'conversation', contactId: 'c-pat', pick: 'the blue one' },
      'send.pick',
    ],
    [
      'an unparsable From Number',
      { via: 'workflow', contactId: 'c-pat', fromNumber: '12' },
      'send.fromNumber',
    ],
    [
      'a user id that is not a string',
      { via: 'conversation', contactId: 'c-pat', userId: 7 },
      'send.userId',
    ],
    ['a send that is not an object', 'conversation', 'send'],
  ];
  for (const [what, send, field] of sends) {
    it(`names the field for ${what}`, () => {
      expect(refusal(resolveSnapshot(baseSnapshot(), send))).toMatchObject({
        error: 'invalid-input',
        field,
      });
    });
  }

  it('says a missing field is missing, not "undefined undefined"', () => {
    const snapshot = baseSnapshot() as unknown as { users: Record<string, unknown>[] };
    delete snapshot.users[0]?.id;
    const result = refusal(resolveSnapshot(snapshot, compose()));
    expect(result.message).toMatch(/^snapshot\.users\[0\]\.id: .*missing/);
    expect(result.message).not.toContain('undefined');
  });

  it('reads a snapshot that is not an object as bad input', () => {
    expect(refusal(resolveSnapshot(null, compose()))).toMatchObject({
      error: 'invalid-input',
      field: 'snapshot',
    });
  });

  it('reads national formats with the sub-account’s country', () => {
    const snapshot = baseSnapshot();
    snapshot.country = 'GB';
    snapshot.numbers = [{ number: '020 7183 8750', sms: true, default: true }];
    snapshot.users = [];
    snapshot.contacts = [{ id: 'c-pat', name: 'Pat Kim', phone: '07911 123456' }];
    const result = sender(resolveSnapshot(snapshot, compose()));
    expect(result.from).toBe('+442071838750');
    expect(step(result, 'default-outbound').reason).toContain('020 7183 8750');
  });

  it('builds one index that serves many sends', () => {
    const index = buildIndex(baseSnapshot([inbound('+14155550144', '2025-01-01T00:00:00Z')]));
    if (!isIndex(index)) throw new Error(index.message);
    expect(index.facts.get('c-pat')?.channel?.number).toBe('+14155550144');
    expect(index.defaultNumber?.e164).toBe('+14155550100');
  });
});
