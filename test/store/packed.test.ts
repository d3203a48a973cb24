import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SnapshotContact, SnapshotNumber } from '../../lib/rules/types';
import { type ContactFacts, factsToMessages, foldMessage } from '../../lib/store/facts';
import { openStore, type PageMessage, type Store } from '../../lib/store/index';
import { Packer, parsePacked, unpack } from '../../lib/store/packed';
import { generationRange } from '../../lib/store/schema';
import { buildSnapshot } from '../../lib/store/snapshot';

const LOC = 'loc-a';
const T0 = Date.UTC(2025, 0, 1);
const SENDERS = ['+14155550100', '+14155550111', '+14155550122'];

/** The snapshot built straight from the active rows, bypassing every cache. */
async function fromRows(store: Store): Promise<unknown> {
  const db = await store.db();
  const location = await db.get('locations', LOC);
  const generation = location?.activeGeneration as number;
  const range = generationRange(LOC, generation);
  return buildSnapshot(
    location ?? {},
    await db.getAll('numbers', range),
    await db.getAll('staff', range),
    await db.getAll('contacts', range),
    await db.getAll('contactFacts', range),
  );
}

describe('packed snapshot', () => {
  it('unpacks to the contacts and the messages carrying their facts', () => {
    let facts: ContactFacts | undefined;
    facts = foldMessage(facts, { number: SENDERS[0] as string, direction: 'inbound', atMs: T0 });
    facts = foldMessage(facts, {
      number: SENDERS[1] as string,
      direction: 'outbound',
      atMs: T0 + 1,
      manual: true,
    });
    facts = foldMessage(facts, {
      number: SENDERS[0] as string,
      direction: 'inbound',
      atMs: T0 + 2,
      body: ' Stop ',
    });
    const packer = new Packer();
    packer.add({ id: 'a', name: 'Ann', phone: '+14155559001', smsDnd: false }, facts);
    packer.add({ id: 'b' }, undefined);
    const packed = packer.finish([{ number: SENDERS[0] as string, default: true }], [{ id: 'u' }]);
    const text = JSON.stringify(packed);
    const snapshot = unpack(parsePacked(text) ?? packed, 'CA');
    expect(snapshot).toEqual({
      country: 'CA',
      numbers: [{ number: SENDERS[0], default: true }],
      users: [{ id: 'u' }],
      contacts: [{ id: 'a', name: 'Ann', phone: '+14155559001', smsDnd: false }, { id: 'b' }],
      messages: factsToMessages('a', facts).map(({ sid: _sid, ...m }) => m),
    });
  });

  it('is refused when it is not one this code wrote', () => {
    expect(parsePacked('{"v":2,"numbers":[],"users":[],"senders":[],"contacts":[]}')).toBeNull();
    expect(parsePacked('{"v":1')).toBeNull();
    expect(parsePacked('[]')).toBeNull();
  });
});

const contactArb = fc.record(
  {
    id: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6'),
    name: fc.constantFrom('Ann', 'Bo', 'Cy'),
    phone: fc.constantFrom('+14155559001', '+14155559002'),
    smsDnd: fc.boolean(),
  },
  { requiredKeys: ['id'] },
);
const messageArb: fc.Arbitrary<PageMessage> = fc.record({
  contactId: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c-unknown'),
  number: fc.constantFrom(...SENDERS),
  direction: fc.constantFrom('inbound' as const, 'outbound' as const),
  atMs: fc.integer({ min: T0, max: T0 + 50 }),
  manual: fc.boolean(),
  body: fc.constantFrom('hi', 'STOP', 'start'),
});
const numbersArb: fc.Arbitrary<SnapshotNumber[]> = fc
  .subarray(SENDERS, { minLength: 1 })
  .map((list) => list.map((number, i) => ({ number, sms: true, default: i === 0 })));
const uniqueContacts = (list: SnapshotContact[]) => [
  ...new Map(list.map((c) => [c.id, c])).values(),
];
const incrementalArb = fc.record({
  numbers: fc.option(numbersArb, { nil: undefined }),
  contacts: fc.array(contactArb, { maxLength: 4 }).map(uniqueContacts),
  removed: fc.subarray(['c1', 'c2', 'c3', 'c4', 'c5', 'c6']),
  messages: fc.array(messageArb, { maxLength: 8 }),
});

describe('the packed copy kept in the database', () => {
  it('after any series of syncs, reads back as the snapshot of the rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(contactArb, { maxLength: 6 }).map(uniqueContacts),
        fc.array(messageArb, { maxLength: 10 }),
        fc.array(incrementalArb, { minLength: 1, maxLength: 3 }),
        async (contacts, messages, incrementals) => {
          const factory = new IDBFactory();
          const store = await openStore({ factory });
          const full = await store.beginSync(LOC, 'full');
          await full.putNumbers([{ number: SENDERS[0] as string, default: true }]);
          await full.putStaff([{ id: 'u-1', number: SENDERS[1] }]);
          await full.putContacts(contacts);
          await full.foldMessages(messages);
          await full.commit();
          for (const step of incrementals) {
            const writer = await store.beginSync(LOC, 'incremental');
            if (step.numbers) await writer.putNumbers(step.numbers);
            await writer.putContacts(step.contacts);
            await writer.removeContacts(
              step.removed.filter((id) => !step.contacts.some((c) => c.id === id)),
            );
            await writer.foldMessages(step.messages);
            await writer.commit();
            // The copy was patched at commit, not left to be rebuilt.
            const db = await store.db();
            const [row, location] = await Promise.all([
              db.get('snapshotCache', LOC),
              db.get('locations', LOC),
            ]);
            expect(row?.revision).toBe(location?.revision);
            // A woken worker reads the packed copy.
            const woken = await openStore({ factory });
            expect((await woken.getSnapshot(LOC))?.snapshot).toEqual(await fromRows(store));
            woken.close();
          }
          store.close();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is rebuilt from the rows when missing, stale or unreadable, and saved again', async () => {
    const factory = new IDBFactory();
    const store = await openStore({ factory });
    const writer = await store.beginSync(LOC, 'full');
    await writer.putNumbers([{ number: SENDERS[0] as string, default: true }]);
    await writer.putStaff([]);
    await writer.putContacts([{ id: 'c1', phone: '+14155559001' }]);
    await writer.foldMessages([
      { contactId: 'c1', number: SENDERS[0] as string, direction: 'outbound', atMs: T0 },
    ]);
    await writer.commit();
    const expected = await fromRows(store);
    const db = await store.db();
    const good = await db.get('snapshotCache', LOC);
    if (good === undefined) throw new Error('the full sync saved no packed copy');

    const damaged = [
      undefined,
      { ...good, revision: good.revision - 1 },
      { ...good, packed: '{"v":1,"numbers":' },
    ];
    for (const row of damaged) {
      if (row === undefined) await db.delete('snapshotCache', LOC);
      else await db.put('snapshotCache', row);
      const woken = await openStore({ factory });
      expect((await woken.getSnapshot(LOC))?.snapshot).toEqual(expected);
      woken.close();
      expect(await db.get('snapshotCache', LOC)).toEqual(good);
    }
  });
});
