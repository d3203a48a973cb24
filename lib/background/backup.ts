/**
 * Export, import and reset of everything an admin set. The file holds the
 * sub-accounts' settings, the send settings, the "I am …" choices and the
 * white-label domains, and never a secret: not a token, not a mask of one.
 * An import checks the whole file before it writes anything, leaves the
 * secrets as they are, and lists white-label domains back for the admin to
 * add (the browser asks for access only after a click on the page). A reset
 * deletes what the extension stored, everywhere it stored it.
 */
import { browser } from 'wxt/browser';
import { isTestMode } from '../hosts';
import { type Handlers, PublicError } from '../messaging/background';
import {
  type backupRequests,
  type ExportedSubAccount,
  type ImportResult,
  SECRETS_LEFT_OUT,
  SETTINGS_FORMAT,
  SETTINGS_VERSION,
  type SettingsDocument,
} from '../messaging/requests/backup';
import { LOCATION_ID, readWhiteLabelOrigin } from '../messaging/requests/settings';
import {
  array,
  boolean,
  formatIssue,
  literal,
  object,
  oneOf,
  optional,
  parse,
  record,
  type Schema,
  string,
} from '../messaging/schema';
import type { SendSettings } from '../messaging/send-views';
import { isKnownCountry } from '../rules/phone';
import type { SecretsStore } from '../secrets';
import * as secretsModule from '../secrets';
import { type LocationInfo, type LocationSettings, SyncStateError } from '../store';
import { TEST_API_BASES_KEY } from './api-bases';
import { CHOSEN_USERS_KEY, readChosenUsers } from './chosen-users';
import { type HostRegistry, whiteLabelHosts } from './hosts';
import type { SendService } from './send-service';
import type { BackgroundServices } from './services';
import { accountToStore } from './settings-twilio';

/** The secrets operations export, import and reset use: none reads a secret's value. */
export type BackupSecrets = Pick<
  SecretsStore,
  'loadTwilioCredentials' | 'removeTwilioCredentials' | 'removeHighLevelToken' | 'describeSecrets'
>;

type LocalArea = Pick<typeof browser.storage.local, 'get' | 'set' | 'remove'>;
type SessionArea = Pick<typeof browser.storage.session, 'clear'>;

export interface BackupDeps {
  /** The send settings, in storage.local. */
  send: Pick<SendService, 'settings' | 'saveSettings'>;
  /** Defaults to lib/secrets' shared store. */
  secrets?: BackupSecrets;
  /** Defaults to the browser's permissions and scripting APIs. */
  hosts?: HostRegistry;
  /** Default to the browser's storage areas. */
  local?: LocalArea;
  session?: SessionArea;
  /** The build mode; test builds accept loopback domains and keep the fakes' addresses on reset. */
  mode?: string;
}

// ---------------------------------------------------------------- the file

function pattern(re: RegExp, message: string, maxLength: number): Schema<string> {
  const base = string({ maxLength });
  return {
    read(input, path) {
      const read = base.read(input, path);
      if (!read.ok) return read;
      return re.test(read.value) ? read : { ok: false, issue: { path, message } };
    },
  };
}

const locationId = pattern(LOCATION_ID, 'expected a HighLevel location id', 64);
const COUNTRY_MESSAGE = 'expected a two-letter country code, e.g. US';
const country: Schema<string> = {
  read(input, path) {
    const code = typeof input === 'string' ? input.toUpperCase() : '';
    return /^[A-Z]{2}$/.test(code) && isKnownCountry(code)
      ? { ok: true, value: code }
      : { ok: false, issue: { path, message: COUNTRY_MESSAGE } };
  },
};
const isoTime: Schema<string> = {
  read(input, path) {
    const read = string({ maxLength: 40 }).read(input, path);
    if (!read.ok) return read;
    return Number.isNaN(Date.parse(read.value))
      ? { ok: false, issue: { path, message: 'expected a date and time' } }
      : read;
  },
};

const subAccountSchema = object(
  {
    locationId,
    name: optional(string({ maxLength: 100 })),
    country,
    selectedForSync: boolean(),
    twilioAccountSid: optional(
      pattern(/^AC[0-9a-fA-F]{32}$/, 'expected "AC" followed by 32 hexadecimal characters', 34),
    ),
    lcPhone: optional(boolean()),
  },
  'a sub-account',
);

const documentSchema = object(
  {
    format: literal(SETTINGS_FORMAT),
    version: literal(SETTINGS_VERSION),
    exportedAt: isoTime,
    subAccounts: array(subAccountSchema, { maxItems: 1000 }),
    send: object(
      {
        omitBodies: boolean(),
        routes: record(locationId, oneOf(['twilio', 'highlevel']), { maxKeys: 1000 }),
      },
      'the send settings',
    ),
    chosenUsers: record(
      locationId,
      pattern(/^[A-Za-z0-9_-]{1,100}$/, 'expected a HighLevel user id', 100),
      { maxKeys: 1000 },
    ),
    whiteLabelDomains: array(string({ maxLength: 300 }), { maxItems: 100 }),
    secretsLeftOut: optional(array(string({ maxLength: 100 }), { maxItems: 10 })),
  },
  'a Sender Lens settings file',
);

type ReadDocument = ReturnType<typeof readDocument>;

/** Reads a settings file, or throws a PublicError naming the first field at fault. */
function readDocument(input: unknown) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PublicError('This is not a Sender Lens settings file: expected a JSON object.');
  }
  if ((input as { format?: unknown }).format !== SETTINGS_FORMAT) {
    throw new PublicError(
      `format: expected "${SETTINGS_FORMAT}"; this is not a Sender Lens settings file.`,
    );
  }
  const version = (input as { version?: unknown }).version;
  if (typeof version === 'number' && version > SETTINGS_VERSION) {
    throw new PublicError(
      `version: expected ${SETTINGS_VERSION}; this file was made by a newer Sender Lens.`,
    );
  }
  const parsed = parse(documentSchema, input);
  if (!parsed.ok) throw new PublicError(formatIssue(parsed.issue, 'the file'));
  const seen = new Map<string, number>();
  parsed.value.subAccounts.forEach((sub, i) => {
    const earlier = seen.get(sub.locationId);
    if (earlier !== undefined) {
      throw new PublicError(
        `subAccounts[${i}].locationId: ${sub.locationId} is listed twice (also subAccounts[${earlier}])`,
      );
    }
    seen.set(sub.locationId, i);
  });
  return parsed.value;
}

// ---------------------------------------------------------------- helpers

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function label(sub: { locationId: string; name?: string }): string {
  return sub.name === undefined ? sub.locationId : `${sub.name} (${sub.locationId})`;
}

/** What would change on a sub-account, in words. */
function differences(before: LocationInfo, after: LocationSettings): string[] {
  const out: string[] = [];
  if (after.name !== undefined && after.name !== before.name) out.push('name');
  if (after.country !== before.country) out.push(`country ${after.country}`);
  if (after.selectedForSync !== before.selectedForSync) {
    out.push(after.selectedForSync ? 'selected for sync' : 'not selected for sync');
  }
  if ((after.twilioAccountSid ?? null) !== (before.twilioAccountSid ?? null)) {
    out.push(`Twilio account ${after.twilioAccountSid ?? 'the main account'}`);
  }
  if (after.lcPhone !== (before.lcPhone === true)) {
    out.push(after.lcPhone ? 'on LC Phone' : 'on Twilio');
  }
  return out;
}

function settingsOf(location: LocationInfo): LocationSettings {
  const out: LocationSettings = {
    country: location.country,
    selectedForSync: location.selectedForSync,
    twilioAccountSid: location.twilioAccountSid ?? null,
    lcPhone: location.lcPhone === true,
  };
  if (location.name !== undefined) out.name = location.name;
  return out;
}

const BUSY_IMPORT =
  'is syncing: wait for the sync to finish, then import again. Nothing was changed.';

// ---------------------------------------------------------------- handlers

/** Handlers of the options page's export, import and reset. */
export function backupHandlers(
  services: BackgroundServices,
  deps: BackupDeps,
): Handlers<typeof backupRequests> {
  const secrets: BackupSecrets = deps.secrets ?? secretsModule;
  const testMode = isTestMode(deps.mode ?? import.meta.env.MODE);
  const hosts = () => deps.hosts ?? whiteLabelHosts();
  const local = (): LocalArea => deps.local ?? browser.storage.local;
  const session = (): SessionArea => deps.session ?? browser.storage.session;

  async function domains(): Promise<string[]> {
    try {
      return (await hosts().list()).map((h) => h.origin);
    } catch {
      // Browsers without scripting.registerContentScripts have no domains to list.
      return [];
    }
  }

  async function exportDocument(): Promise<SettingsDocument> {
    const [locations, send, chosen, origins] = await Promise.all([
      services.store.listLocations(),
      deps.send.settings(),
      readChosenUsers(local()),
      domains(),
    ]);
    const subAccounts = locations.map((location) => {
      const sub: ExportedSubAccount = {
        locationId: location.locationId,
        country: location.country,
        selectedForSync: location.selectedForSync,
      };
      if (location.name !== undefined) sub.name = location.name;
      if (location.twilioAccountSid !== undefined) sub.twilioAccountSid = location.twilioAccountSid;
      if (location.lcPhone) sub.lcPhone = true;
      return sub;
    });
    // Only what an import would take back: a stray value must not spoil the file.
    const routes: SendSettings['routes'] = {};
    for (const [id, value] of Object.entries(send.routes)) {
      if (LOCATION_ID.test(id) && (value === 'twilio' || value === 'highlevel')) routes[id] = value;
    }
    const chosenUsers: Record<string, string> = {};
    for (const [id, user] of Object.entries(chosen)) {
      if (LOCATION_ID.test(id) && typeof user === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(user)) {
        chosenUsers[id] = user;
      }
    }
    return {
      format: SETTINGS_FORMAT,
      version: SETTINGS_VERSION,
      exportedAt: new Date(services.now()).toISOString(),
      subAccounts,
      send: { omitBodies: send.omitBodies, routes },
      chosenUsers,
      whiteLabelDomains: origins,
      secretsLeftOut: [...SECRETS_LEFT_OUT],
    };
  }

  /** Everything the file would set, checked against what is saved now; writes nothing. */
  async function plan(doc: ReadDocument) {
    const origins = doc.whiteLabelDomains.map((typed, i) => {
      const checked = readWhiteLabelOrigin(typed, { allowLoopbackHttp: testMode });
      if (!checked.ok) throw new PublicError(`whiteLabelDomains[${i}]: ${checked.message}`);
      return checked.origin;
    });
    const before = new Map((await services.store.listLocations()).map((l) => [l.locationId, l]));
    const changes: { locationId: string; settings: LocationSettings; label: string }[] = [];
    for (const [i, sub] of doc.subAccounts.entries()) {
      let twilioAccountSid: string | null;
      try {
        twilioAccountSid = await accountToStore(secrets, sub.twilioAccountSid);
      } catch (error) {
        if (error instanceof PublicError) {
          throw new PublicError(`subAccounts[${i}].twilioAccountSid: ${error.message}`);
        }
        throw error;
      }
      const settings: LocationSettings = {
        country: sub.country,
        selectedForSync: sub.selectedForSync,
        twilioAccountSid,
        lcPhone: sub.lcPhone === true,
      };
      if (sub.name !== undefined) settings.name = sub.name;
      const known = before.get(sub.locationId);
      if (known !== undefined && (await services.sync.status(sub.locationId)).running) {
        throw new PublicError(`subAccounts[${i}]: ${label(known)} ${BUSY_IMPORT}`);
      }
      changes.push({ locationId: sub.locationId, settings, label: label(sub) });
    }
    return { origins, before, changes };
  }

  async function importDocument(input: unknown): Promise<ImportResult> {
    const doc = readDocument(input);
    const { origins, before, changes } = await plan(doc);
    const [sendBefore, chosenBefore, added] = await Promise.all([
      deps.send.settings(),
      readChosenUsers(local()),
      domains(),
    ]);
    const applied: string[] = [];
    const touched: string[] = [];
    try {
      for (const change of changes) {
        const known = before.get(change.locationId);
        touched.push(change.locationId);
        await services.store.setLocationSettings(change.locationId, change.settings);
        if (known === undefined) applied.push(`${change.label}: added`);
        else {
          const what = differences(known, change.settings);
          applied.push(
            what.length === 0
              ? `${change.label}: already as in the file`
              : `${change.label}: ${what.join(', ')}`,
          );
        }
      }
      await deps.send.saveSettings({
        omitBodies: doc.send.omitBodies,
        routes: { ...sendBefore.routes, ...doc.send.routes },
      });
      const routes = Object.keys(doc.send.routes).length;
      applied.push(
        `Send settings: message bodies ${doc.send.omitBodies ? 'left out of' : 'kept in'} the send log` +
          (routes > 0 ? `, the route of ${plural(routes, 'sub-account')}` : ''),
      );
      const chosen = Object.keys(doc.chosenUsers).length;
      if (chosen > 0) {
        await local().set({ [CHOSEN_USERS_KEY]: { ...chosenBefore, ...doc.chosenUsers } });
        applied.push(`"I am …" for ${plural(chosen, 'sub-account')}`);
      }
    } catch {
      await rollback(touched, before, sendBefore, chosenBefore).catch(() => {});
      throw new PublicError('The import failed part way and was undone: try again.');
    }
    const fileIds = new Set(doc.subAccounts.map((s) => s.locationId));
    const others = [...before.keys()].filter((id) => !fileIds.has(id)).length;
    if (others > 0) {
      applied.push(`${plural(others, 'sub-account')} not in the file left as they were`);
    }
    const needsPermission: string[] = [];
    for (const origin of new Set(origins)) {
      if (added.includes(origin)) applied.push(`${origin}: already added`);
      else needsPermission.push(origin);
    }
    return { applied, needsPermission, secretsLeftOut: [...SECRETS_LEFT_OUT] };
  }

  async function rollback(
    touched: string[],
    before: Map<string, LocationInfo>,
    send: SendSettings,
    chosen: Record<string, string>,
  ): Promise<void> {
    for (const id of touched) {
      const known = before.get(id);
      if (known === undefined) await services.store.removeLocation(id);
      else await services.store.setLocationSettings(id, settingsOf(known));
    }
    await deps.send.saveSettings(send);
    await local().set({ [CHOSEN_USERS_KEY]: chosen });
  }

  async function reset(): Promise<string[]> {
    const locations = await services.store.listLocations();
    for (const location of locations) {
      if ((await services.sync.status(location.locationId)).running) {
        throw new PublicError(
          `${label(location)} is syncing: wait for the sync to finish, then reset. Nothing was deleted.`,
        );
      }
    }
    try {
      await services.store.clearAll();
    } catch (error) {
      if (error instanceof SyncStateError && error.code === 'busy') {
        throw new PublicError(
          'A sync is running: wait for it to finish, then reset. Nothing was deleted.',
        );
      }
      throw error;
    }
    const deleted = [
      `${plural(locations.length, 'sub-account')} with their synced data, audit logs, outbox and send log`,
    ];

    const saved = await secrets.describeSecrets();
    if (saved.twilio !== null) {
      await secrets.removeTwilioCredentials();
      deleted.push('the Twilio credentials');
    }
    for (const token of saved.highLevel) await secrets.removeHighLevelToken(token.scope);
    if (saved.highLevel.length > 0) deleted.push(plural(saved.highLevel.length, 'HighLevel token'));

    let removedHosts = 0;
    try {
      const registry = hosts();
      for (const host of await registry.list()) {
        await registry.remove(host.origin);
        removedHosts += 1;
      }
      // Unregisters any white-label script left without a listed domain.
      await registry.restore();
    } catch {
      // Browsers without scripting.registerContentScripts registered none.
    }
    if (removedHosts > 0) {
      deleted.push(`${plural(removedHosts, 'white-label domain')} and their content scripts`);
    }

    const all = await local().get(null);
    // The test harness's fake API addresses are not the admin's settings.
    const keys = Object.keys(all).filter((key) => !(testMode && key === TEST_API_BASES_KEY));
    if (keys.length > 0) await local().remove(keys);
    await session().clear();
    deleted.push('the send settings, "I am …" choices and page states');
    return deleted;
  }

  return {
    'settings-export': () => exportDocument(),
    'settings-import': ({ document }) => importDocument(document),
    async 'settings-reset'() {
      return { deleted: await reset() };
    },
  };
}
