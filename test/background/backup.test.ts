import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupHandlers } from '../../lib/background/backup';
import { CHOSEN_USERS_KEY } from '../../lib/background/chosen-users';
import {
  createHostRegistry,
  type HostApi,
  type HostRegistry,
  type PageScript,
  type ScriptRegistration,
  type StoredHost,
} from '../../lib/background/hosts';
import { createSendService, SEND_SETTINGS_KEY } from '../../lib/background/send-service';
import type { BackgroundServices, SyncService, SyncStatus } from '../../lib/background/services';
import { createMessageRouter, type MessageListener } from '../../lib/messaging/background';
import type { Reply } from '../../lib/messaging/protocol';
import {
  backupRequests,
  type ImportResult,
  type ResetResult,
  type SettingsDocument,
} from '../../lib/messaging/requests/backup';
import { createSecretsStore, type SecretsStore } from '../../lib/secrets';
import { openStore, type Store } from '../../lib/store';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXTENSION_ID}`;
const PAGE = { id: EXTENSION_ID, origin: ORIGIN, url: `${ORIGIN}/options.html` };
const CONTENT = {
  id: EXTENSION_ID,
  origin: 'https://app.gohighlevel.com',
  tab: { id: 4 } as never,
  frameId: 0,
};
const MAIN_SID = `AC${'1f'.repeat(16)}`;
const SUB_SID = `AC${'2e'.repeat(16)}`;
const AUTH_TOKEN = 'a3c5e7f9b1d3f5a7c9e1b3d5f7a9c2e4';
const AGENCY_TOKEN = 'pit-agency-0123456789-Zq8Rk2';
const OWN_TOKEN = 'pit-own-9876543210-Lm4Xw7';

/** A storage area in memory. */
function area(data: Map<string, unknown>) {
  return {
    async get(keys?: string | string[] | null) {
      const wanted = keys === null || keys === undefined ? [...data.keys()] : [keys].flat();
      return Object.fromEntries(
        wanted.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]),
      );
    },
    async set(items: Record<string, unknown>) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys: string | string[]) {
      for (const k of [keys].flat()) data.delete(k);
    },
    async clear() {
      data.clear();
    },
  };
}

class FakeHostApi implements HostApi {
  granted = new Set<string>();
  registered = new Map<string, ScriptRegistration>();
  list: unknown;
  async hasPermission(pattern: string) {
    return this.granted.has(pattern);
  }
  async removePermission(pattern: string) {
    this.granted.delete(pattern);
  }
  async registeredIds() {
    return [...this.registered.keys()];
  }
  async register(scripts: ScriptRegistration[]) {
    for (const script of scripts) this.registered.set(script.id, script);
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
    return [{ name: 'conversations', js: ['content-scripts/conversations.js'] }];
  }
}

const idle = (): SyncStatus => ({
  cursors: {},
  lastSuccessAt: null,
  lastError: null,
  lastSync: null,
  staging: null,
  running: false,
  progress: null,
});

let store: Store;
let secrets: SecretsStore;
let local: Map<string, unknown>;
let session: Map<string, unknown>;
let hostApi: FakeHostApi;
let registry: HostRegistry;
let syncing: Set<string>;
let route: MessageListener;
let replies: string[];
const now = Date.UTC(2026, 2, 1, 12);

beforeEach(async () => {
  const factory = new IDBFactory();
  store = await openStore({ factory, now: () => now });
  secrets = createSecretsStore({
    factory,
    protocol: 'chrome-extension:',
    now: () => new Date(now),
  });
  local = new Map();
  session = new Map();
  hostApi = new FakeHostApi();
  registry = createHostRegistry(hostApi);
  syncing = new Set();
  replies = [];
  const sync: SyncService = {
    run: async () => idle(),
    status: async (locationId) => ({ ...idle(), running: syncing.has(locationId) }),
    runScheduled: async () => ({}),
    ensureContact: async () => null,
  };
  const services: BackgroundServices = {
    store,
    sync,
    now: () => now,
    apiBases: { twilio: 'https://api.twilio.com', highlevel: 'https://services.example' },
    twilio: async () => null,
    highlevel: async () => null,
  };
  const send = createSendService(services, {
    local: area(local) as never,
    session: area(session) as never,
    sendToTab: async () => undefined,
    notifyAfterMs: 0,
  });
  const handlers = backupHandlers(services, {
    send,
    secrets,
    hosts: registry,
    local: area(local) as never,
    session: area(session) as never,
    mode: 'production',
  });
  route = createMessageRouter(backupRequests, handlers, {
    extensionId: EXTENSION_ID,
    extensionOrigin: ORIGIN,
    onHandlerError: () => {},
  });
});

afterEach(() => {
  store.close();
  secrets.close();
});

async function send(type: string, payload: unknown, sender: object = PAGE) {
  const reply = (await route({ type, payload }, sender as never)) as Reply<unknown>;
  replies.push(JSON.stringify(reply));
  return reply;
}

async function value<T>(type: string, payload: unknown): Promise<T> {
  const reply = await send(type, payload);
  if (!reply.ok) throw new Error(`${type} failed: ${reply.error.message}`);
  return reply.value as T;
}

async function failure(type: string, payload: unknown) {
  const reply = await send(type, payload);
  if (reply.ok) throw new Error(`${type} should have failed`);
  return reply.error;
}

/** An admin's set-up: two sub-accounts, secrets of every kind, send settings, a domain. */
async function setUp() {
  await secrets.saveTwilioCredentials({
    kind: 'auth-token',
    accountSid: MAIN_SID,
    authToken: AUTH_TOKEN,
  });
  await secrets.saveHighLevelToken('agency', AGENCY_TOKEN);
  await secrets.saveHighLevelToken('loc-sunrise', OWN_TOKEN);
  await store.setLocationSettings('loc-sunrise', {
    name: 'Sunrise Dental',
    country: 'GB',
    selectedForSync: true,
    twilioAccountSid: SUB_SID,
  });
  await store.setLocationSettings('loc-acme', { name: 'Acme Ortho', lcPhone: true });
  local.set(SEND_SETTINGS_KEY, { omitBodies: true, routes: { 'loc-acme': 'highlevel' } });
  local.set(CHOSEN_USERS_KEY, { 'loc-sunrise': 'user-7' });
  session.set('sender-lens:page-status:4', { locationId: 'loc-sunrise' });
  hostApi.granted.add('https://app.myagency.com/*');
  await registry.add({ origin: 'https://app.myagency.com', pattern: 'https://app.myagency.com/*' });
}

const exported = () => value<SettingsDocument>('settings-export', {});

describe('settings-export', () => {
  it('holds every setting and says which secrets it leaves out', async () => {
    await setUp();
    const doc = await exported();
    expect(doc).toEqual({
      format: 'sender-lens-settings',
      version: 1,
      exportedAt: '2026-03-01T12:00:00.000Z',
      subAccounts: [
        {
          locationId: 'loc-acme',
          name: 'Acme Ortho',
          country: 'US',
          selectedForSync: false,
          lcPhone: true,
        },
        {
          locationId: 'loc-sunrise',
          name: 'Sunrise Dental',
          country: 'GB',
          selectedForSync: true,
          twilioAccountSid: SUB_SID,
        },
      ],
      send: { omitBodies: true, routes: { 'loc-acme': 'highlevel' } },
      chosenUsers: { 'loc-sunrise': 'user-7' },
      whiteLabelDomains: ['https://app.myagency.com'],
      secretsLeftOut: ['Twilio credentials', 'HighLevel tokens'],
    });
  });

  it('carries no saved secret, not even its masked hint', async () => {
    await setUp();
    const json = JSON.stringify(await exported());
    const described = await secrets.describeSecrets();
    const hints = [
      described.twilio?.secret,
      described.twilio?.accountSid,
      ...described.highLevel.map((t) => t.token),
    ];
    expect(hints.every((hint) => typeof hint === 'string' && hint.length > 0)).toBe(true);
    for (const secret of [AUTH_TOKEN, AGENCY_TOKEN, OWN_TOKEN, ...hints]) {
      expect(json).not.toContain(secret as string);
    }
    // Nor the tail a mask shows, nor the Twilio account of the credentials themselves.
    for (const tail of [AUTH_TOKEN, AGENCY_TOKEN, OWN_TOKEN].map((s) => s.slice(-4))) {
      expect(json).not.toContain(tail);
    }
    expect(json).not.toContain(MAIN_SID);
    expect(json).not.toContain('••');
  });

  it('is refused to a content script', async () => {
    const reply = await send('settings-export', {}, CONTENT);
    expect(reply.ok).toBe(false);
  });
});

describe('settings-import', () => {
  it('puts back what was exported, secrets untouched, domains listed for permission', async () => {
    await setUp();
    const doc = await exported();
    const secretsBefore = await secrets.describeSecrets();
    // A fresh profile: the same secrets (they stay), none of the settings.
    await store.removeLocation('loc-sunrise');
    await store.removeLocation('loc-acme');
    local.clear();
    await registry.remove('https://app.myagency.com');

    const result = await value<ImportResult>('settings-import', { document: doc });
    expect(result.applied).toEqual([
      'Acme Ortho (loc-acme): added',
      'Sunrise Dental (loc-sunrise): added',
      'Send settings: message bodies left out of the send log, the route of 1 sub-account',
      '"I am …" for 1 sub-account',
    ]);
    expect(result.needsPermission).toEqual(['https://app.myagency.com']);
    expect(result.secretsLeftOut).toEqual(['Twilio credentials', 'HighLevel tokens']);
    expect(hostApi.registered.size).toBe(0);

    const again = await exported();
    expect({ ...again, whiteLabelDomains: doc.whiteLabelDomains }).toEqual(doc);
    expect(await secrets.describeSecrets()).toEqual(secretsBefore);
  });

  it('says what changed on a sub-account already there', async () => {
    await setUp();
    const doc = await exported();
    const sunrise = doc.subAccounts[1];
    if (!sunrise) throw new Error('no sub-account');
    sunrise.country = 'us';
    sunrise.selectedForSync = false;
    delete sunrise.twilioAccountSid;
    const result = await value<ImportResult>('settings-import', { document: doc });
    expect(result.applied).toContain(
      'Sunrise Dental (loc-sunrise): country US, not selected for sync, Twilio account the main account',
    );
    expect(result.applied).toContain('Acme Ortho (loc-acme): already as in the file');
    expect(result.applied).toContain('https://app.myagency.com: already added');
    expect(result.needsPermission).toEqual([]);
  });

  const cases: [string, (doc: Record<string, unknown>) => void, string][] = [
    [
      'a country that is not a code',
      (doc) => {
        (doc.subAccounts as Record<string, unknown>[]).push({
          locationId: 'loc-c',
          country: 'Germany',
          selectedForSync: false,
        });
      },
      'subAccounts[2].country: expected a two-letter country code, e.g. US',
    ],
    [
      'a secret slipped into a sub-account',
      (doc) => {
        (doc.subAccounts as Record<string, unknown>[])[0] = {
          locationId: 'loc-acme',
          country: 'US',
          selectedForSync: false,
          token: AGENCY_TOKEN,
        };
      },
      'subAccounts[0].token: unexpected field: not part of a sub-account',
    ],
    [
      'a route that is neither',
      (doc) => {
        doc.send = { omitBodies: false, routes: { 'loc-acme': 'carrier-pigeon' } };
      },
      'send.routes.loc-acme: expected "twilio" or "highlevel"',
    ],
    [
      'a sub-account listed twice',
      (doc) => {
        const subs = doc.subAccounts as Record<string, unknown>[];
        subs.push({ ...subs[0] });
      },
      'subAccounts[2].locationId: loc-acme is listed twice (also subAccounts[0])',
    ],
    [
      'a domain that is not https',
      (doc) => {
        doc.whiteLabelDomains = ['https://app.myagency.com', 'http://crm.example.com'];
      },
      'whiteLabelDomains[1]: Only https:// domains can be added: HighLevel white-label domains use https.',
    ],
    [
      'another kind of file',
      (doc) => {
        doc.format = 'something-else';
      },
      'format: expected "sender-lens-settings"; this is not a Sender Lens settings file.',
    ],
    [
      'a newer version',
      (doc) => {
        doc.version = 2;
      },
      'version: expected 1; this file was made by a newer Sender Lens.',
    ],
    [
      'a missing field',
      (doc) => {
        delete doc.chosenUsers;
      },
      'chosenUsers: expected an object, got nothing',
    ],
  ];

  it.each(cases)('refuses %s, naming the field, and changes nothing', async (_, spoil, message) => {
    await setUp();
    const doc = (await exported()) as unknown as Record<string, unknown>;
    // A valid change early in the file, so a half-applied import would show.
    (doc.subAccounts as Record<string, unknown>[])[0] = {
      locationId: 'loc-acme',
      name: 'Renamed',
      country: 'FR',
      selectedForSync: true,
    };
    doc.send = { omitBodies: false, routes: {} };
    spoil(doc);
    const locationsBefore = await store.listLocations();
    const localBefore = structuredClone([...local]);
    const error = await failure('settings-import', { document: doc });
    expect(error.message).toBe(message);
    expect(await store.listLocations()).toEqual(locationsBefore);
    expect([...local]).toEqual(localBefore);
  });

  it('refuses a sub-account that is syncing, and changes nothing', async () => {
    await setUp();
    const doc = await exported();
    doc.send.omitBodies = false;
    syncing.add('loc-sunrise');
    const error = await failure('settings-import', { document: doc });
    expect(error.message).toMatch(/^subAccounts\[1\]: Sunrise Dental \(loc-sunrise\) is syncing/);
    expect((local.get(SEND_SETTINGS_KEY) as { omitBodies: boolean }).omitBodies).toBe(true);
  });

  it('refuses something that is not an object', async () => {
    const error = await failure('settings-import', { document: [1, 2] });
    expect(error.message).toBe('This is not a Sender Lens settings file: expected a JSON object.');
  });
});

describe('settings-reset', () => {
  it('needs the typed confirmation', async () => {
    await setUp();
    const error = await failure('settings-reset', { confirm: 'yes' });
    expect(error.path).toBe('confirm');
    expect(await store.listLocations()).toHaveLength(2);
  });

  it('deletes everything the extension stored', async () => {
    await setUp();
    await store.outbox.add({
      id: 'send-1',
      locationId: 'loc-sunrise',
      conversationId: 'conv-1',
      contactId: 'contact-1',
      route: 'twilio',
      from: '+14155550101',
      to: '+14155550199',
      body: 'See you at 3',
      mediaUrls: [],
      rule: 'staff-number',
      trace: [],
      picked: false,
      createdMs: now,
    });
    expect(await store.outbox.get('send-1')).not.toBeNull();
    const result = await value<ResetResult>('settings-reset', { confirm: 'delete everything' });
    expect(result.deleted).toEqual([
      '2 sub-accounts with their synced data, audit logs, outbox and send log',
      'the Twilio credentials',
      '2 HighLevel tokens',
      '1 white-label domain and their content scripts',
      'the send settings, "I am …" choices and page states',
    ]);
    expect(await store.listLocations()).toEqual([]);
    expect(await store.outbox.get('send-1')).toBeNull();
    expect(await secrets.describeSecrets()).toEqual({ twilio: null, highLevel: [] });
    expect(hostApi.registered.size).toBe(0);
    expect(hostApi.granted.size).toBe(0);
    expect(local.size).toBe(0);
    expect(session.size).toBe(0);
    expect(await exported()).toMatchObject({
      subAccounts: [],
      send: { omitBodies: false, routes: {} },
      chosenUsers: {},
      whiteLabelDomains: [],
    });
  });

  it('deletes nothing while a sync runs', async () => {
    await setUp();
    syncing.add('loc-acme');
    const error = await failure('settings-reset', { confirm: 'delete everything' });
    expect(error.message).toMatch(/is syncing: wait for the sync to finish, then reset/);
    expect(await store.listLocations()).toHaveLength(2);
    expect((await secrets.describeSecrets()).twilio).not.toBeNull();
  });
});

it('never answers a secret', () => {
  for (const reply of replies) {
    for (const secret of [AUTH_TOKEN, AGENCY_TOKEN, OWN_TOKEN]) expect(reply).not.toContain(secret);
  }
});
