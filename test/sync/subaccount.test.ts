/**
 * Syncs of a sub-account whose Twilio side is a subaccount of the agency's
 * main account, through the sync service as the worker runs it: the client
 * it builds acts on the mapped subaccount with the main Auth Token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRefusal, resolveSnapshot } from '../../lib/rules/index';
import { Secret } from '../../lib/secrets';
import { SUBACCOUNT_KEY_REFUSAL } from '../../lib/twilio';
import { expectNoViolations, type FakeTwilioAccount } from '../fakes';
import { wholeSnapshot } from '../store/helpers';
import { makeWorld, serviceOf, type World } from './setup';

let w: World;
let sub: FakeTwilioAccount;

beforeEach(async () => {
  w = await makeWorld({ twilioSubaccount: true });
  sub = w.subaccount as FakeTwilioAccount;
});

afterEach(() => {
  expectNoViolations(w.twilio);
  expectNoViolations(w.highlevel);
});

const LOC = 'loc-demo';

/** Paths of Twilio requests made since `from`, by account. */
function accountsAsked(from = 0): string[] {
  return [
    ...new Set(
      w.twilio.requests
        .slice(from)
        .map((r) => /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\//.exec(r.path)?.[1] ?? r.path),
    ),
  ];
}

/** Whom a send to the contact goes out from, once its conversation is opened (the contact fetched). */
async function senderOf(contactId: string, send: 'bulk' | { userId: string }): Promise<string> {
  await serviceOf(w).ensureContact(LOC, contactId);
  const found = await wholeSnapshot(w.store, LOC);
  const r = resolveSnapshot(
    found?.snapshot,
    send === 'bulk'
      ? { via: 'bulk', contactId }
      : { via: 'conversation', contactId, userId: send.userId },
  );
  return isRefusal(r) ? `refused: ${r.error}` : `${r.from} by ${r.rule}`;
}

describe('a sub-account on a Twilio subaccount', () => {
  it("syncs the subaccount's numbers and messages, and ends usable", async () => {
    const status = await serviceOf(w).run(LOC, 'full');
    expect(status.lastError).toBeNull();
    expect(status.lastSync).toMatchObject({ kind: 'full', messages: 20, contacts: 7 });
    // Every Twilio request went to the subaccount, none to the main account.
    expect(accountsAsked()).toEqual([sub.accountSid]);
    const found = await wholeSnapshot(w.store, LOC);
    const numbers = found?.snapshot.numbers.map((n) => n.number) ?? [];
    expect(numbers).toHaveLength(12);
    expect(numbers).not.toContain('+14155550999');
    const { contacts, numbers: seededNumbers, users } = w.seeded;
    expect(await senderOf(contacts.ben, { userId: users.vic })).toBe(
      `${seededNumbers.hygiene.phone} by channel-number`,
    );
    expect(await senderOf(contacts.gina, 'bulk')).toBe(
      `${seededNumbers.recall.phone} by last-used`,
    );
    expect(await senderOf(contacts.dev, { userId: users.jane })).toBe('refused: contact-opted-out');
  });

  it("syncs incrementally from the subaccount's log", async () => {
    const sync = serviceOf(w);
    await sync.run(LOC, 'full');
    const from = w.twilio.requests.length;
    const status = await sync.run(LOC, 'incremental');
    expect(status.lastSync?.kind).toBe('incremental');
    expect(accountsAsked(from)).toEqual([sub.accountSid]);
  });

  it("after a change of Twilio account, syncs in full from the new one, the old one's history gone", async () => {
    const sync = serviceOf(w);
    await sync.run(LOC, 'full');
    const { contacts, numbers } = w.seeded;
    expect(await senderOf(contacts.gina, 'bulk')).toBe(`${numbers.recall.phone} by last-used`);

    await w.store.setLocationSettings(LOC, { twilioAccountSid: null });
    expect((await w.store.listLocations())[0]?.fullSyncDue).toBe(true);
    const from = w.twilio.requests.length;
    const status = await sync.run(LOC, 'incremental');
    expect(status.lastError).toBeNull();
    expect(status.lastSync?.kind).toBe('full');
    expect(accountsAsked(from)).toEqual([w.twilio.accountSid]);
    expect((await w.store.listLocations())[0]?.fullSyncDue).toBeUndefined();
    // The main account has none of Sunrise Dental's history, so none is left.
    expect(await senderOf(contacts.gina, 'bulk')).not.toContain('last-used');
  });

  it('refuses an API key of the main account on the subaccount, asking Twilio nothing and keeping the data', async () => {
    const sync = serviceOf(w);
    await sync.run(LOC, 'full');
    w.credentials.twilio = {
      kind: 'api-key',
      accountSid: w.twilio.accountSid,
      apiKeySid: `SK${'1'.repeat(32)}`,
      apiKeySecret: new Secret('mainAccountKeySecret0123456789ab'),
    };
    const from = w.twilio.requests.length;
    const status = await sync.run(LOC, 'incremental');
    expect(status.lastError?.message).toBe(
      `${SUBACCOUNT_KEY_REFUSAL} Sender Lens keeps using the data of the last successful sync.`,
    );
    expect(w.twilio.requests.length).toBe(from);
    expect(status.lastSuccessAt).not.toBeNull();
    expect((await wholeSnapshot(w.store, LOC))?.snapshot.numbers).toHaveLength(12);
  });
});
