import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveSnapshot } from '../../lib/rules/index';
import { bucketOf, decodeFacts, encodeFacts, FACT_BUCKETS } from '../../lib/store/buckets';
import { type ContactHistory, foldMessage } from '../../lib/store/facts';
import { openStore, phoneKey, type Store } from '../../lib/store/index';
import { contactKeys } from '../../lib/store/keys';
import { generationRange } from '../../lib/store/schema';
import { foldPage, wholeSnapshot } from './helpers';

const LOC = 'loc-a';
const T0 = Date.UTC(2025, 0, 1);
const MAIN = '+14155550100';
const JANE = '+14155550111';
const NUMBERS = [
  { number: MAIN, sms: true, default: true },
  { number: JANE, sms: true },
];
const USERS = [{ id: 'u-jane', number: JANE }, { id: 'u-vic' }];

function fold(
  ...messages: [number: string, direction: 'inbound' | 'outbound', minute: number, body?: string][]
): ContactHistory {
  let facts: ContactHistory | undefined;
  for (const [number, direction, minute, body] of messages) {
    facts = foldMessage(facts, {
      number,
      direction,
      atMs: T0 + minute * 60_000,
      sid: `SM${minute}`,
      ...(body === undefined ? {} : { body }),
    });
  }
  return facts as ContactHistory;
}

let factory: IDBFactory;
let clock: number;
let store: Store;

beforeEach(async () => {
  factory = new IDBFactory();
  clock = Date.UTC(2026, 0, 1);
  store = await openStore({ factory, now: () => clock });
});

async function fullSyncWithFacts(facts: Map<string, ContactHistory>) {
  const writer = await store.beginSync(LOC, 'full');
  await writer.putNumbers(NUMBERS);
  await writer.putStaff(USERS);
  await writer.putFacts(facts, { messages: 7, pages: 1 });
  return writer.commit();
}

describe('facts written in bulk', () => {
  it('go into a few bucket rows, not one row a contact', async () => {
    const facts = new Map<string, ContactHistory>();
    for (let i = 0; i < 2000; i++) {
      facts.set(phoneKey(`+1628555${String(i).padStart(4, '0')}`), fold([MAIN, 'outbound', i]));
    }
    const progress: number[] = [];
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers(NUMBERS);
    await writer.putStaff(USERS);
    await writer.putFacts(facts, { onProgress: (written) => progress.push(written) });
    const { generation } = await writer.commit();
    const db = await store.db();
    const range = generationRange(LOC, generation);
    expect(await db.count('factBuckets', range)).toBe(FACT_BUCKETS);
    expect(await db.count('contactFacts', range)).toBe(0);
    // Written in several short transactions, reported as they go.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(2000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('join a contact fetched on demand through its phone, in any format the country reads', async () => {
    await store.setLocationSettings(LOC, { country: 'US' });
    await fullSyncWithFacts(
      new Map([
        [phoneKey('+16285550121'), fold([JANE, 'outbound', 1], [MAIN, 'outbound', 5])],
        [phoneKey('+16285550122'), fold([MAIN, 'inbound', 2], [MAIN, 'inbound', 3, 'STOP'])],
      ]),
    );
    expect((await store.getSyncState(LOC)).lastSync).toMatchObject({ messages: 7, contacts: 2 });
    await store.putCachedContact(LOC, { id: 'c-pat', name: 'Pat', phone: '(628) 555-0121' });
    await store.putCachedContact(LOC, { id: 'c-sam', phone: '+1 628 555 0122' });
    await store.putCachedContact(LOC, { id: 'c-new', phone: '+16285550199' });
    const found = await wholeSnapshot(store, LOC);
    const snapshot = found?.snapshot;
    expect(snapshot?.contacts.map((c) => c.id)).toEqual(['c-new', 'c-pat', 'c-sam']);
    expect(
      resolveSnapshot(snapshot, { via: 'conversation', contactId: 'c-pat', userId: 'u-vic' }),
    ).toMatchObject({ from: JANE, rule: 'channel-number' });
    expect(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-pat' })).toMatchObject({
      from: MAIN,
      rule: 'last-used',
    });
    expect(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-sam' })).toMatchObject({
      error: 'contact-opted-out',
    });
    expect(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-new' })).toMatchObject({
      from: MAIN,
      rule: 'default-outbound',
    });
    expect((await store.getContactDetails(LOC, 'c-sam'))?.optOut.by).toBe('keyword');
    const small = await store.getSnapshotForContacts(LOC, ['c-pat']);
    expect(small?.snapshot.messages).toEqual(
      snapshot?.messages.filter((m) => m.contactId === 'c-pat'),
    );
  });

  it('merge with what was written before, rows and buckets alike, and twice is once', async () => {
    const key = phoneKey('+16285550121');
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers(NUMBERS);
    await writer.putStaff(USERS);
    await writer.putFacts(new Map([[key, fold([JANE, 'outbound', 1])]]));
    await writer.putFacts(new Map([[key, fold([MAIN, 'outbound', 9])]]));
    await writer.putFacts(new Map([[key, fold([MAIN, 'outbound', 9])]]));
    await foldPage(writer, [{ contactId: key, number: MAIN, direction: 'inbound', atMs: T0 }]);
    await writer.commit();
    await store.putCachedContact(LOC, { id: 'c-pat', phone: '+16285550121' });
    const details = await store.getContactDetails(LOC, 'c-pat');
    expect(details?.facts?.first).toMatchObject({ direction: 'inbound', atMs: T0 });
    expect(details?.facts?.lastOutbound).toMatchObject({ number: MAIN, atMs: T0 + 9 * 60_000 });
  });

  it('of an incremental sync are merged into the active data at commit, and show at once', async () => {
    const key = phoneKey('+16285550121');
    await fullSyncWithFacts(new Map([[key, fold([JANE, 'outbound', 1])]]));
    await store.putCachedContact(LOC, { id: 'c-pat', phone: '+16285550121' });
    const before = await wholeSnapshot(store, LOC);
    const writer = await store.beginSync(LOC, 'incremental');
    await writer.putFacts(new Map([[key, fold([MAIN, 'outbound', 20])]]));
    // Not visible before the commit.
    expect((await wholeSnapshot(store, LOC))?.snapshot).toEqual(before?.snapshot);
    await writer.commit();
    expect(
      resolveSnapshot((await wholeSnapshot(store, LOC))?.snapshot, {
        via: 'bulk',
        contactId: 'c-pat',
      }),
    ).toMatchObject({ from: MAIN, rule: 'last-used' });
    const details = await store.getContactDetails(LOC, 'c-pat');
    expect(details?.facts?.first.number).toBe(JANE);
  });

  it('keep a listed contact’s history whole through the packed copy and its patches', async () => {
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers(NUMBERS);
    await writer.putStaff(USERS);
    await writer.putContacts([{ id: 'c-pat', phone: '+16285550121' }]);
    await writer.putFacts(new Map([['c-pat', fold([JANE, 'outbound', 1])]]));
    await writer.commit();
    const incremental = await store.beginSync(LOC, 'incremental');
    await foldPage(incremental, [
      { contactId: 'c-pat', number: MAIN, direction: 'outbound', atMs: T0 + 50 * 60_000 },
    ]);
    await incremental.commit();
    // A woken worker reads the patched packed copy.
    const woken = await openStore({ factory });
    const snapshot = (await wholeSnapshot(woken, LOC))?.snapshot;
    expect(
      resolveSnapshot(snapshot, { via: 'conversation', contactId: 'c-pat', userId: 'u-vic' }),
    ).toMatchObject({ from: JANE, rule: 'channel-number' });
    expect(resolveSnapshot(snapshot, { via: 'bulk', contactId: 'c-pat' })).toMatchObject({
      from: MAIN,
      rule: 'last-used',
    });
    woken.close();
  });

  it('are refused whole when one entry is not folded facts, naming it', async () => {
    const writer = await store.beginSync(LOC, 'full');
    const good = fold([MAIN, 'outbound', 1]);
    await expect(writer.putFacts({} as never)).rejects.toThrow('facts: expected a Map');
    await expect(
      writer.putFacts(
        new Map([
          ['tel:+16285550121', good],
          ['tel:+16285550122', { first: { ...good.first, number: '415-555' } } as ContactHistory],
        ]),
      ),
    ).rejects.toThrow('facts["tel:+16285550122"].first.number: expected an E.164 number');
    await expect(writer.putFacts(new Map([['', good]]))).rejects.toThrow('facts key');
    const db = await store.db();
    expect(await db.count('factBuckets')).toBe(0);
    await writer.abort(new Error('test over'));
  });
});

describe('the bucket layout', () => {
  it('reads back exactly what was folded', () => {
    const message = fc.record({
      number: fc.constantFrom(MAIN, JANE, '+442071838750'),
      direction: fc.constantFrom('inbound' as const, 'outbound' as const),
      atMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
      manual: fc.boolean(),
      body: fc.constantFrom('hi', 'STOP', ' start ', undefined),
      sid: fc.option(fc.stringMatching(/^SM[0-9a-f]{4}$/), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), (messages) => {
        let facts: ContactHistory | undefined;
        for (const m of messages) facts = foldMessage(facts, m);
        const encoded = JSON.parse(JSON.stringify(encodeFacts(facts as ContactHistory)));
        expect(decodeFacts(encoded)).toEqual(facts);
      }),
    );
  });

  it('spreads keys over the buckets, the same way every time', () => {
    expect(bucketOf('tel:+16285550121')).toBe(bucketOf('tel:+16285550121'));
    const used = new Set<number>();
    for (let i = 0; i < 5000; i++) used.add(bucketOf(`tel:+1628555${String(i).padStart(4, '0')}`));
    expect(used.size).toBe(FACT_BUCKETS);
  });

  it('knows a contact by its id and by its phone read in the country', () => {
    expect(contactKeys({ id: 'c1', phone: '020 7183 8750' }, 'GB')).toEqual([
      'c1',
      'tel:+442071838750',
    ]);
    expect(contactKeys({ id: 'c1', phone: 'not a phone' }, 'US')).toEqual(['c1']);
    expect(contactKeys({ id: 'c1' }, 'US')).toEqual(['c1']);
    expect(() => phoneKey('415-555-0100')).toThrow('expected E.164');
  });
});

describe('the contact cache', () => {
  it('lays a fetched contact over the snapshot at once, as a woken worker would read it', async () => {
    await fullSyncWithFacts(new Map([[phoneKey('+16285550121'), fold([JANE, 'outbound', 1])]]));
    const first = await wholeSnapshot(store, LOC);
    expect(first?.snapshot.contacts).toEqual([]);
    await store.putCachedContact(LOC, { id: 'c-pat', phone: '+16285550121', smsDnd: false });
    const patched = await wholeSnapshot(store, LOC);
    expect(patched?.snapshot).not.toEqual(first?.snapshot);
    const woken = await openStore({ factory });
    expect((await wholeSnapshot(woken, LOC))?.snapshot).toEqual(patched?.snapshot);

    // A refresh that changes nothing keeps the same snapshot; a change shows.
    clock += 60_000;
    await store.putCachedContact(LOC, { id: 'c-pat', phone: '+16285550121', smsDnd: false });
    expect((await wholeSnapshot(store, LOC))?.snapshot).toEqual(patched?.snapshot);
    expect((await store.getCachedContact(LOC, 'c-pat'))?.fetchedAtMs).toBe(clock);
    await store.putCachedContact(LOC, { id: 'c-pat', phone: '+16285550121', smsDnd: true });
    expect(
      resolveSnapshot((await wholeSnapshot(store, LOC))?.snapshot, {
        via: 'bulk',
        contactId: 'c-pat',
      }),
    ).toMatchObject({ error: 'contact-opted-out' });
    // Another context sees the change too.
    expect((await wholeSnapshot(woken, LOC))?.snapshot.contacts).toEqual([
      { id: 'c-pat', phone: '+16285550121', smsDnd: true },
    ]);

    await store.removeCachedContact(LOC, 'c-pat');
    expect((await wholeSnapshot(store, LOC))?.snapshot.contacts).toEqual([]);
    expect((await wholeSnapshot(store, LOC))?.snapshot.messages).toEqual([]);
    woken.close();
  });

  it('wins over a contact a sync listed, and survives a full sync’s swap', async () => {
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers(NUMBERS);
    await writer.putStaff(USERS);
    await writer.putContacts([{ id: 'c-pat', name: 'Old name', phone: '+16285550121' }]);
    await writer.commit();
    await store.putCachedContact(LOC, { id: 'c-pat', name: 'New name', phone: '+16285550121' });
    expect((await wholeSnapshot(store, LOC))?.snapshot.contacts).toEqual([
      { id: 'c-pat', name: 'New name', phone: '+16285550121' },
    ]);
    await fullSyncWithFacts(new Map());
    expect((await wholeSnapshot(store, LOC))?.snapshot.contacts).toEqual([
      { id: 'c-pat', name: 'New name', phone: '+16285550121' },
    ]);
  });

  it('drops contacts not fetched for a while, and refuses bad ones', async () => {
    await store.putCachedContact(LOC, { id: 'c-old', phone: '+16285550121' });
    clock += 40 * 86_400_000;
    await store.putCachedContact(LOC, { id: 'c-new', phone: '+16285550122' });
    expect(await store.pruneContactCache(LOC, clock - 30 * 86_400_000)).toBe(1);
    expect(await store.getCachedContact(LOC, 'c-old')).toBeNull();
    expect(await store.getCachedContact(LOC, 'c-new')).not.toBeNull();
    await expect(store.putCachedContact(LOC, { phone: '+1' })).rejects.toThrow('contact.id');
    await expect(store.putCachedContact(LOC, { id: 'c', smsDnd: 'yes' })).rejects.toThrow(
      'contact.smsDnd: expected true or false',
    );
  });
});
