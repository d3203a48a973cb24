import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { NOT_SYNCED } from '../../lib/background/contact-index';
import { buildNumbersView, numbersHandlers } from '../../lib/background/numbers-view';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import type { Reply } from '../../lib/messaging/protocol';
import { type NumbersStaffView, numbersRequests } from '../../lib/messaging/requests/numbers';
import type { Snapshot } from '../../lib/rules/types';
import { openStore, type Store } from '../../lib/store';
import { contentScript, EXTENSION_ID, EXTENSION_ORIGIN, extensionPage } from '../messaging/senders';
import { N, NOW, SYNCED_AT, sunrise } from './conversation.fixtures';

type Ready = Extract<NumbersStaffView, { state: 'ready' }>;

function ready(snapshot: Snapshot): Ready {
  const view = buildNumbersView('loc-demo', snapshot, SYNCED_AT, NOW);
  if (view.state !== 'ready') throw new Error(`not ready: ${JSON.stringify(view)}`);
  return view;
}

const codes = (view: Ready) => view.problems.map((p) => p.code);

describe('buildNumbersView', () => {
  it('lists every number with its display form, name, capability, default, pool and holders', () => {
    const snapshot = sunrise();
    (snapshot.numbers[4] as { pool?: string }).pool = 'Hygiene pool';
    const view = ready(snapshot);
    expect(view.freshness).toBe('Synced 5 min ago');
    expect(view.numbers.map((n) => n.display)).toEqual([
      '(415) 555-0101',
      '(415) 555-0102',
      '(415) 555-0103',
      '(415) 555-0104',
      '(415) 555-0105',
      '(415) 555-0107',
      '(415) 555-0110',
    ]);
    expect(view.numbers[0]).toEqual({
      e164: N.main,
      display: '(415) 555-0101',
      name: 'Main Office',
      sms: 'sms',
      isDefault: true,
      assignedTo: [],
      problems: [],
    });
    expect(view.numbers[1]).toMatchObject({ name: 'Jane Doe', assignedTo: ['Jane Doe'] });
    expect(view.numbers[3]).toMatchObject({ sms: 'voice-only', assignedTo: ['Maria Chen'] });
    expect(view.numbers[4]).toMatchObject({ pool: 'Hygiene pool', isDefault: false });
    expect(view.numbers[6]).toMatchObject({ sms: 'unknown', name: 'Línea en Español' });
  });

  it('lists staff by name with their number, active or removed', () => {
    const view = ready(sunrise());
    expect(view.staff.map((s) => s.name)).toEqual([
      'Jane Doe',
      'Maria Chen',
      'Raj Patel',
      'Sam Ortiz',
      'Vic Lowe',
    ]);
    expect(view.staff[0]).toEqual({
      id: 'usr-jane-doe',
      name: 'Jane Doe',
      number: { e164: N.jane, display: '(415) 555-0102', name: 'Jane Doe', state: 'active' },
      problems: [],
    });
    expect(view.staff[3]?.number).toEqual({
      e164: N.removed,
      display: '(415) 555-0150',
      state: 'removed',
    });
    expect(view.staff[4]?.number).toBeUndefined();
  });

  it('flags a voice-only staff number: their SMS go from the default', () => {
    const view = ready(sunrise());
    const message =
      'Maria Chen’s number (415) 555-0104 is voice-only: their SMS go from the default number (415) 555-0101, never the channel number.';
    expect(view.problems).toContainEqual({
      code: 'staff-number-voice-only',
      message,
      number: N.frontDesk,
      userIds: ['usr-maria-chen'],
    });
    expect(view.staff.find((s) => s.name === 'Maria Chen')?.problems).toEqual([message]);
    expect(view.numbers.find((n) => n.e164 === N.frontDesk)?.problems).toEqual([message]);
  });

  it('flags staff with no number and staff whose number was removed', () => {
    const view = ready(sunrise());
    expect(view.staff.find((s) => s.name === 'Vic Lowe')?.problems).toEqual([
      'Vic Lowe has no number: their SMS go from the contact’s channel number, else the default number (415) 555-0101.',
    ]);
    expect(view.problems.find((p) => p.code === 'staff-no-number')?.userIds).toEqual([
      'usr-vic-lowe',
    ]);
    expect(view.staff.find((s) => s.name === 'Sam Ortiz')?.problems[0]).toBe(
      'Sam Ortiz’s number (415) 555-0150 was removed from the sub-account: they count as having no number (inferred), so their SMS go from the contact’s channel number, else the default number (415) 555-0101.',
    );
    expect(codes(view)).toEqual([
      'staff-number-voice-only',
      'staff-number-removed',
      'staff-no-number',
    ]);
  });

  it('flags a missing default number', () => {
    const snapshot = sunrise();
    snapshot.numbers = snapshot.numbers.map(({ default: _d, ...n }) => n);
    const view = ready(snapshot);
    expect(view.problems[0]).toEqual({
      code: 'no-default',
      message:
        'No default number is set: a send that falls back to the default is refused (no sender number).',
    });
    expect(view.numbers.some((n) => n.isDefault)).toBe(false);
    // Without a default, the fallbacks say so.
    expect(view.staff.find((s) => s.name === 'Maria Chen')?.problems).toEqual([
      'Maria Chen’s number (415) 555-0104 is voice-only: their SMS are refused, as there is no default number that can send SMS.',
    ]);
    expect(view.staff.find((s) => s.name === 'Vic Lowe')?.problems[0]).toContain(
      'without one they are refused, as there is no default number that can send SMS',
    );
  });

  it('flags a default that cannot send SMS, on its row too', () => {
    const snapshot = sunrise();
    snapshot.numbers[0] = { ...snapshot.numbers[0], number: N.main, sms: false };
    const view = ready(snapshot);
    const message =
      'The default number (415) 555-0101 is voice-only: a send that falls back to the default is refused (no sender number).';
    expect(view.problems[0]).toEqual({ code: 'default-not-sms', message, number: N.main });
    expect(view.numbers[0]?.problems).toEqual([message]);
    expect(codes(view)).not.toContain('no-default');
  });

  it('flags a number assigned to two people, on the number and on both staff rows', () => {
    const snapshot = sunrise();
    snapshot.users = snapshot.users.map((u) =>
      u.id === 'usr-raj-patel' ? { ...u, number: '(415) 555-0102' } : u,
    );
    const view = ready(snapshot);
    const message =
      '(415) 555-0102 is assigned to two people, Jane Doe and Raj Patel: the SMS of each go out from it, so contacts cannot tell them apart.';
    expect(view.problems).toContainEqual({
      code: 'number-shared',
      message,
      number: N.jane,
      userIds: ['usr-jane-doe', 'usr-raj-patel'],
    });
    expect(view.numbers[1]?.assignedTo).toEqual(['Jane Doe', 'Raj Patel']);
    expect(view.numbers[1]?.problems).toEqual([message]);
    expect(view.staff.find((s) => s.name === 'Raj Patel')?.problems).toEqual([message]);
    expect(view.staff.find((s) => s.name === 'Jane Doe')?.problems).toEqual([message]);
  });

  it('has no problems for a tidy sub-account, and handles an empty one', () => {
    const snapshot = sunrise();
    snapshot.users = snapshot.users.filter((u) => ['usr-jane-doe', 'usr-raj-patel'].includes(u.id));
    expect(ready(snapshot).problems).toEqual([]);
    const empty = ready({ country: 'US', numbers: [], users: [], contacts: [], messages: [] });
    expect(empty.numbers).toEqual([]);
    expect(empty.staff).toEqual([]);
    expect(codes(empty)).toEqual(['no-default']);
  });

  it('answers an error view, naming the field, for data the rules cannot read', () => {
    const snapshot = sunrise();
    snapshot.numbers[1] = { ...snapshot.numbers[1], number: N.jane, default: true };
    expect(buildNumbersView('loc-demo', snapshot, SYNCED_AT, NOW)).toEqual({
      state: 'error',
      locationId: 'loc-demo',
      message:
        'Sender Lens could not read the synced data (snapshot.numbers[1].default); sync again.',
      syncedAt: SYNCED_AT,
    });
  });
});

describe('numbers-staff', () => {
  const LOC = 'loc-demo';
  let store: Store;
  let route: MessageListener;

  beforeEach(async () => {
    store = await openStore({ factory: new IDBFactory(), now: () => NOW });
    route = createMessageRouter(numbersRequests, numbersHandlers({ store, now: () => NOW }), {
      extensionId: EXTENSION_ID,
      extensionOrigin: EXTENSION_ORIGIN,
    });
  });

  async function ask(payload: unknown, sender = extensionPage()) {
    return (await route({ type: 'numbers-staff', payload }, sender)) as Reply<NumbersStaffView>;
  }

  async function syncSunrise() {
    const snapshot = sunrise();
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers(snapshot.numbers);
    await writer.putStaff(snapshot.users);
    await writer.commit();
  }

  it('answers "not synced" for a sub-account set up but never synced', async () => {
    await store.setLocationSettings(LOC, {});
    expect(await ask({ locationId: LOC })).toEqual({
      ok: true,
      value: { state: 'not-synced', locationId: LOC, message: NOT_SYNCED },
    });
  });

  it('answers the tables of a synced sub-account', async () => {
    await syncSunrise();
    const reply = await ask({ locationId: LOC });
    if (!reply.ok || reply.value.state !== 'ready') throw new Error(JSON.stringify(reply));
    expect(reply.value.numbers).toHaveLength(7);
    expect(reply.value.staff).toHaveLength(5);
    expect(reply.value.problems.map((p) => p.code)).toEqual([
      'staff-number-voice-only',
      'staff-number-removed',
      'staff-no-number',
    ]);
  });

  it('refuses an unknown sub-account in words', async () => {
    const reply = await ask({ locationId: 'loc-nope' });
    expect(reply).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('No sub-account loc-nope is set up') },
    });
  });

  it('refuses content scripts and bad payloads', async () => {
    await syncSunrise();
    expect(await ask({ locationId: LOC }, contentScript())).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ask({ locationId: 'loc demo' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', path: 'locationId' },
    });
    expect(await ask({ locationId: LOC, extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', path: 'extra' },
    });
  });
});
