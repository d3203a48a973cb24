import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  HostApi,
  PageScript,
  ScriptRegistration,
  StoredHost,
} from '../../lib/background/hosts';
import { createHostRegistry } from '../../lib/background/hosts';
import type {
  BackgroundServices,
  SyncProgress,
  SyncService,
  SyncStatus,
} from '../../lib/background/services';
import { settingsHandlers } from '../../lib/background/settings';
import { LIST_NEEDS_AUTH_TOKEN } from '../../lib/background/settings-twilio';
import { twilioClientFor } from '../../lib/background/twilio-account';
import { HighLevelClient } from '../../lib/highlevel';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import type { Reply, ResponseOf } from '../../lib/messaging/protocol';
import { settingsRequests } from '../../lib/messaging/requests/settings';
import { createSecretsStore, revealTwilioCredentials, type SecretsStore } from '../../lib/secrets';
import { openStore, type Store } from '../../lib/store';
import { SUBACCOUNT_KEY_REFUSAL } from '../../lib/twilio';
import {
  createFakeHighLevel,
  createFakeTwilio,
  expectNoViolations,
  type FakeHighLevel,
  type FakeTwilio,
  type FakeTwilioAccount,
  type SeededSubAccount,
  seedBelievableSubAccount,
} from '../fakes';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXTENSION_ID}`;
const PAGE = { id: EXTENSION_ID, origin: ORIGIN, url: `${ORIGIN}/options.html` };
const CONTENT = {
  id: EXTENSION_ID,
  origin: 'https://app.gohighlevel.com',
  tab: { id: 4 } as never,
  frameId: 0,
};
const API_KEY = { sid: `SK${'ab12'.repeat(8)}`, secret: 'Zr8sKq2LmN4pQ6tV8xY0aB2cD4eF5678' };

let twilio: FakeTwilio;
let highlevel: FakeHighLevel;
let seeded: SeededSubAccount;
let subaccount: FakeTwilioAccount;
let otherSubaccount: FakeTwilioAccount;

beforeAll(async () => {
  twilio = await createFakeTwilio({ apiKeys: [API_KEY] });
  highlevel = await createFakeHighLevel();
  seeded = seedBelievableSubAccount(twilio, highlevel);
  subaccount = twilio.addSubaccount({ friendlyName: 'Sunrise Dental' });
  subaccount.addIncomingNumber({ phoneNumber: '+14155550301' });
  subaccount.addIncomingNumber({ phoneNumber: '+14155550302', sms: false });
  otherSubaccount = twilio.addSubaccount({ friendlyName: 'Acme Ortho' });
});

/** A sync service whose runs the test drives step by step. */
class FakeSync implements SyncService {
  readonly states = new Map<string, SyncStatus>();
  readonly runs: { locationId: string; kind: string }[] = [];
  private finishers = new Map<string, { resolve(): void; reject(error: unknown): void }>();

  constructor(private readonly now: () => number) {}

  private state(locationId: string): SyncStatus {
    let state = this.states.get(locationId);
    if (!state) {
      state = {
        cursors: {},
        lastSuccessAt: null,
        lastError: null,
        lastSync: null,
        staging: null,
        running: false,
        progress: null,
      };
      this.states.set(locationId, state);
    }
    return state;
  }

  async run(locationId: string, kind: 'full' | 'incremental'): Promise<SyncStatus> {
    this.runs.push({ locationId, kind });
    const state = this.state(locationId);
    state.running = true;
    state.staging = {
      kind,
      startedAt: new Date(this.now()).toISOString(),
      progress: { pages: 0, messages: 0, contacts: 0, updatedAt: '' },
    };
    await new Promise<void>((resolve, reject) => {
      this.finishers.set(locationId, { resolve, reject });
    });
    return state;
  }

  progress(locationId: string, progress: SyncProgress) {
    this.state(locationId).progress = progress;
  }

  finish(locationId: string, outcome: { error?: string; throws?: unknown } = {}) {
    const state = this.state(locationId);
    const at = new Date(this.now()).toISOString();
    state.running = false;
    state.progress = null;
    state.staging = null;
    if (outcome.error !== undefined) state.lastError = { message: outcome.error, at };
    else if (outcome.throws === undefined) {
      state.lastSuccessAt = at;
      state.lastSync = { kind: 'full', startedAt: at, finishedAt: at, messages: 31, contacts: 9 };
    }
    const finisher = this.finishers.get(locationId);
    this.finishers.delete(locationId);
    if (outcome.throws !== undefined) finisher?.reject(outcome.throws);
    else finisher?.resolve();
  }

  async status(locationId: string): Promise<SyncStatus> {
    return { ...this.state(locationId) };
  }

  async runScheduled(): Promise<Record<string, SyncStatus>> {
    throw new Error('the settings handlers never run scheduled syncs');
  }

  async ensureContact(): Promise<null> {
    throw new Error('the settings handlers never fetch contacts');
  }
}

/** The browser's scripting, permissions and storage, in memory. */
class FakeHostApi implements HostApi {
  granted = new Set<string>();
  registered = new Map<string, ScriptRegistration>();
  list: unknown;
  removed: string[] = [];

  async hasPermission(pattern: string) {
    return this.granted.has(pattern);
  }
  async removePermission(pattern: string) {
    this.removed.push(pattern);
    this.granted.delete(pattern);
  }
  async registeredIds() {
    return [...this.registered.keys()];
  }
  async register(scripts: ScriptRegistration[]) {
    for (const script of scripts) {
      if (this.registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
      this.registered.set(script.id, script);
    }
  }
  async unregister(ids: string[]) {
    for (const id of ids) this.registered.delete(id);
  }
  async readList() {
    return this.list;
  }
  async writeList(list: StoredHost[]) {
    this.list = structuredClone(list);
  }
  pageScripts(): PageScript[] {
    return [
      { name: 'conversations', js: ['content-scripts/conversations.js'] },
      { name: 'user-probe', js: ['content-scripts/user-probe.js'], world: 'MAIN' },
    ];
  }
}

let now: number;
let store: Store;
let secrets: SecretsStore;
let sync: FakeSync;
let hostApi: FakeHostApi;
let route: MessageListener;
let replies: string[];
let mode: string;

function buildServices(): BackgroundServices {
  const fast = { sleep: async () => {}, random: () => 0, maxRetries: 1 };
  return {
    store,
    sync,
    now: () => now,
    apiBases: {
      twilio: 'https://api.twilio.com',
      highlevel: 'https://services.leadconnectorhq.com',
    },
    async twilio(locationId) {
      return twilioClientFor({
        credentials: await secrets.loadTwilioCredentials(),
        store,
        locationId,
        http: { ...fast, fetch: twilio.fetch },
      });
    },
    async highlevel(locationId) {
      const found = await secrets.highLevelTokenFor(locationId);
      return (
        found &&
        new HighLevelClient({
          ...fast,
          fetch: highlevel.fetch,
          credentials: { token: found.token.reveal() },
        })
      );
    },
  };
}

function makeRouter() {
  const handlers = settingsHandlers(buildServices(), {
    secrets,
    hosts: createHostRegistry(hostApi),
    mode,
  });
  route = createMessageRouter(settingsRequests, handlers, {
    extensionId: EXTENSION_ID,
    extensionOrigin: ORIGIN,
    onHandlerError: () => {},
  });
}

beforeEach(async () => {
  now = Date.UTC(2026, 2, 1, 12);
  const factory = new IDBFactory();
  store = await openStore({ factory, now: () => now });
  secrets = createSecretsStore({
    factory,
    protocol: 'chrome-extension:',
    now: () => new Date(now),
  });
  sync = new FakeSync(() => now);
  hostApi = new FakeHostApi();
  replies = [];
  mode = 'production';
  twilio.faults.clear();
  highlevel.faults.clear();
  makeRouter();
});

afterEach(() => {
  store.close();
  secrets.close();
});

/** Sends a request as the options page would, keeping every reply's text. */
type Settings = typeof settingsRequests;

async function send(
  type: string,
  payload: unknown,
  sender: object = PAGE,
): Promise<Reply<unknown>> {
  const reply = await route({ type, payload }, sender as never);
  replies.push(JSON.stringify(reply));
  return reply;
}

/** The answer to a request that must succeed; payloads stay `unknown` so tests can send junk. */
async function value<K extends keyof Settings>(
  type: K,
  payload: unknown,
): Promise<ResponseOf<Settings[K]>> {
  const reply = await send(type, payload);
  if (!reply.ok) throw new Error(`${type} failed: ${reply.error.message}`);
  return reply.value as ResponseOf<Settings[K]>;
}

async function failure(type: keyof Settings, payload: unknown) {
  const reply = await send(type, payload);
  if (reply.ok) throw new Error(`${type} should have failed`);
  return reply.error;
}

const authTokenSave = () => ({
  kind: 'auth-token',
  accountSid: twilio.accountSid,
  authToken: twilio.authToken,
});

function expectNoSecretInReplies() {
  const all = replies.join('\n');
  for (const secret of [
    twilio.authToken,
    API_KEY.secret,
    highlevel.token,
    subaccount.authToken,
    otherSubaccount.authToken,
  ]) {
    expect(all).not.toContain(secret);
  }
}

describe('twilio-save', () => {
  it('saves an Auth Token and answers only with masks', async () => {
    const view = await value('twilio-save', authTokenSave());
    expect(view.twilio).toMatchObject({
      kind: 'auth-token',
      accountSid: `AC…${twilio.accountSid.slice(-4)}`,
      secret: `••••${twilio.authToken.slice(-4)}`,
    });
    const loaded = await secrets.loadTwilioCredentials();
    expect(loaded && revealTwilioCredentials(loaded)).toEqual(authTokenSave());
    expectNoSecretInReplies();
  });

  it('saves an API key with its account', async () => {
    const view = await value('twilio-save', {
      kind: 'api-key',
      accountSid: twilio.accountSid,
      apiKeySid: API_KEY.sid,
      apiKeySecret: API_KEY.secret,
    });
    expect(view.twilio).toMatchObject({ kind: 'api-key', apiKeySid: 'SK…ab12' });
    const check = await value('credentials-check', {});
    expect(check.twilio.message).toBe('Connected: 12 numbers, 9 can send SMS');
    expectNoSecretInReplies();
  });

  it('refuses a bad Account SID, naming the field, and keeps what was saved before', async () => {
    await value('twilio-save', authTokenSave());
    const error = await failure('twilio-save', {
      kind: 'auth-token',
      accountSid: 'AC123',
      authToken: 'ffffeeeeddddccccbbbbaaaa99998888',
    });
    expect(error.code).toBe('bad-request');
    expect(error.path).toBe('accountSid');
    expect(error.message).toContain('accountSid: expected "AC" followed by 32 hexadecimal');
    const view = await value('settings-get', {});
    expect(view.twilio?.secret).toBe(`••••${twilio.authToken.slice(-4)}`);
  });

  it('never quotes a refused secret back', async () => {
    const almost = `${twilio.authToken.slice(0, 31)}z`;
    const error = await failure('twilio-save', {
      kind: 'auth-token',
      accountSid: twilio.accountSid,
      authToken: almost,
    });
    expect(error.path).toBe('authToken');
    expect(error.message).toContain('32 hexadecimal characters');
    expect(error.message).not.toContain(almost);
    const keyError = await failure('twilio-save', {
      kind: 'api-key',
      accountSid: twilio.accountSid,
      apiKeySid: `SK${'0'.repeat(31)}`,
      apiKeySecret: 'short secret',
    });
    expect(keyError.path).toBe('apiKeySid');
    expect(JSON.stringify(keyError)).not.toContain('short secret');
  });

  it('refuses unknown fields and content scripts', async () => {
    const extra = await failure('twilio-save', { ...authTokenSave(), note: 'x' });
    expect(extra.path).toBe('note');
    const fromPage = await send('twilio-save', authTokenSave(), CONTENT);
    expect(fromPage).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await secrets.loadTwilioCredentials()).toBeNull();
    const read = await send('settings-get', {}, CONTENT);
    expect(read.ok).toBe(false);
  });
});

describe('highlevel-save and credentials-check', () => {
  it('adds the sub-account and reports both connections in plain words', async () => {
    await value('twilio-save', authTokenSave());
    const saved = await value('highlevel-save', {
      locationId: seeded.locationId,
      token: highlevel.token,
    });
    expect(saved.locations).toHaveLength(1);
    expect(saved.locations[0]).toMatchObject({
      locationId: seeded.locationId,
      selectedForSync: false,
      hasData: false,
      token: { scope: 'location', hint: `••••${highlevel.token.slice(-4)}` },
    });

    const check = await value('credentials-check', {});
    expect(check.twilio).toMatchObject({ ok: true, numbers: 12, smsNumbers: 9 });
    expect(check.twilio.message).toBe('Connected: 12 numbers, 9 can send SMS');
    expect(check.highLevel).toEqual([
      {
        locationId: seeded.locationId,
        ok: true,
        name: 'Sunrise Dental',
        message: 'Connected to Sunrise Dental: 12 numbers, 5 staff',
        numbers: 12,
        staff: 5,
      },
    ]);
    // The check fills in the name the admin had not typed.
    const view = await value('settings-get', {});
    expect(view.locations[0]?.name).toBe('Sunrise Dental');
    expectNoSecretInReplies();
    expectNoViolations(twilio);
    expectNoViolations(highlevel);
  });

  it('says what is wrong when a token is refused, without the token', async () => {
    await value('twilio-save', {
      ...authTokenSave(),
      authToken: 'ffffeeeeddddccccbbbbaaaa99998888',
    });
    const wrongToken = 'pit-00000000-0000-0000-0000-000000000000';
    await value('highlevel-save', { locationId: seeded.locationId, token: wrongToken });
    const check = await value('credentials-check', {});
    expect(check.twilio.ok).toBe(false);
    expect(check.twilio.message).toMatch(/Twilio/);
    expect(check.twilio.message).toMatch(/credentials|Auth Token|API key/i);
    expect(check.highLevel[0]?.ok).toBe(false);
    expect(check.highLevel[0]?.message).toMatch(/HighLevel/);
    expect(replies.join('\n')).not.toContain(wrongToken);
    expect(replies.join('\n')).not.toContain('ffffeeeeddddccccbbbbaaaa99998888');
  });

  it('reports a Twilio outage as the API error says it', async () => {
    await value('twilio-save', authTokenSave());
    twilio.faults.serverError(5, 503);
    const check = await value('credentials-check', {});
    expect(check.twilio.ok).toBe(false);
    expect(check.twilio.message).toMatch(/Twilio/);
    expect(check.twilio.message).not.toMatch(/internal error/);
  });

  it('says nothing is saved before anything is', async () => {
    const check = await value('credentials-check', {});
    expect(check).toEqual({
      twilio: { ok: false, message: 'No Twilio credentials saved yet: save them above.' },
      twilioSubaccounts: [],
      highLevel: [],
    });
  });

  it('uses an agency token for sub-accounts without their own', async () => {
    const view = await value('highlevel-save', {
      locationId: seeded.locationId,
      token: highlevel.token,
      agency: true,
    });
    expect(view.agencyToken).toMatchObject({ hint: `••••${highlevel.token.slice(-4)}` });
    expect(view.locations[0]?.token?.scope).toBe('agency');
    expect(await secrets.loadHighLevelToken(seeded.locationId)).toBeNull();
  });

  it('refuses a location id that is not one, naming the field', async () => {
    const error = await failure('highlevel-save', {
      locationId: 'loc/../../users',
      token: highlevel.token,
    });
    expect(error.path).toBe('locationId');
    expect(error.message).toContain('HighLevel location id');
    expect(error.message).not.toContain(highlevel.token);
  });
});

describe('Twilio subaccounts', () => {
  const apiKeySave = () => ({
    kind: 'api-key',
    accountSid: twilio.accountSid,
    apiKeySid: API_KEY.sid,
    apiKeySecret: API_KEY.secret,
  });
  const addLocation = () =>
    value('highlevel-save', { locationId: seeded.locationId, token: highlevel.token });

  it('lists the main account first, then its subaccounts by name, without their Auth Tokens', async () => {
    await value('twilio-save', authTokenSave());
    const accounts = await value('twilio-accounts', {});
    expect(accounts).toEqual([
      {
        sid: twilio.accountSid,
        friendlyName: 'Sender Lens test account',
        status: 'active',
        main: true,
      },
      {
        sid: otherSubaccount.accountSid,
        friendlyName: 'Acme Ortho',
        status: 'active',
        main: false,
      },
      { sid: subaccount.accountSid, friendlyName: 'Sunrise Dental', status: 'active', main: false },
    ]);
    expectNoSecretInReplies();
    expectNoViolations(twilio);
  });

  it('says why it cannot list with an API key or without credentials', async () => {
    expect((await failure('twilio-accounts', {})).message).toBe(
      'No Twilio credentials saved yet: save them above.',
    );
    await value('twilio-save', apiKeySave());
    const before = twilio.requests.length;
    expect((await failure('twilio-accounts', {})).message).toBe(LIST_NEEDS_AUTH_TOKEN);
    expect(twilio.requests.length).toBe(before);
  });

  it('maps a sub-account to a subaccount, checks it, and goes back to the main account', async () => {
    await value('twilio-save', authTokenSave());
    await addLocation();
    let view = await value('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: subaccount.accountSid,
    });
    expect(view.locations[0]).toMatchObject({ twilioAccountSid: subaccount.accountSid });
    expect(view.locations[0]?.twilioProblem).toBeUndefined();

    const check = await value('credentials-check', {});
    expect(check.twilio).toMatchObject({ ok: true, numbers: 12 });
    expect(check.twilioSubaccounts).toEqual([
      {
        locationId: seeded.locationId,
        accountSid: subaccount.accountSid,
        ok: true,
        message: 'Connected: 2 numbers, 1 can send SMS',
        numbers: 2,
        smsNumbers: 1,
      },
    ]);
    expect(
      twilio.requests.some((r) =>
        r.path.startsWith(`/2010-04-01/Accounts/${subaccount.accountSid}/`),
      ),
    ).toBe(true);

    // Typing the main account's own SID, or choosing none, means the main account.
    view = await value('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: twilio.accountSid,
    });
    expect(view.locations[0]?.twilioAccountSid).toBeUndefined();
    await value('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: subaccount.accountSid,
    });
    view = await value('twilio-account-set', { locationId: seeded.locationId });
    expect(view.locations[0]?.twilioAccountSid).toBeUndefined();
    expectNoSecretInReplies();
    expectNoViolations(twilio);
  });

  it('refuses a SID that is not one, and an unknown sub-account', async () => {
    await addLocation();
    const bad = await failure('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: 'AC123',
    });
    expect(bad.path).toBe('accountSid');
    expect(bad.message).toContain('expected "AC" followed by 32 hexadecimal characters');
    const unknown = await failure('twilio-account-set', {
      locationId: 'loc-nowhere',
      accountSid: subaccount.accountSid,
    });
    expect(unknown.message).toContain('No sub-account loc-nowhere is set up');
    const fromPage = await send(
      'twilio-account-set',
      { locationId: seeded.locationId, accountSid: subaccount.accountSid },
      CONTENT,
    );
    expect(fromPage).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('says which subaccount the credentials cannot reach', async () => {
    await value('twilio-save', authTokenSave());
    await addLocation();
    const stranger = `AC${'7'.repeat(32)}`;
    await value('twilio-account-set', { locationId: seeded.locationId, accountSid: stranger });
    const check = await value('credentials-check', {});
    expect(check.twilioSubaccounts?.[0]).toMatchObject({ ok: false, accountSid: stranger });
    expect(check.twilioSubaccounts?.[0]?.message).toBe(
      'Twilio refused the saved credentials on AC…7777: check that it is a subaccount of the saved account, or choose another.',
    );
  });

  it('refuses an API key of the main account on a subaccount, on saving, on the page and before a sync', async () => {
    await value('twilio-save', apiKeySave());
    await addLocation();
    const refused = await failure('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: subaccount.accountSid,
    });
    expect(refused.message).toBe(SUBACCOUNT_KEY_REFUSAL);

    // Mapped with the Auth Token, then the credentials become an API key.
    await value('twilio-save', authTokenSave());
    await value('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: subaccount.accountSid,
    });
    const view = await value('twilio-save', apiKeySave());
    expect(view.locations[0]?.twilioProblem).toBe(SUBACCOUNT_KEY_REFUSAL);
    const before = twilio.requests.length;
    const sync = await failure('sync-now', { locationId: seeded.locationId, kind: 'full' });
    expect(sync.message).toBe(SUBACCOUNT_KEY_REFUSAL);
    const check = await value('credentials-check', {});
    expect(check.twilioSubaccounts?.[0]).toMatchObject({
      ok: false,
      message: SUBACCOUNT_KEY_REFUSAL,
    });
    // The main account was checked; the subaccount was never asked.
    expect(
      twilio.requests
        .slice(before)
        .some((r) => r.path.includes(`/Accounts/${subaccount.accountSid}/`)),
    ).toBe(false);
    expect(sync.message).toBe(
      "An API key of the main Twilio account cannot act on its subaccounts: use the main account's Auth Token, or an API key made in the subaccount.",
    );
  });

  it('waits for a running sync before changing the account', async () => {
    await value('twilio-save', authTokenSave());
    await addLocation();
    await value('sync-now', { locationId: seeded.locationId, kind: 'full' });
    const busy = await failure('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: subaccount.accountSid,
    });
    expect(busy.message).toContain('A sync of this sub-account is running');
    sync.finish(seeded.locationId);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const view = await value('twilio-account-set', {
      locationId: seeded.locationId,
      accountSid: subaccount.accountSid,
    });
    expect(view.locations[0]?.twilioAccountSid).toBe(subaccount.accountSid);
  });
});

describe('credentials-remove', () => {
  it('forgets the Twilio credentials and one HighLevel token', async () => {
    await value('twilio-save', authTokenSave());
    await value('highlevel-save', { locationId: seeded.locationId, token: highlevel.token });
    let view = await value('credentials-remove', { provider: 'twilio' });
    expect(view.twilio).toBeNull();
    expect(await secrets.loadTwilioCredentials()).toBeNull();
    view = await value('credentials-remove', { provider: 'highlevel', scope: seeded.locationId });
    expect(view.locations[0]?.token).toBeNull();
    const check = await value('credentials-check', {});
    expect(check.highLevel[0]).toMatchObject({
      ok: false,
      message: 'No HighLevel token saved for this sub-account.',
    });
  });
});

describe('location-set and location-remove', () => {
  it('selects a sub-account for sync and refuses unknown ones', async () => {
    await value('highlevel-save', { locationId: seeded.locationId, token: highlevel.token });
    const view = await value('location-set', {
      locationId: seeded.locationId,
      selectedForSync: true,
      country: 'ca',
    });
    expect(view.locations[0]).toMatchObject({ selectedForSync: true, country: 'CA' });
    const unknown = await failure('location-set', { locationId: 'loc-x', selectedForSync: true });
    expect(unknown.message).toBe(
      'No sub-account loc-x is set up: add it with its HighLevel token first.',
    );
    const badCountry = await failure('location-set', {
      locationId: seeded.locationId,
      country: 'ZZ',
    });
    expect(badCountry.message).toContain('country');
  });

  it('forgets a sub-account and its own token, but not while it syncs', async () => {
    await value('twilio-save', authTokenSave());
    await value('highlevel-save', { locationId: seeded.locationId, token: highlevel.token });
    await value('sync-now', { locationId: seeded.locationId, kind: 'full' });
    const busy = await failure('location-remove', { locationId: seeded.locationId });
    expect(busy.message).toMatch(/sync of this sub-account is running/);
    sync.finish(seeded.locationId);
    await until(
      async () => !(await value('sync-status', { locationId: seeded.locationId })).running,
    );
    const view = await value('location-remove', { locationId: seeded.locationId });
    expect(view.locations).toEqual([]);
    expect(await secrets.loadHighLevelToken(seeded.locationId)).toBeNull();
  });
});

async function until(condition: () => Promise<boolean>) {
  for (let i = 0; i < 50; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('condition never became true');
}

describe('sync-now and sync-status', () => {
  beforeEach(async () => {
    await value('twilio-save', authTokenSave());
    await value('highlevel-save', { locationId: seeded.locationId, token: highlevel.token });
  });

  it('answers at once with a running sync, shows progress, then the finished state', async () => {
    const started = await value('sync-now', { locationId: seeded.locationId, kind: 'full' });
    expect(started.running).toBe(true);
    expect(sync.runs).toEqual([{ locationId: seeded.locationId, kind: 'full' }]);

    // A second click while it runs starts nothing new.
    await value('sync-now', { locationId: seeded.locationId, kind: 'full' });
    expect(sync.runs).toHaveLength(1);

    const progress: SyncProgress = {
      phase: 'messages',
      items: 12_000,
      itemsTotal: null,
      pages: 12,
      pagesTotal: 40,
    };
    sync.progress(seeded.locationId, progress);
    const midway = await value('sync-status', { locationId: seeded.locationId });
    expect(midway).toMatchObject({ running: true, progress });

    now += 60_000;
    sync.finish(seeded.locationId);
    await until(
      async () => !(await value('sync-status', { locationId: seeded.locationId })).running,
    );
    const done = await value('sync-status', { locationId: seeded.locationId });
    expect(done).toMatchObject({
      running: false,
      progress: null,
      lastError: null,
      lastSuccessAt: new Date(now).toISOString(),
      interrupted: false,
    });
  });

  it('shows a failed run as the last error and keeps the last success', async () => {
    await value('sync-now', { locationId: seeded.locationId, kind: 'full' });
    sync.finish(seeded.locationId);
    await until(
      async () => !(await value('sync-status', { locationId: seeded.locationId })).running,
    );
    const success = (await value('sync-status', { locationId: seeded.locationId })).lastSuccessAt;

    now += 60_000;
    await value('sync-now', { locationId: seeded.locationId, kind: 'incremental' });
    sync.finish(seeded.locationId, { error: 'Twilio refused the credentials (401).' });
    await until(
      async () => !(await value('sync-status', { locationId: seeded.locationId })).running,
    );
    const failed = await value('sync-status', { locationId: seeded.locationId });
    expect(failed.lastSuccessAt).toBe(success);
    expect(failed.lastError).toEqual({
      message: 'Twilio refused the credentials (401).',
      at: new Date(now).toISOString(),
    });
  });

  it('reports a run that throws, with a generic message for errors not meant for users', async () => {
    await value('sync-now', { locationId: seeded.locationId, kind: 'full' });
    sync.finish(seeded.locationId, { throws: new Error(`db broke near ${highlevel.token}`) });
    await until(
      async () => !(await value('sync-status', { locationId: seeded.locationId })).running,
    );
    const status = await value('sync-status', { locationId: seeded.locationId });
    expect(status.lastError?.message).toMatch(/^The sync stopped\./);
    expectNoSecretInReplies();
  });

  it('refuses to start without credentials, saying which are missing', async () => {
    await value('credentials-remove', { provider: 'twilio' });
    const noTwilio = await failure('sync-now', { locationId: seeded.locationId, kind: 'full' });
    expect(noTwilio.message).toBe('Save your Twilio credentials before syncing.');
    await value('twilio-save', authTokenSave());
    await value('credentials-remove', { provider: 'highlevel', scope: seeded.locationId });
    const noToken = await failure('sync-now', { locationId: seeded.locationId, kind: 'full' });
    expect(noToken.message).toBe(`Save a HighLevel token for ${seeded.locationId} before syncing.`);
    expect(sync.runs).toEqual([]);
    const badKind = await failure('sync-now', { locationId: seeded.locationId, kind: 'all' });
    expect(badKind.path).toBe('kind');
  });
});

describe('white-label domains', () => {
  it('registers the conversations script once permission is granted', async () => {
    const refused = await failure('host-add', { origin: 'https://app.myagency.com' });
    expect(refused.message).toMatch(/no access to https:\/\/app\.myagency\.com yet/);
    expect(hostApi.registered.size).toBe(0);

    hostApi.granted.add('https://app.myagency.com/*');
    const hosts = await value('host-add', { origin: 'https://app.myagency.com' });
    expect(hosts).toEqual([
      { origin: 'https://app.myagency.com', granted: true, registered: true },
    ]);
    expect([...hostApi.registered.values()]).toEqual([
      {
        id: 'sender-lens-white-label:conversations:https://app.myagency.com/*',
        matches: ['https://app.myagency.com/*'],
        js: ['content-scripts/conversations.js'],
        runAt: 'document_idle',
        allFrames: false,
      },
      {
        id: 'sender-lens-white-label:user-probe:https://app.myagency.com/*',
        matches: ['https://app.myagency.com/*'],
        js: ['content-scripts/user-probe.js'],
        world: 'MAIN',
        runAt: 'document_idle',
        allFrames: false,
      },
    ]);
    // Adding it again changes nothing.
    expect(await value('host-add', { origin: 'https://app.myagency.com' })).toEqual(hosts);
    expect((await value('settings-get', {})).hosts).toEqual(hosts);

    const left = await value('host-remove', { origin: 'https://app.myagency.com' });
    expect(left).toEqual([]);
    expect(hostApi.registered.size).toBe(0);
    expect(hostApi.removed).toEqual(['https://app.myagency.com/*']);
  });

  it('refuses http, wildcards, paths and HighLevel’s own domains', async () => {
    const cases: [string, RegExp][] = [
      ['http://app.myagency.com', /Only https/],
      ['https://*.myagency.com', /without wildcards/],
      ['https://app.myagency.com/v2', /as an origin, e.g. https:\/\/app\.myagency\.com/],
      ['https://app.gohighlevel.com', /already works there/],
      ['https://intranet', /not a full domain/],
      ['https://app.myagency.com:8443', /Leave out the port/],
      ['http://127.0.0.1:4321', /Only https/],
    ];
    for (const [origin, message] of cases) {
      const error = await failure('host-add', { origin });
      expect(error.message, origin).toMatch(message);
    }
  });

  it('accepts loopback http in test builds only', async () => {
    mode = 'e2e';
    makeRouter();
    hostApi.granted.add('http://127.0.0.1/*');
    const hosts = await value('host-add', { origin: 'http://127.0.0.1:4321' });
    expect(hosts).toEqual([{ origin: 'http://127.0.0.1:4321', granted: true, registered: true }]);
    expect((await value('settings-get', {})).testMode).toBe(true);
  });

  it('restores missing registrations on startup and drops revoked ones', async () => {
    const registry = createHostRegistry(hostApi);
    hostApi.granted.add('https://a.example.com/*');
    hostApi.granted.add('https://b.example.com/*');
    await registry.add({ origin: 'https://a.example.com', pattern: 'https://a.example.com/*' });
    await registry.add({ origin: 'https://b.example.com', pattern: 'https://b.example.com/*' });
    // A browser that lost one registration over a restart, a permission the user revoked
    // (its registrations still there), and a script that is not ours.
    hostApi.registered.delete('sender-lens-white-label:conversations:https://a.example.com/*');
    hostApi.granted.delete('https://b.example.com/*');
    await hostApi.register([
      {
        id: 'other',
        matches: ['https://x.example/*'],
        js: [],
        runAt: 'document_idle',
        allFrames: false,
      },
    ]);
    await Promise.all([registry.restore(), registry.restore()]);
    expect([...hostApi.registered.keys()].sort()).toEqual([
      'other',
      'sender-lens-white-label:conversations:https://a.example.com/*',
      'sender-lens-white-label:user-probe:https://a.example.com/*',
    ]);
    expect(await registry.list()).toEqual([
      { origin: 'https://a.example.com', granted: true, registered: true },
      { origin: 'https://b.example.com', granted: false, registered: false },
    ]);
  });
});
