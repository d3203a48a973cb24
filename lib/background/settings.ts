/**
 * The background's answers to the options page and popup: saving, checking
 * and removing credentials, choosing sub-accounts, running syncs and adding
 * white-label domains. Secrets are read and written only here; answers carry
 * masks, and every error the page sees is a PublicError in plain words.
 */
import { isTestMode } from '../hosts';
import { isApiError } from '../http/errors';
import { type Handlers, PublicError } from '../messaging/background';
import {
  type CheckLine,
  type HighLevelCheck,
  type LocationView,
  readWhiteLabelOrigin,
  type SettingsView,
  type SyncView,
  type settingsRequests,
} from '../messaging/requests/settings';
import * as secretsModule from '../secrets';
import { redactSecrets, SecretInputError, type SecretsStore } from '../secrets';
import { type LocationInfo, StoreInputError, SyncStateError } from '../store';
import { SUBACCOUNT_KEY_REFUSAL, SubaccountKeyError } from '../twilio';
import { HostError, type HostRegistry, whiteLabelHosts } from './hosts';
import type { BackgroundServices, SyncStatus } from './services';
import {
  accountToStore,
  checkMainAccount,
  checkSubaccounts,
  listTwilioAccounts,
  twilioProblem,
} from './settings-twilio';

/** The secrets operations the handlers use. */
export type SettingsSecrets = Pick<
  SecretsStore,
  | 'saveTwilioCredentials'
  | 'loadTwilioCredentials'
  | 'removeTwilioCredentials'
  | 'saveHighLevelToken'
  | 'removeHighLevelToken'
  | 'describeSecrets'
>;

export interface SettingsDeps {
  /** Defaults to lib/secrets' shared store. */
  secrets?: SettingsSecrets;
  /** Defaults to the browser's permissions and scripting APIs, made on first use. */
  hosts?: HostRegistry;
  /** The build mode; test and demo builds accept loopback http:// domains. */
  mode?: string;
}

const UNEXPECTED = 'Sender Lens hit an internal error; try again.';

// Numbers and staff beyond this are not counted: a check must stay quick.
const COUNT_LIMIT = 10_000;

/** A failure in words the page may show: the API's own explanation, masked. */
function plainFailure(error: unknown, fallback: string): string {
  if (isApiError(error) || error instanceof PublicError) return redactSecrets(error.message);
  return fallback;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function isNewer(a: string, b: string | null): boolean {
  return b === null || Date.parse(a) > Date.parse(b);
}

/** Handlers of the extension pages' settings requests. */
export function settingsHandlers(
  services: BackgroundServices,
  deps: SettingsDeps = {},
): Handlers<typeof settingsRequests> {
  const secrets: SettingsSecrets = deps.secrets ?? secretsModule;
  const mode = deps.mode ?? import.meta.env.MODE;
  const testMode = isTestMode(mode);
  const hosts = () => deps.hosts ?? whiteLabelHosts();

  // Syncs started from here, so a page polling right after "Sync now" sees
  // one running even before the sync service has written its first state.
  const inFlight = new Map<string, Promise<void>>();
  // A run that failed before the sync service could record why (no
  // credentials, a bug): kept so the page can still say what happened.
  const runErrors = new Map<string, { message: string; at: string }>();

  function toSyncView(locationId: string, status: SyncStatus): SyncView {
    const running = status.running || inFlight.has(locationId);
    let lastError = status.lastError;
    const runError = runErrors.get(locationId);
    if (runError && (lastError === null || isNewer(runError.at, lastError.at)))
      lastError = runError;
    if (lastError !== null && !isNewer(lastError.at, status.lastSuccessAt)) lastError = null;
    return {
      running,
      progress: running ? status.progress : null,
      lastSuccessAt: status.lastSuccessAt,
      lastError: lastError && { message: redactSecrets(lastError.message), at: lastError.at },
      lastSync: status.lastSync,
      interrupted: !running && status.staging !== null,
    };
  }

  async function syncView(locationId: string): Promise<SyncView> {
    return toSyncView(locationId, await services.sync.status(locationId));
  }

  async function findLocation(locationId: string): Promise<LocationInfo> {
    const found = (await services.store.listLocations()).find((l) => l.locationId === locationId);
    if (!found) {
      throw new PublicError(
        `No sub-account ${locationId} is set up: add it with its HighLevel token first.`,
      );
    }
    return found;
  }

  async function hostsView(): Promise<SettingsView['hosts']> {
    try {
      return await hosts().list();
    } catch {
      // Browsers without scripting.registerContentScripts or permissions.
      return null;
    }
  }

  async function view(): Promise<SettingsView> {
    const [description, credentials, locations, hostList] = await Promise.all([
      secrets.describeSecrets(),
      secrets.loadTwilioCredentials(),
      services.store.listLocations(),
      hostsView(),
    ]);
    const agency = description.highLevel.find((t) => t.scope === 'agency') ?? null;
    const views: LocationView[] = await Promise.all(
      locations.map(async (location) => {
        const own = description.highLevel.find((t) => t.scope === location.locationId);
        const token = own
          ? { scope: 'location' as const, hint: own.token, savedAt: own.savedAt }
          : agency && { scope: 'agency' as const, hint: agency.token, savedAt: agency.savedAt };
        const out: LocationView = {
          locationId: location.locationId,
          country: location.country,
          selectedForSync: location.selectedForSync,
          hasData: location.hasData,
          token,
          sync: await syncView(location.locationId),
        };
        if (location.name !== undefined) out.name = location.name;
        if (location.twilioAccountSid !== undefined)
          out.twilioAccountSid = location.twilioAccountSid;
        const problem = twilioProblem(credentials, location.twilioAccountSid);
        if (problem !== undefined) out.twilioProblem = problem;
        if (location.fullSyncDue) out.fullSyncDue = true;
        if (location.lcPhone) out.lcPhone = true;
        return out;
      }),
    );
    views.sort((a, b) => (a.name ?? a.locationId).localeCompare(b.name ?? b.locationId));
    return {
      twilio: description.twilio,
      agencyToken: agency && { hint: agency.token, savedAt: agency.savedAt },
      locations: views,
      hosts: hostList,
      testMode,
    };
  }

  /** Runs `work`, turning the input errors of secrets and store into plain PublicErrors. */
  async function plainly<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // Both name the field and never hold the value.
      if (error instanceof SecretInputError || error instanceof StoreInputError) {
        throw new PublicError(error.message);
      }
      throw error;
    }
  }

  async function checkHighLevel(location: LocationInfo): Promise<HighLevelCheck> {
    const { locationId } = location;
    const fail = (line: CheckLine): HighLevelCheck => ({ locationId, ...line });
    try {
      const client = await services.highlevel(locationId);
      if (client === null) {
        return fail({ ok: false, message: 'No HighLevel token saved for this sub-account.' });
      }
      const place = await client.getLocation(locationId);
      let numbers = 0;
      for await (const page of client.listPhoneNumbers(locationId)) {
        numbers += page.items.length;
        if (numbers >= COUNT_LIMIT) break;
      }
      let staff = 0;
      for await (const page of client.listStaff(locationId)) {
        staff += page.items.filter((u) => u.deleted !== true).length;
      }
      const name = place.name ?? location.name;
      // Fill in what the admin has not set themselves; a failure here must not fail the check.
      if (location.name === undefined && place.name !== undefined) {
        const settings: { name: string; country?: string } = { name: place.name };
        if (place.country !== undefined) settings.country = place.country;
        await services.store.setLocationSettings(locationId, settings).catch(() => {});
      }
      const out: HighLevelCheck = {
        locationId,
        ok: true,
        message: `Connected to ${name ?? locationId}: ${plural(numbers, 'number')}, ${staff.toLocaleString('en-US')} staff`,
        numbers,
        staff,
      };
      if (name !== undefined) out.name = name;
      return out;
    } catch (error) {
      return fail({
        ok: false,
        message: plainFailure(error, `Checking HighLevel failed. ${UNEXPECTED}`),
      });
    }
  }

  function whiteLabel(origin: string) {
    const checked = readWhiteLabelOrigin(origin, { allowLoopbackHttp: testMode });
    if (!checked.ok) throw new PublicError(checked.message);
    if (checked.origin !== origin) {
      throw new PublicError(`Send the domain as an origin, e.g. ${checked.origin}.`);
    }
    return checked;
  }

  async function viaHosts<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HostError) throw new PublicError(error.message);
      throw error;
    }
  }

  return {
    'settings-get': () => view(),

    async 'twilio-save'(credentials) {
      await plainly(() => secrets.saveTwilioCredentials(credentials));
      return view();
    },

    'twilio-accounts': () => listTwilioAccounts(services, secrets),

    async 'twilio-account-set'({ locationId, accountSid }) {
      await findLocation(locationId);
      const twilioAccountSid = await accountToStore(secrets, accountSid);
      // A sync started with the old account would commit its data as the new one's.
      if (inFlight.has(locationId) || (await services.sync.status(locationId)).running) {
        throw new PublicError(
          'A sync of this sub-account is running: wait for it to finish, then change its Twilio account.',
        );
      }
      await plainly(() => services.store.setLocationSettings(locationId, { twilioAccountSid }));
      return view();
    },

    async 'highlevel-save'({ locationId, token, agency }) {
      await plainly(() => secrets.saveHighLevelToken(agency ? 'agency' : locationId, token));
      const known = (await services.store.listLocations()).some((l) => l.locationId === locationId);
      if (!known) await plainly(() => services.store.setLocationSettings(locationId, {}));
      return view();
    },

    async 'credentials-check'() {
      const locations = await services.store.listLocations();
      const [twilio, twilioSubaccounts, highLevel] = await Promise.all([
        checkMainAccount(services),
        checkSubaccounts(services, locations),
        Promise.all(locations.map((location) => checkHighLevel(location))),
      ]);
      return { twilio, twilioSubaccounts, highLevel };
    },

    async 'credentials-remove'(what) {
      if (what.provider === 'twilio') await secrets.removeTwilioCredentials();
      else await plainly(() => secrets.removeHighLevelToken(what.scope));
      return view();
    },

    async 'location-set'({ locationId, ...settings }) {
      await findLocation(locationId);
      await plainly(() => services.store.setLocationSettings(locationId, settings));
      return view();
    },

    async 'location-remove'({ locationId }) {
      await findLocation(locationId);
      const busy = new PublicError(
        'A sync of this sub-account is running: wait for it to finish, then remove it.',
      );
      if (inFlight.has(locationId)) throw busy;
      try {
        await services.store.removeLocation(locationId);
      } catch (error) {
        if (error instanceof SyncStateError && error.code === 'busy') throw busy;
        throw error;
      }
      await secrets.removeHighLevelToken(locationId);
      runErrors.delete(locationId);
      return view();
    },

    async 'sync-now'({ locationId, kind }) {
      const location = await findLocation(locationId);
      if (inFlight.has(locationId)) return syncView(locationId);
      let twilio: Awaited<ReturnType<BackgroundServices['twilio']>>;
      try {
        twilio = await services.twilio(locationId);
      } catch (error) {
        if (error instanceof SubaccountKeyError) throw new PublicError(SUBACCOUNT_KEY_REFUSAL);
        throw error;
      }
      if (twilio === null) throw new PublicError('Save your Twilio credentials before syncing.');
      if ((await services.highlevel(locationId)) === null) {
        throw new PublicError(
          `Save a HighLevel token for ${location.name ?? locationId} before syncing.`,
        );
      }
      runErrors.delete(locationId);
      // Not awaited: a sync can take minutes, and the page polls sync-status.
      const run = Promise.resolve()
        .then(() => services.sync.run(locationId, kind))
        .then(
          () => {},
          (error: unknown) => {
            runErrors.set(locationId, {
              message: plainFailure(error, `The sync stopped. ${UNEXPECTED}`),
              at: new Date(services.now()).toISOString(),
            });
          },
        );
      const tracked = run.finally(() => inFlight.delete(locationId));
      inFlight.set(locationId, tracked);
      return syncView(locationId);
    },

    async 'sync-status'({ locationId }) {
      await findLocation(locationId);
      return syncView(locationId);
    },

    'hosts-list': () => viaHosts(() => hosts().list()),

    'host-add': ({ origin }) => {
      const checked = whiteLabel(origin);
      return viaHosts(() => hosts().add({ origin: checked.origin, pattern: checked.pattern }));
    },

    'host-remove': ({ origin }) => viaHosts(() => hosts().remove(origin)),
  };
}
