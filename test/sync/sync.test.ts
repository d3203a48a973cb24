import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRefusal, resolveSnapshot } from '../../lib/rules/index';
import type { Send } from '../../lib/rules/types';
import { phoneKey } from '../../lib/store';
import { createContactFetcher, type SyncProgress, TWILIO_CURSOR } from '../../lib/sync';
import { expectNoViolations, generateBulkHistory } from '../fakes';
import { wholeSnapshot } from '../store/helpers';
import { answering, makeWorld, NOW, type World } from './setup';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
});

afterEach(() => {
  expectNoViolations(w.twilio);
  expectNoViolations(w.highlevel);
});

/** Every seeded contact fetched on demand, as the content script's handler does. */
async function openAllConversations(world: World): Promise<void> {
  const ensure = createContactFetcher({
    store: world.store,
    highlevel: async () => world.highlevelClient(),
    now: () => world.clock.now,
  });
  for (const id of Object.values(world.seeded.contacts)) {
    await ensure(world.seeded.locationId, id);
  }
}

async function snapshotOf(world: World) {
  const found = await wholeSnapshot(world.store, world.seeded.locationId);
  if (found === null) throw new Error('no snapshot');
  return found;
}

function sender(snapshot: unknown, send: Send): string {
  const r = resolveSnapshot(snapshot, send);
  return isRefusal(r) ? `refused: ${r.error}` : `${r.from} by ${r.rule}`;
}

describe('a full sync of Sunrise Dental', () => {
  it('merges numbers (Twilio capabilities, HighLevel default and names) and staff', async () => {
    const outcome = await w.sync();
    expect(outcome).toMatchObject({ ok: true, kind: 'full', messages: 20, contacts: 7 });
    const { snapshot } = await snapshotOf(w);
    const { numbers } = w.seeded;
    expect(snapshot.country).toBe('US');
    expect(snapshot.numbers).toHaveLength(12);
    expect(snapshot.numbers.filter((n) => n.default)).toEqual([
      { number: numbers.main.phone, sms: true, default: true, name: 'Main Office' },
    ]);
    // HighLevel does not say whether the Spanish line takes SMS; Twilio does.
    expect(snapshot.numbers.find((n) => n.number === numbers.spanish.phone)).toEqual({
      number: numbers.spanish.phone,
      sms: true,
      name: 'Línea en Español',
    });
    expect(snapshot.numbers.find((n) => n.number === numbers.fax.phone)?.sms).toBe(false);
    expect(snapshot.users).toEqual([
      { id: w.seeded.users.jane, name: 'Jane Doe', number: numbers.jane.phone },
      { id: w.seeded.users.maria, name: 'Maria Chen', number: numbers.frontDesk.phone },
      { id: w.seeded.users.raj, name: 'Raj Patel', number: numbers.raj.phone },
      { id: w.seeded.users.sam, name: 'Sam Ortiz', number: w.seeded.removedNumber },
      { id: w.seeded.users.vic, name: 'Vic Lowe' },
    ]);
    // The sub-account's name and country come from HighLevel.
    expect(await w.store.listLocations()).toMatchObject([
      { locationId: 'loc-demo', name: 'Sunrise Dental', country: 'US', hasData: true },
    ]);
    expect((await w.store.getSyncState('loc-demo')).cursors[TWILIO_CURSOR]).toBe(
      new Date(NOW - 2 * 86_400_000).toISOString(),
    );
  });

  it('folds history by phone, so contacts opened later get their channel number, last used and STOP', async () => {
    await w.sync();
    // Before any conversation is opened, the history is there but no contact is.
    expect((await snapshotOf(w)).snapshot.contacts).toEqual([]);
    await openAllConversations(w);
    const { snapshot } = await snapshotOf(w);
    const { contacts, numbers, users, removedNumber } = w.seeded;
    expect(snapshot.contacts).toHaveLength(9);

    const ben = await w.store.getContactDetails('loc-demo', contacts.ben);
    expect(ben?.facts?.first.number).toBe(numbers.hygiene.phone);
    expect(ben?.facts?.lastOutbound?.number).toBe(numbers.main.phone);
    const carla = await w.store.getContactDetails('loc-demo', contacts.carla);
    expect(carla?.facts?.first.number).toBe(removedNumber);
    const dev = await w.store.getContactDetails('loc-demo', contacts.dev);
    expect(dev?.optOut).toMatchObject({ optedOut: true, by: 'keyword' });
    const erin = await w.store.getContactDetails('loc-demo', contacts.erin);
    expect(erin?.optOut).toMatchObject({ optedOut: true, by: 'sms-dnd' });

    const talk = (contact: string, userId: string): Send => ({
      via: 'conversation',
      contactId: contact,
      userId,
    });
    expect(sender(snapshot, talk(contacts.alice, users.jane))).toBe(
      `${numbers.jane.phone} by user-number`,
    );
    expect(sender(snapshot, talk(contacts.alice, users.vic))).toBe(
      `${numbers.jane.phone} by channel-number`,
    );
    // Sam's number was released: Sam counts as having none.
    expect(sender(snapshot, talk(contacts.alice, users.sam))).toBe(
      `${numbers.jane.phone} by channel-number`,
    );
    // Maria's number is voice-only: the default number, not the channel number.
    expect(sender(snapshot, talk(contacts.alice, users.maria))).toBe(
      `${numbers.main.phone} by default-outbound`,
    );
    expect(sender(snapshot, talk(contacts.ben, users.vic))).toBe(
      `${numbers.hygiene.phone} by channel-number`,
    );
    expect(sender(snapshot, { via: 'bulk', contactId: contacts.ben })).toBe(
      `${numbers.main.phone} by last-used`,
    );
    // Carla's channel number was released: the default, never the next-earliest number.
    expect(sender(snapshot, talk(contacts.carla, users.vic))).toBe(
      `${numbers.main.phone} by default-outbound`,
    );
    expect(sender(snapshot, talk(contacts.dev, users.jane))).toBe('refused: contact-opted-out');
    expect(sender(snapshot, talk(contacts.erin, users.jane))).toBe('refused: contact-opted-out');
    const felix = resolveSnapshot(snapshot, talk(contacts.felix, users.vic));
    expect(felix).toMatchObject({ from: numbers.spanish.phone, rule: 'channel-number' });
    expect(isRefusal(felix) ? [] : felix.warnings).not.toContain('sms-capability-unknown');
    expect(sender(snapshot, { via: 'bulk', contactId: contacts.gina })).toBe(
      `${numbers.recall.phone} by last-used`,
    );
    expect(sender(snapshot, talk(contacts.hank, users.vic))).toBe(
      `${numbers.main.phone} by default-outbound`,
    );
    expect(sender(snapshot, talk(contacts.ivy, users.jane))).toBe('refused: contact-has-no-phone');

    // A one-contact snapshot (the worker's first resolution) decides the same.
    const small = await w.store.getSnapshotForContacts('loc-demo', [contacts.ben]);
    expect(sender(small?.snapshot, talk(contacts.ben, users.vic))).toBe(
      `${numbers.hygiene.phone} by channel-number`,
    );
  });

  it('reaches pool numbers and staff through users/search, and never calls a deprecated operation', async () => {
    const { numbers, contacts, users } = w.seeded;
    // Ben's channel number is in a pool: without skipNumberPool=false it would look removed.
    w.highlevel.addNumber('loc-demo', {
      phoneNumber: '+14155550130',
      friendlyName: 'Pool Line',
      sms: true,
    });
    w.highlevel.addNumberPool('loc-demo', {
      name: 'Sales Team Pool',
      numbers: [numbers.hygiene.phone, '+14155550130'],
    });
    // A second page of staff: the search is paged by skip.
    for (let i = 0; i < 100; i++) {
      w.highlevel.addUser('loc-demo', { id: `usr-temp-${i}`, name: `Temp ${i}` });
    }
    const outcome = await w.sync();
    expect(outcome).toMatchObject({ ok: true, warnings: [] });
    await openAllConversations(w);
    const { snapshot } = await snapshotOf(w);
    expect(snapshot.numbers).toHaveLength(13);
    expect(snapshot.numbers.filter((n) => n.pool !== undefined)).toEqual([
      { number: numbers.hygiene.phone, sms: true, name: 'Hygiene', pool: 'Sales Team Pool' },
      { number: '+14155550130', sms: true, name: 'Pool Line', pool: 'Sales Team Pool' },
    ]);
    // A pool number is an active number to the rules, not a removed one.
    expect(
      sender(snapshot, { via: 'conversation', contactId: contacts.ben, userId: users.vic }),
    ).toBe(`${numbers.hygiene.phone} by channel-number`);
    expect(snapshot.users).toHaveLength(105);
    expect(snapshot.users.find((u) => u.id === users.jane)?.number).toBe(numbers.jane.phone);

    const hl = w.highlevel.requests;
    expect(hl.filter((r) => r.deprecated)).toEqual([]);
    expect(hl.filter((r) => r.operationId === 'get-user-by-location')).toEqual([]);
    const searches = hl.filter((r) => r.operationId === 'search-users');
    expect(searches.map((r) => Object.fromEntries(new URLSearchParams(r.query)))).toEqual([
      { companyId: w.highlevel.companyId, locationId: 'loc-demo', skip: '0', limit: '100' },
      { companyId: w.highlevel.companyId, locationId: 'loc-demo', skip: '100', limit: '100' },
    ]);
    // The company comes from the location read at the start: one read a sync.
    expect(hl.filter((r) => r.operationId === 'get-location')).toHaveLength(1);
    const listed = hl.filter((r) => r.operationId === 'active-numbers');
    expect(listed.map((r) => new URLSearchParams(r.query).get('skipNumberPool'))).toEqual([
      'false',
    ]);
  });

  it('keeps pool numbers, without their pool, when the token may not list pools', async () => {
    w.highlevel.addNumberPool('loc-demo', {
      name: 'Sales Team Pool',
      numbers: [w.seeded.numbers.hygiene.phone],
    });
    w.fetches.highlevel = answering(w.highlevel.fetch, /^\/phone-system\/number-pools$/, () =>
      Response.json(
        { statusCode: 401, message: 'The token is not authorized for this scope.' },
        { status: 401 },
      ),
    );
    const outcome = await w.sync();
    expect(outcome.ok && outcome.warnings).toEqual([
      'HighLevel did not let the token list number pools (it needs the numberpools.read scope), so numbers in pools are shown without their pool.',
    ]);
    const { snapshot } = await snapshotOf(w);
    expect(snapshot.numbers.find((n) => n.number === w.seeded.numbers.hygiene.phone)).toEqual({
      number: w.seeded.numbers.hygiene.phone,
      sms: true,
      name: 'Hygiene',
    });
  });

  it('leaves out messages of Twilio numbers HighLevel gives to another sub-account', async () => {
    const other = '+14155550190';
    w.twilio.addIncomingNumber({ phoneNumber: other, sms: true });
    w.twilio.addMessage({
      from: other,
      to: w.seeded.contactPhones.hank as string,
      dateSent: new Date(NOW - 1000 * 86_400_000),
      direction: 'outbound-api',
    });
    const outcome = await w.sync();
    expect(outcome.ok && outcome.warnings).toEqual([
      '1 Twilio message used Twilio numbers that HighLevel does not list for this sub-account and were left out of the history.',
    ]);
    await openAllConversations(w);
    const hank = await w.store.getContactDetails('loc-demo', w.seeded.contacts.hank);
    expect(hank?.facts).toBeNull();
  });
});

describe('an incremental sync', () => {
  it('reads from the cursor less the overlap, picks up a new message and doubles nothing', async () => {
    await w.sync();
    await openAllConversations(w);
    const cursor = (await w.store.getSyncState('loc-demo')).cursors[TWILIO_CURSOR] as string;

    const hank = w.seeded.contactPhones.hank as string;
    w.twilio.addMessage({
      from: w.seeded.numbers.oakland.phone,
      to: hank,
      body: 'Hi Hank, your new-patient forms are ready.',
      direction: 'outbound-api',
      dateSent: new Date(NOW + 5 * 60_000),
    });
    w.clock.now = NOW + 15 * 60_000;
    const before = w.twilio.requests.length;
    const outcome = await w.sync({ kind: 'incremental' });
    expect(outcome).toMatchObject({ ok: true, kind: 'incremental' });
    const listed = w.twilio.requests.slice(before).find((r) => r.path.endsWith('/Messages.json'));
    const since = new Date(Date.parse(cursor) - 10 * 60_000).toISOString().replace('.000', '');
    expect(new URLSearchParams(listed?.query).get('DateSent>')).toBe(since);
    // Alice's last message is inside the overlap: read twice, folded once.
    expect(outcome.ok && outcome.messages).toBe(2);

    const { snapshot } = await snapshotOf(w);
    expect(sender(snapshot, { via: 'bulk', contactId: w.seeded.contacts.hank })).toBe(
      `${w.seeded.numbers.oakland.phone} by last-used`,
    );
    expect((await w.store.getSyncState('loc-demo')).cursors[TWILIO_CURSOR]).toBe(
      new Date(NOW + 5 * 60_000).toISOString(),
    );

    // The same data through one fresh full sync gives the same snapshot.
    const fresh = await makeWorld();
    fresh.twilio.addMessage({
      from: fresh.seeded.numbers.oakland.phone,
      to: hank,
      body: 'Hi Hank, your new-patient forms are ready.',
      direction: 'outbound-api',
      dateSent: new Date(NOW + 5 * 60_000),
    });
    await fresh.sync();
    await openAllConversations(fresh);
    const expected = (await snapshotOf(fresh)).snapshot;
    const byId = (s: typeof snapshot) => ({
      ...s,
      contacts: [...s.contacts].sort((a, b) => a.id.localeCompare(b.id)),
      messages: [...s.messages].sort(
        (a, b) => a.contactId.localeCompare(b.contactId) || a.at.localeCompare(b.at),
      ),
    });
    expect(byId(snapshot)).toEqual(byId(expected));

    // Once more, with nothing new: the overlap is read again and nothing changes.
    w.clock.now = NOW + 30 * 60_000;
    expect(await w.sync({ kind: 'incremental' })).toMatchObject({ ok: true, messages: 1 });
    expect(byId((await snapshotOf(w)).snapshot)).toEqual(byId(expected));
  });

  it('refreshes numbers and staff, and writes them only when they changed', async () => {
    await w.sync();
    const first = await snapshotOf(w);
    expect(await w.sync({ kind: 'incremental' })).toMatchObject({ ok: true });
    expect((await snapshotOf(w)).snapshot.numbers).toEqual(first.snapshot.numbers);

    w.twilio.addIncomingNumber({ phoneNumber: '+14155550113', friendlyName: 'New', sms: true });
    w.highlevel.addNumber('loc-demo', { phoneNumber: '+14155550113', friendlyName: 'Billing' });
    w.highlevel.addUser('loc-demo', {
      id: 'usr-new-hire',
      name: 'New Hire',
      lcPhone: '+14155550113',
    });
    expect(await w.sync({ kind: 'incremental' })).toMatchObject({ ok: true });
    const { snapshot } = await snapshotOf(w);
    expect(snapshot.numbers.find((n) => n.number === '+14155550113')).toEqual({
      number: '+14155550113',
      sms: true,
      name: 'Billing',
    });
    expect(snapshot.users.find((u) => u.id === 'usr-new-hire')?.number).toBe('+14155550113');
  });

  it('runs as a full sync when the sub-account was never synced', async () => {
    expect(await w.sync({ kind: 'incremental' })).toMatchObject({ ok: true, kind: 'full' });
  });
});

describe('progress', () => {
  it('moves forward through the phases, counts only grow, and totals are given where known', async () => {
    generateBulkHistory(w.twilio, {
      messages: 5500,
      numbers: [w.seeded.numbers.main.phone, w.seeded.numbers.jane.phone],
      contacts: 300,
      newest: new Date(NOW - 3 * 86_400_000),
    });
    const events: SyncProgress[] = [];
    const outcome = await w.sync({ onProgress: (p) => events.push({ ...p }) });
    expect(outcome).toMatchObject({ ok: true, messages: 5520 });
    const phases = ['numbers', 'staff', 'messages', 'committing'];
    expect([...new Set(events.map((e) => e.phase))]).toEqual(phases);
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1] as SyncProgress, events[i] as SyncProgress];
      expect(phases.indexOf(b.phase)).toBeGreaterThanOrEqual(phases.indexOf(a.phase));
      if (a.phase !== b.phase) continue;
      expect(b.items).toBeGreaterThanOrEqual(a.items);
      expect(b.pages).toBeGreaterThanOrEqual(a.pages);
      if (a.itemsTotal !== null) expect(b.itemsTotal).toBe(a.itemsTotal);
    }
    for (const e of events) {
      if (e.itemsTotal !== null) expect(e.items).toBeLessThanOrEqual(e.itemsTotal);
      if (e.pagesTotal !== null) expect(e.pages).toBeLessThanOrEqual(e.pagesTotal);
    }
    const messages = events.filter((e) => e.phase === 'messages');
    expect(messages.at(-1)).toEqual({
      phase: 'messages',
      items: 5520,
      itemsTotal: null,
      pages: 6,
      pagesTotal: null,
    });
    const committing = events.filter((e) => e.phase === 'committing');
    expect(committing.at(-1)).toMatchObject({ items: 307, itemsTotal: 307 });
    expect(await w.store.getContactDetails('loc-demo', 'nobody')).toBeNull();
    // The bulk contacts' history is in the store, under their phones.
    const phone = `+1628${String(2_000_000 + 5)}`;
    await w.store.putCachedContact('loc-demo', { id: 'ct-bulk-5', phone });
    const details = await w.store.getContactDetails('loc-demo', 'ct-bulk-5');
    expect(details?.facts?.first.number).toMatch(/^\+1415555010[12]$/);
    expect(phoneKey(phone)).toBe(`tel:${phone}`);
  });
});
