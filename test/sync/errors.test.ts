import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContactFetcher } from '../../lib/sync';
import { expectNoViolations, type MalformedKind } from '../fakes';
import { wholeSnapshot } from '../store/helpers';
import { answering, makeWorld, type World } from './setup';

let w: World;
let before: Awaited<ReturnType<typeof wholeSnapshot>>;

const KEPT = 'Sender Lens keeps using the data of the last successful sync.';

beforeEach(async () => {
  w = await makeWorld();
  // A good sync first, with every contact opened: the snapshot a failure must keep.
  expect(await w.sync()).toMatchObject({ ok: true });
  const ensure = createContactFetcher({
    store: w.store,
    highlevel: async () => w.highlevelClient(),
    now: () => w.clock.now,
  });
  for (const id of Object.values(w.seeded.contacts)) await ensure('loc-demo', id);
  before = await wholeSnapshot(w.store, 'loc-demo');
  w.clock.now += 60_000;
});

afterEach(() => {
  expectNoViolations(w.twilio);
  expectNoViolations(w.highlevel);
});

/** Runs a sync that must fail; checks the message, and that the previous data is whole. */
async function failsWith(kind: 'full' | 'incremental', ...patterns: RegExp[]): Promise<string> {
  const outcome = await w.sync({ kind });
  expect(outcome.ok).toBe(false);
  const state = await w.store.getSyncState('loc-demo');
  const message = state.lastError?.message ?? '';
  for (const pattern of patterns) expect(message).toMatch(pattern);
  expect(message).toContain(KEPT);
  expect(outcome.ok === false && outcome.error).toBe(message);
  expect(state.staging).toBeNull();
  expect(state.running).toBe(false);
  expect(state.lastSuccessAt).toBe(before?.syncedAt);
  // Read back through a store that has nothing cached: the rows themselves are whole.
  const { openStore } = await import('../../lib/store');
  const cold = await openStore({ factory: w.factory });
  const after = await wholeSnapshot(cold, 'loc-demo');
  expect(after?.generation).toBe(before?.generation);
  expect(after?.snapshot).toEqual(before?.snapshot);
  expect((await wholeSnapshot(w.store, 'loc-demo'))?.snapshot).toEqual(before?.snapshot);
  cold.close();
  return message;
}

describe('a sync that fails keeps the last good snapshot and says what happened and what to do', () => {
  const malformed: [MalformedKind, RegExp][] = [
    [
      'missing-fields',
      /Twilio sent an answer Sender Lens cannot read while trying to list messages: response\.\S+ is missing/,
    ],
    [
      'wrong-types',
      /Twilio sent an answer Sender Lens cannot read while trying to list messages: response\.\S+ should be/,
    ],
    ['html', /sent an HTML page instead of JSON/],
    ['truncated-json', /the JSON was cut off or invalid/],
  ];
  for (const [kind, pattern] of malformed) {
    it(`when Twilio's messages come back malformed (${kind})`, async () => {
      // The first Twilio request lists numbers; the second lists messages.
      w.twilio.faults.slow(1, 0);
      w.twilio.faults.malformed(1, kind);
      await failsWith('incremental', pattern, /Try again|please report it/);
    });
  }

  it('when HighLevel answers with an HTML page', async () => {
    w.highlevel.faults.malformed(1, 'html');
    await failsWith('full', /HighLevel sent an answer .* HTML page instead of JSON/, /Try again/);
  });

  it('when HighLevel sends numbers with fields missing', async () => {
    w.highlevel.faults.slow(1, 0);
    w.highlevel.faults.malformed(1, 'missing-fields');
    await failsWith('full', /HighLevel sent an answer .* phone numbers: response\.\S+/);
  });

  it('when HighLevel gives the sub-account no company, which the staff search needs', async () => {
    w.fetches.highlevel = answering(w.highlevel.fetch, /^\/locations\//, () =>
      Response.json({ location: { id: 'loc-demo', name: 'Sunrise Dental', country: 'US' } }),
    );
    await failsWith(
      'full',
      /HighLevel sent an answer Sender Lens cannot read while trying to read sub-account loc-demo: response\.location\.companyId is missing/,
    );
  });

  it('when HighLevel sends staff it cannot read', async () => {
    w.fetches.highlevel = answering(w.highlevel.fetch, /^\/users\/search$/, () =>
      Response.json({ users: [{ name: 'No Id' }], count: 1 }),
    );
    await failsWith(
      'incremental',
      /HighLevel sent an answer Sender Lens cannot read while trying to list the sub-account’s staff: response\.users\[0\]\.id is missing/,
    );
  });

  it('when HighLevel sends number pools it cannot read', async () => {
    w.fetches.highlevel = answering(w.highlevel.fetch, /^\/phone-system\/number-pools$/, () =>
      Response.json({ success: true, data: [{ id: 'pool1', numbers: 'all of them' }] }),
    );
    await failsWith(
      'full',
      /HighLevel sent an answer Sender Lens cannot read while trying to list the sub-account’s number pools: response\.data\[0\]\.numbers should be an array/,
    );
  });

  it('on 401 from Twilio', async () => {
    w.credentials.twilioToken = 'not-the-token-0123456789';
    await failsWith(
      'incremental',
      /Twilio did not accept the credentials/,
      /Check the Account SID and the Auth Token .* in Sender Lens options/,
    );
  });

  it('on 401 from Twilio after HighLevel moved the sub-account to another country', async () => {
    const locationBefore = await w.store.listLocations();
    // HighLevel answers first with the new country (and name); Twilio then refuses.
    w.highlevel.addLocation({ id: 'loc-demo', name: 'Sunset Dental', country: 'GB' });
    w.credentials.twilioToken = 'not-the-token-0123456789';
    await failsWith('full', /Twilio did not accept the credentials/);
    // Nothing the failed sync learnt lands: the country that phones are read with stays US.
    expect(await w.store.listLocations()).toEqual(locationBefore);
    const ben = await w.store.getSnapshotForContacts('loc-demo', [w.seeded.contacts.ben]);
    expect(ben?.snapshot.country).toBe('US');
  });

  it('on 401 from HighLevel', async () => {
    w.credentials.highlevelToken = 'pit-00000000-0000-0000-0000-000000000000';
    await failsWith(
      'full',
      /HighLevel did not accept the token/,
      /Paste a current Private Integration token/,
    );
  });

  it('on 403 (a token without the scope)', async () => {
    w.fetches.highlevel = answering(w.highlevel.fetch, /^\/users\/search$/, () =>
      Response.json(
        { statusCode: 403, message: 'The token is not authorized for this scope.' },
        { status: 403 },
      ),
    );
    await failsWith(
      'full',
      /HighLevel did not let this token list the sub-account’s staff \(HTTP 403/,
      /needs the users\.readonly scope/,
    );
  });

  it('on 404', async () => {
    w.fetches.twilio = answering(w.twilio.fetch, /\/Messages\.json$/, () =>
      Response.json(
        { code: 20404, message: 'The requested resource was not found', status: 404 },
        { status: 404 },
      ),
    );
    await failsWith(
      'incremental',
      /Twilio has no such item in this account/,
      /Check the Account SID/,
    );
  });

  it('on 5xx, after the retries', async () => {
    w.twilio.faults.slow(1, 0);
    w.twilio.faults.serverError(4, 503);
    const message = await failsWith(
      'incremental',
      /Twilio had a server problem while trying to list messages \(gave up after 4 attempts\)/,
      /Try again in a few minutes/,
    );
    expect(message).toContain('503');
  });

  it('with no network', async () => {
    w.highlevel.faults.drop(4);
    await failsWith(
      'full',
      /Could not reach HighLevel \(services\.leadconnectorhq\.com\)/,
      /Check the internet connection/,
    );
  });

  it('when no credentials are saved', async () => {
    const outcome = await w.sync({ twilio: async () => null });
    expect(outcome).toMatchObject({ ok: false });
    expect((await w.store.getSyncState('loc-demo')).lastError?.message).toMatch(
      /No Twilio credentials are saved\. Enter the Account SID .* in Sender Lens options/,
    );
  });

  it('when reading the credentials fails', async () => {
    const outcome = await w.sync({
      highlevel: async () => {
        throw new Error('secrets locked');
      },
    });
    expect(outcome).toMatchObject({ ok: false });
    expect((await w.store.getSyncState('loc-demo')).lastError?.message).toMatch(
      /The sync stopped on an unexpected error \(Error: secrets locked\)\. Try again/,
    );
  });
});

describe('a secret an upstream error echoes', () => {
  it('never reaches the sync state or the audit log (Twilio)', async () => {
    const token = w.twilio.authToken;
    const basic = btoa(`${w.twilio.accountSid}:${token}`);
    w.fetches.twilio = answering(w.twilio.fetch, /\/Messages\.json$/, () =>
      Response.json(
        {
          code: 99999,
          message: `Bad request for ${token} (Authorization: Basic ${basic})`,
          status: 400,
        },
        { status: 400 },
      ),
    );
    const message = await failsWith('incremental', /Twilio refused the request to list messages/);
    expect(message).not.toContain(token);
    expect(message).not.toContain(basic);
    const audit = JSON.stringify(await w.store.listAudit('loc-demo'));
    expect(audit).not.toContain(token);
    expect(audit).not.toContain(basic);
  });

  it('never reaches the sync state or the audit log (HighLevel)', async () => {
    const token = w.highlevel.token;
    w.fetches.highlevel = answering(w.highlevel.fetch, /^\/locations\//, () =>
      Response.json({ statusCode: 401, message: `Invalid JWT: ${token}` }, { status: 401 }),
    );
    const message = await failsWith('full', /HighLevel did not accept the token/);
    expect(message).not.toContain(token);
    expect(JSON.stringify(await w.store.listAudit('loc-demo'))).not.toContain(token);
  });
});
