import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { isRefusal, resolveSnapshot } from '../../lib/rules/index';
import type { SnapshotContact, SnapshotNumber, SnapshotUser } from '../../lib/rules/types';
import {
  openStore,
  type PageMessage,
  type Store,
  StoreInputError,
  SyncStateError,
} from '../../lib/store/index';
import { GENERATION_STORES } from '../../lib/store/schema';
import { foldPage, wholeSnapshot } from './helpers';

const LOC = 'loc-a';
const T0 = Date.UTC(2025, 0, 1);

const NUMBERS: SnapshotNumber[] = [
  { number: '+14155550100', sms: true, default: true, name: 'Main line' },
  { number: '+14155550111', sms: true, name: "Jane's line" },
  { number: '+14155550122', sms: false, name: 'Front desk (voice)' },
  // A pool number: the store keeps its pool through writes and snapshots.
  { number: '+14155550144', sms: true, name: 'Spare', pool: 'Sales Team Pool' },
];
const USERS: SnapshotUser[] = [
  { id: 'u-jane', name: 'Jane Doe', number: '+14155550111' },
  { id: 'u-raj', name: 'Raj Patel' },
];
const CONTACTS: SnapshotContact[] = [
  { id: 'c-pat', name: 'Pat Kim', phone: '+14155559001' },
  { id: 'c-sam', name: 'Sam Ortiz', phone: '+14155559002' },
];

function msg(
  contactId: string,
  number: string,
  direction: 'inbound' | 'outbound',
  minutes: number,
  extra: Partial<PageMessage> = {},
): PageMessage {
  return { contactId, number, direction, atMs: T0 + minutes * 60_000, ...extra };
}

function minuteOf(at: string): number {
  return (Date.parse(at) - T0) / 60_000;
}

let clock: number;
let store: Store;

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 1);
  store = await openStore({ factory: new IDBFactory(), now: () => clock });
});

async function fullSync(
  s: Store,
  locationId: string,
  data: {
    numbers?: SnapshotNumber[];
    users?: SnapshotUser[];
    contacts?: SnapshotContact[];
    messages?: PageMessage[];
  } = {},
) {
  const writer = await s.beginSync(locationId, 'full');
  await writer.putNumbers(data.numbers ?? NUMBERS);
  await writer.putStaff(data.users ?? USERS);
  await writer.putContacts(data.contacts ?? CONTACTS);
  const messages = data.messages ?? [];
  for (let i = 0; i < messages.length; i += 2) await foldPage(writer, messages.slice(i, i + 2));
  return writer.commit();
}

async function rowsOf(s: Store, locationId: string): Promise<Record<string, number>> {
  const db = await s.db();
  const counts: Record<string, number> = {};
  for (const name of GENERATION_STORES) {
    counts[name] = await db.count(name, IDBKeyRange.bound([locationId], [locationId, []]));
  }
  return counts;
}

describe('snapshot', () => {
  it('is null before the first full sync', async () => {
    expect(await wholeSnapshot(store, LOC)).toBeNull();
    await store.setLocationSettings(LOC, { name: 'Acme', selectedForSync: true });
    expect(await wholeSnapshot(store, LOC)).toBeNull();
  });

  it('holds what a full sync wrote, with history reduced to the messages that carry facts', async () => {
    await store.setLocationSettings(LOC, { country: 'us' });
    clock = Date.UTC(2026, 0, 2);
    await fullSync(store, LOC, {
      messages: [
        msg('c-pat', '+14155550100', 'inbound', 1, { body: 'hi there', sid: 'SM1' }),
        msg('c-pat', '+14155550144', 'outbound', 2, { manual: true, sid: 'SM2' }),
        msg('c-pat', '+14155550100', 'outbound', 3, { sid: 'SM3' }),
        msg('c-pat', '+14155550100', 'outbound', 4, { sid: 'SM4' }),
        msg('c-sam', '+14155550111', 'outbound', 5, { sid: 'SM5' }),
      ],
    });
    const result = await wholeSnapshot(store, LOC);
    expect(result?.syncedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(result?.snapshot.country).toBe('US');
    expect(result?.snapshot.numbers).toEqual(NUMBERS);
    expect(result?.snapshot.users).toEqual(USERS);
    expect(result?.snapshot.contacts).toEqual(CONTACTS);
    // The message at minute 3 carries no fact: minute 4 is the later outbound.
    expect(result?.snapshot.messages.map((m) => [m.contactId, minuteOf(m.at)])).toEqual([
      ['c-pat', 1],
      ['c-pat', 2],
      ['c-pat', 4],
      ['c-sam', 5],
    ]);
    // The body of an ordinary message is not kept.
    expect(JSON.stringify(result?.snapshot)).not.toContain('hi there');

    const snapshot = result?.snapshot as NonNullable<typeof result>['snapshot'];
    expect(
      resolveSnapshot(snapshot, { via: 'conversation', contactId: 'c-pat', userId: 'u-jane' }),
    ).toMatchObject({ from: '+14155550144', rule: 'last-manual-pick' });
    expect(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-pat' })).toMatchObject({
      from: '+14155550100',
      rule: 'last-used',
    });
    expect(
      resolveSnapshot(snapshot, { via: 'conversation', contactId: 'c-sam', userId: 'u-raj' }),
    ).toMatchObject({ from: '+14155550111', rule: 'channel-number' });
  });

  it('keeps each sub-account apart', async () => {
    await fullSync(store, 'loc-a', { messages: [msg('c-pat', '+14155550144', 'outbound', 1)] });
    await fullSync(store, 'loc-b', {
      numbers: [{ number: '+12125550100', sms: true, default: true }],
      users: [],
      contacts: [{ id: 'c-pat', phone: '+12125559999' }],
    });
    const a = await wholeSnapshot(store, 'loc-a');
    const b = await wholeSnapshot(store, 'loc-b');
    expect(a?.snapshot.numbers).toHaveLength(4);
    expect(a?.snapshot.messages).toHaveLength(1);
    expect(b?.snapshot.numbers).toEqual([{ number: '+12125550100', sms: true, default: true }]);
    expect(b?.snapshot.contacts).toEqual([{ id: 'c-pat', phone: '+12125559999' }]);
    expect(b?.snapshot.messages).toEqual([]);
    expect((await store.listLocations()).map((l) => l.locationId).sort()).toEqual([
      'loc-a',
      'loc-b',
    ]);
  });

  it('follows the data and the country', async () => {
    await fullSync(store, LOC);
    const first = await wholeSnapshot(store, LOC);
    expect(await wholeSnapshot(store, LOC)).toEqual(first);

    await store.setLocationSettings(LOC, { country: 'CA' });
    const recountried = await wholeSnapshot(store, LOC);
    expect(recountried?.snapshot.country).toBe('CA');

    await fullSync(store, LOC, { numbers: NUMBERS.slice(0, 2) });
    const resynced = await wholeSnapshot(store, LOC);
    expect(resynced?.snapshot.numbers).toHaveLength(2);
    expect(resynced?.generation).not.toBe(first?.generation);
  });

  it('sees another context’s commit (a second store on the same database)', async () => {
    const factory = new IDBFactory();
    const background = await openStore({ factory, now: () => clock });
    const options = await openStore({ factory, now: () => clock });
    await fullSync(background, LOC);
    expect((await wholeSnapshot(options, LOC))?.snapshot.numbers).toHaveLength(4);
    await fullSync(background, LOC, { numbers: NUMBERS.slice(0, 1) });
    expect((await wholeSnapshot(options, LOC))?.snapshot.numbers).toHaveLength(1);
  });

  it('can be built for a few contacts only, resolving the same way', async () => {
    await fullSync(store, LOC, {
      messages: [
        msg('c-pat', '+14155550144', 'outbound', 1, { manual: true }),
        msg('c-sam', '+14155550111', 'inbound', 2),
      ],
    });
    const small = await store.getSnapshotForContacts(LOC, ['c-sam', 'c-nobody']);
    expect(small?.snapshot.contacts.map((c) => c.id)).toEqual(['c-sam']);
    expect(small?.snapshot.messages.every((m) => m.contactId === 'c-sam')).toBe(true);
    const full = await wholeSnapshot(store, LOC);
    const send = { via: 'conversation', contactId: 'c-sam', userId: 'u-raj' } as const;
    expect(resolveSnapshot(small?.snapshot, send)).toEqual(resolveSnapshot(full?.snapshot, send));
    await expect(store.getSnapshotForContacts(LOC, [''])).rejects.toThrow(/contactIds\[0\]/);
  });
});

describe('a failed sync', () => {
  it('leaves the previous snapshot in use, whole, and records the error', async () => {
    await fullSync(store, LOC, { messages: [msg('c-pat', '+14155550144', 'outbound', 1)] });
    const before = await wholeSnapshot(store, LOC);

    clock = Date.UTC(2026, 0, 3);
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers([{ number: '+14155550199', sms: true, default: true }]);
    await writer.putStaff([]);
    await writer.putContacts([{ id: 'c-new' }]);
    await foldPage(writer, [msg('c-new', '+14155550199', 'outbound', 9)]);
    // Mid-sync, readers still see the previous data.
    const during = await wholeSnapshot(store, LOC);
    expect(during?.snapshot).toEqual(before?.snapshot);

    await writer.abort(new Error('Twilio 20429: Too Many Requests'));
    const after = await wholeSnapshot(store, LOC);
    expect(after?.snapshot).toEqual(before?.snapshot);
    expect(after?.generation).toBe(before?.generation);

    const state = await store.getSyncState(LOC);
    expect(state.lastError).toEqual({
      message: 'Twilio 20429: Too Many Requests',
      at: '2026-01-03T00:00:00.000Z',
    });
    expect(state.staging).toBeNull();
    expect(state.running).toBe(false);
    // The partial generation is gone: only the active one's rows remain (a
    // full sync writes its facts as bucket rows).
    expect(await rowsOf(store, LOC)).toEqual({
      numbers: 4,
      staff: 2,
      contacts: 2,
      contactFacts: 0,
      factBuckets: 1,
    });
    const [entry] = await store.listAudit(LOC, { limit: 1 });
    expect(entry).toMatchObject({ kind: 'sync', outcome: 'error' });
  });

  it('never stores a credential an upstream error echoed', async () => {
    await fullSync(store, LOC);
    const writer = await store.beginSync(LOC, 'incremental');
    const token = '0123456789abcdef0123456789abcdef';
    await writer.abort(
      new Error(`401 for https://AC0123456789abcdef0123456789abcdef:${token}@api.twilio.com`),
    );
    const state = await store.getSyncState(LOC);
    expect(state.lastError?.message).not.toContain(token);
    expect(state.lastError?.message).toContain('[redacted]');
    const audit = await store.listAudit(LOC);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('cannot commit a full sync that did not write numbers and staff', async () => {
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers(NUMBERS);
    const failure = writer.commit();
    await expect(failure).rejects.toThrow(SyncStateError);
    await expect(failure).rejects.toThrow('missing: staff');
    await writer.abort(new Error('gave up'));
    expect(await wholeSnapshot(store, LOC)).toBeNull();
  });

  it('refuses malformed rows with the field named', async () => {
    const writer = await store.beginSync(LOC, 'full');
    await expect(writer.putNumbers([{ number: '+14155550100', sms: 'yes' }])).rejects.toThrow(
      'numbers[0].sms: expected true or false',
    );
    await expect(writer.putNumbers([{ number: '+14155550100', pool: 7 }])).rejects.toThrow(
      'numbers[0].pool: expected a string',
    );
    await expect(
      writer.putNumbers([{ number: '+14155550100' }, { number: '+14155550100' }]),
    ).rejects.toThrow('numbers[1]: repeats numbers[0]');
    await expect(writer.putContacts([{ name: 'no id' }])).rejects.toThrow(StoreInputError);
    await expect(writer.putStaff('nobody' as unknown as [])).rejects.toThrow(
      'users: expected a list',
    );
    await writer.abort(new Error('test over'));
  });
});

describe('incremental sync', () => {
  it('needs a committed full sync first', async () => {
    await expect(store.beginSync(LOC, 'incremental')).rejects.toMatchObject({ code: 'no-base' });
    expect((await store.getSyncState(LOC)).running).toBe(false);
  });

  it('folds new messages into the current facts, in one swap at commit', async () => {
    await fullSync(store, LOC, {
      messages: [
        msg('c-pat', '+14155550100', 'outbound', 1, { sid: 'SM1' }),
        msg('c-pat', '+14155550144', 'outbound', 2, { manual: true, sid: 'SM2' }),
      ],
    });
    const writer = await store.beginSync(LOC, 'incremental');
    await writer.putContacts([
      { id: 'c-pat', name: 'Pat Kim', phone: '+14155559001', smsDnd: false },
    ]);
    await foldPage(writer, [
      // Already known: folding it again changes nothing.
      msg('c-pat', '+14155550144', 'outbound', 2, { manual: true, sid: 'SM2' }),
      msg('c-pat', '+14155550100', 'inbound', 3, { body: 'STOP', sid: 'SM3' }),
      msg('c-sam', '+14155550111', 'outbound', 4, { sid: 'SM4' }),
    ]);
    // Not visible before commit.
    expect((await wholeSnapshot(store, LOC))?.snapshot.messages).toHaveLength(2);
    await writer.commit();

    const snapshot = (await wholeSnapshot(store, LOC))?.snapshot;
    expect(snapshot?.numbers).toEqual(NUMBERS);
    expect(snapshot?.messages.map((m) => minuteOf(m.at))).toEqual([1, 2, 3, 4]);
    const pat = resolveSnapshot(snapshot, { via: 'conversation', contactId: 'c-pat' });
    expect(isRefusal(pat) && pat.error).toBe('contact-opted-out');

    const details = await store.getContactDetails(LOC, 'c-pat');
    expect(details?.optOut).toMatchObject({ optedOut: true, by: 'keyword' });
    expect(details?.optOut.message).toMatchObject({ keyword: 'STOP', sid: 'SM3' });
    expect(details?.contact).toEqual({
      id: 'c-pat',
      name: 'Pat Kim',
      phone: '+14155559001',
      smsDnd: false,
    });
    // The staging rows were merged and dropped; the full sync's bucket stays.
    expect(await rowsOf(store, LOC)).toEqual({
      numbers: 4,
      staff: 2,
      contacts: 2,
      contactFacts: 2,
      factBuckets: 1,
    });
  });

  it('replaces numbers and staff only when it wrote them, and drops removed contacts', async () => {
    await fullSync(store, LOC, { messages: [msg('c-sam', '+14155550111', 'outbound', 1)] });
    const writer = await store.beginSync(LOC, 'incremental');
    await writer.putNumbers(NUMBERS.slice(0, 2));
    await writer.removeContacts(['c-sam']);
    await writer.commit();
    const snapshot = (await wholeSnapshot(store, LOC))?.snapshot;
    expect(snapshot?.numbers).toEqual(NUMBERS.slice(0, 2));
    expect(snapshot?.users).toEqual(USERS);
    expect(snapshot?.contacts.map((c) => c.id)).toEqual(['c-pat']);
    expect(snapshot?.messages).toEqual([]);
    expect(await rowsOf(store, LOC)).toMatchObject({ contactFacts: 0 });
  });

  it('starts from the cursors the last sync committed', async () => {
    const full = await store.beginSync(LOC, 'full');
    await full.putNumbers(NUMBERS);
    await full.putStaff(USERS);
    await full.putContacts(CONTACTS);
    await full.setCursor('twilio:messages', '2025-01-01T00:05:00Z');
    await full.setCursor('scratch', 'x');
    await full.setCursor('scratch', null);
    await full.commit();
    expect((await store.getSyncState(LOC)).cursors).toEqual({
      'twilio:messages': '2025-01-01T00:05:00Z',
    });
    const writer = await store.beginSync(LOC, 'incremental');
    expect(writer.cursors).toEqual({ 'twilio:messages': '2025-01-01T00:05:00Z' });
    await writer.setCursor('twilio:messages', '2025-01-02T00:00:00Z');
    // Not committed yet: the saved cursors are unchanged.
    expect((await store.getSyncState(LOC)).cursors['twilio:messages']).toBe('2025-01-01T00:05:00Z');
    await writer.abort(new Error('network down'));
    expect((await store.getSyncState(LOC)).cursors['twilio:messages']).toBe('2025-01-01T00:05:00Z');
  });
});

describe('running syncs', () => {
  it('allows one sync of a location at a time in a context', async () => {
    const writer = await store.beginSync(LOC, 'full');
    await expect(store.beginSync(LOC, 'full')).rejects.toMatchObject({ code: 'busy' });
    expect((await store.getSyncState(LOC)).running).toBe(true);
    // Another location is independent.
    const other = await store.beginSync('loc-b', 'full');
    await other.abort(new Error('not needed'));
    await writer.abort(new Error('done'));
    await expect(writer.putStaff([])).rejects.toMatchObject({ code: 'closed' });
    await expect(writer.commit()).rejects.toMatchObject({ code: 'closed' });
  });

  it('resumes after the worker restarts, keeping what was written', async () => {
    const factory = new IDBFactory();
    const first = await openStore({ factory, now: () => clock });
    const writer = await first.beginSync(LOC, 'full');
    await writer.putNumbers(NUMBERS);
    await writer.putStaff(USERS);
    await writer.putContacts(CONTACTS);
    await foldPage(writer, [msg('c-pat', '+14155550144', 'outbound', 1, { manual: true })]);
    await writer.setCursor('twilio:messages', 'page-2');
    first.close();

    // The worker was stopped; a new one opens the store.
    const second = await openStore({ factory, now: () => clock });
    const state = await second.getSyncState(LOC);
    expect(state.staging).toMatchObject({ kind: 'full', progress: { pages: 1, messages: 1 } });
    const resumed = await second.resumeSync(LOC);
    expect(resumed?.cursors).toEqual({ 'twilio:messages': 'page-2' });
    if (resumed) await foldPage(resumed, [msg('c-sam', '+14155550111', 'inbound', 2)]);
    await resumed?.commit();
    const snapshot = (await wholeSnapshot(second, LOC))?.snapshot;
    expect(snapshot?.messages.map((m) => m.contactId)).toEqual(['c-pat', 'c-sam']);
    expect(await second.resumeSync(LOC)).toBeNull();
  });

  it('discards an unfinished sync when a new one begins; the old writer can no longer write', async () => {
    const factory = new IDBFactory();
    const dead = await openStore({ factory, now: () => clock });
    const stale = await dead.beginSync(LOC, 'full');
    await stale.putNumbers(NUMBERS);

    const fresh = await openStore({ factory, now: () => clock });
    await fullSync(fresh, LOC, { numbers: NUMBERS.slice(0, 1) });
    await expect(stale.putStaff(USERS)).rejects.toMatchObject({ code: 'superseded' });
    await expect(stale.commit()).rejects.toMatchObject({ code: 'superseded' });
    expect((await wholeSnapshot(fresh, LOC))?.snapshot.numbers).toHaveLength(1);
    expect(await rowsOf(fresh, LOC)).toMatchObject({ numbers: 1 });
  });
});

describe('picks made in the extension', () => {
  it('are pending until a manual send at or after them is synced', async () => {
    await fullSync(store, LOC, {
      messages: [msg('c-pat', '+14155550144', 'outbound', 1, { manual: true })],
    });
    const pick = await store.recordPick({
      locationId: LOC,
      contactId: 'c-pat',
      number: '+14155550111',
      userId: 'u-jane',
      at: new Date(T0 + 10 * 60_000).toISOString(),
    });
    expect(pick).toEqual({
      contactId: 'c-pat',
      number: '+14155550111',
      userId: 'u-jane',
      at: '2025-01-01T00:10:00.000Z',
    });
    expect((await wholeSnapshot(store, LOC))?.pendingPicks).toEqual({ 'c-pat': pick });
    expect((await store.getSnapshotForContacts(LOC, ['c-pat']))?.pendingPicks).toEqual({
      'c-pat': pick,
    });
    expect((await store.getContactDetails(LOC, 'c-pat'))?.pendingPick).toEqual(pick);
    // The pick is for a send, not a message: the snapshot's history is unchanged.
    expect((await wholeSnapshot(store, LOC))?.snapshot.messages).toHaveLength(1);

    const writer = await store.beginSync(LOC, 'incremental');
    await foldPage(writer, [msg('c-pat', '+14155550111', 'outbound', 11, { manual: true })]);
    await writer.commit();
    expect((await wholeSnapshot(store, LOC))?.pendingPicks).toEqual({});
  });

  it('become the last manual pick once a message from the picked number follows them', async () => {
    await fullSync(store, LOC, {
      messages: [msg('c-pat', '+14155550100', 'outbound', 1)],
    });
    await store.recordPick({
      locationId: LOC,
      contactId: 'c-pat',
      number: '+14155550144',
      at: new Date(T0 + 10 * 60_000).toISOString(),
    });
    // Synced history carries no manual flag: Twilio cannot tell.
    const writer = await store.beginSync(LOC, 'incremental');
    await foldPage(writer, [msg('c-pat', '+14155550144', 'outbound', 11)]);
    await writer.commit();

    const found = await store.getSnapshotForContacts(LOC, ['c-pat']);
    expect(found?.pendingPicks).toEqual({});
    const manual = found?.snapshot.messages.filter((m) => m.manual);
    expect(manual).toMatchObject([{ contactId: 'c-pat', number: '+14155550144', manual: true }]);
    const result = resolveSnapshot(found?.snapshot, { via: 'conversation', contactId: 'c-pat' });
    expect(result).toMatchObject({ from: '+14155550144', rule: 'last-manual-pick' });
  });

  it('allow for a browser clock ahead of Twilio’s', async () => {
    await fullSync(store, LOC, { messages: [msg('c-pat', '+14155550100', 'outbound', 1)] });
    // Stamped at minute 10 by a browser two minutes fast; Twilio dates the send minute 9.
    await store.recordPick({
      locationId: LOC,
      contactId: 'c-pat',
      number: '+14155550144',
      at: new Date(T0 + 10 * 60_000).toISOString(),
    });
    const writer = await store.beginSync(LOC, 'incremental');
    await foldPage(writer, [msg('c-pat', '+14155550144', 'outbound', 9)]);
    await writer.commit();
    const found = await store.getSnapshotForContacts(LOC, ['c-pat']);
    expect(found?.pendingPicks).toEqual({});
    const result = resolveSnapshot(found?.snapshot, { via: 'conversation', contactId: 'c-pat' });
    expect(result).toMatchObject({ from: '+14155550144', rule: 'last-manual-pick' });
  });

  it('are used up, not remembered, by a message from another number', async () => {
    await fullSync(store, LOC);
    await store.recordPick({
      locationId: LOC,
      contactId: 'c-pat',
      number: '+14155550144',
      at: new Date(T0 + 10 * 60_000).toISOString(),
    });
    const writer = await store.beginSync(LOC, 'incremental');
    await foldPage(writer, [msg('c-pat', '+14155550100', 'outbound', 11)]);
    await writer.commit();
    const found = await store.getSnapshotForContacts(LOC, ['c-pat']);
    expect(found?.pendingPicks).toEqual({});
    expect(found?.snapshot.messages.some((m) => m.manual)).toBe(false);
  });

  it('can be cleared once the send is done, and are audited', async () => {
    await fullSync(store, LOC);
    await store.recordPick({ locationId: LOC, contactId: 'c-sam', number: '+14155550144' });
    await store.clearPick(LOC, 'c-sam');
    expect((await wholeSnapshot(store, LOC))?.pendingPicks).toEqual({});
    const [entry] = await store.listAudit(LOC, { limit: 1 });
    expect(entry).toMatchObject({
      kind: 'pick',
      summary: 'Picked +14155550144 for contact c-sam',
      detail: { contactId: 'c-sam', number: '+14155550144' },
    });
    await expect(
      store.recordPick({ locationId: LOC, contactId: 'c-sam', number: '415 555 0144' }),
    ).rejects.toThrow('number: expected an E.164 number');
  });
});

describe('audit log', () => {
  it('lists a location’s entries newest first, page by page, ties in time included', async () => {
    for (let i = 0; i < 7; i++) {
      clock = Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 3));
      await store.appendAudit({ locationId: LOC, kind: 'send', summary: `send ${i}` });
      await store.appendAudit({ locationId: 'loc-b', kind: 'send', summary: `other ${i}` });
    }
    const pages: string[][] = [];
    let before: number | undefined;
    for (;;) {
      const page = await store.listAudit(
        LOC,
        before === undefined ? { limit: 2 } : { limit: 2, before },
      );
      if (page.length === 0) break;
      pages.push(page.map((e) => e.summary));
      before = page[page.length - 1]?.seq;
    }
    expect(pages).toEqual([
      ['send 6', 'send 5'],
      ['send 4', 'send 3'],
      ['send 2', 'send 1'],
      ['send 0'],
    ]);
  });

  it('masks credentials and refuses bad entries', async () => {
    const seq = await store.appendAudit({
      locationId: LOC,
      kind: 'send',
      outcome: 'error',
      summary: 'Send failed with Bearer pit-1234abcd-12ab-34cd-56ef-1234567890ab',
      detail: { header: 'Basic QUMxMjM6c2VjcmV0', code: 20003 },
    });
    const [entry] = await store.listAudit(LOC);
    expect(entry?.seq).toBe(seq);
    expect(entry?.summary).toBe('Send failed with Bearer [redacted]');
    expect(entry?.detail).toEqual({ header: 'Basic [redacted]', code: 20003 });
    await expect(
      store.appendAudit({ locationId: LOC, kind: 'gossip' as 'send', summary: 'x' }),
    ).rejects.toThrow('kind:');
    await expect(store.listAudit(LOC, { before: 999 })).rejects.toThrow('before:');
    await expect(store.listAudit(LOC, { limit: 0 })).rejects.toThrow('limit:');
  });
});

describe('locations', () => {
  it('keeps settings and refuses an unknown country', async () => {
    await store.setLocationSettings(LOC, {
      name: 'Acme Dental',
      country: 'gb',
      selectedForSync: true,
    });
    expect(await store.listLocations()).toEqual([
      {
        locationId: LOC,
        name: 'Acme Dental',
        country: 'GB',
        selectedForSync: true,
        syncedAt: null,
        hasData: false,
      },
    ]);
    await expect(store.setLocationSettings(LOC, { country: 'XX' })).rejects.toThrow('country:');
  });

  it('keeps the Twilio subaccount, and asks for a full sync once synced data came from another', async () => {
    const SUB = `AC${'5'.repeat(32)}`;
    const locationOf = async () => (await store.listLocations()).find((l) => l.locationId === LOC);
    // Before any sync, the first one is full anyway: nothing to ask for.
    await store.setLocationSettings(LOC, { twilioAccountSid: SUB });
    expect(await locationOf()).toMatchObject({ twilioAccountSid: SUB });
    expect((await locationOf())?.fullSyncDue).toBeUndefined();
    await fullSync(store, LOC);
    await store.setLocationSettings(LOC, { twilioAccountSid: SUB });
    expect((await locationOf())?.fullSyncDue).toBeUndefined();
    await store.setLocationSettings(LOC, { twilioAccountSid: null });
    const back = await locationOf();
    expect(back?.twilioAccountSid).toBeUndefined();
    expect(back?.fullSyncDue).toBe(true);
    // An incremental sync does not settle it; a full one does.
    const writer = await store.beginSync(LOC, 'incremental');
    await writer.commit();
    expect((await locationOf())?.fullSyncDue).toBe(true);
    await fullSync(store, LOC);
    expect((await locationOf())?.fullSyncDue).toBeUndefined();
    const summaries = (await store.listAudit(LOC))
      .filter((e) => e.kind === 'settings')
      .map((e) => e.summary);
    expect(summaries).toEqual([
      'Settings changed: Twilio account the main account',
      `Settings changed: Twilio account ${SUB}`,
    ]);
    for (const bad of ['AC123', `SK${'5'.repeat(32)}`, 42, '']) {
      await expect(
        store.setLocationSettings(LOC, { twilioAccountSid: bad as string }),
      ).rejects.toThrow('twilioAccountSid: expected "AC" followed by 32 hexadecimal characters');
    }
  });

  it('forgets everything of a removed location and nothing of another', async () => {
    await fullSync(store, LOC, { messages: [msg('c-pat', '+14155550100', 'outbound', 1)] });
    await fullSync(store, 'loc-b');
    await store.recordPick({ locationId: LOC, contactId: 'c-pat', number: '+14155550111' });
    await store.putCachedContact(LOC, { id: 'c-kim', phone: '+14155559003' });
    await store.removeLocation(LOC);
    expect(await wholeSnapshot(store, LOC)).toBeNull();
    expect(await store.getCachedContact(LOC, 'c-kim')).toBeNull();
    expect(await rowsOf(store, LOC)).toEqual({
      numbers: 0,
      staff: 0,
      contacts: 0,
      contactFacts: 0,
      factBuckets: 0,
    });
    expect(await store.listAudit(LOC)).toEqual([]);
    expect((await wholeSnapshot(store, 'loc-b'))?.snapshot.contacts).toHaveLength(2);
  });
});
