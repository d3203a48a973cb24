/**
 * The options page's controller: it holds what the background said, sends the
 * settings requests and polls a running sync. The views in
 * components/options only show what they are given and call back, but for
 * the send settings, the send log and the numbers and staff tables, which are
 * lent the page's api and make their own requests.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { BackupSection } from '../../components/options/BackupSection';
import { CheckSection } from '../../components/options/CheckSection';
import { HighLevelSection } from '../../components/options/HighLevelSection';
import { type AddStep, HostsSection } from '../../components/options/HostsSection';
import { IAmSection } from '../../components/options/IAmSection';
import { NumbersSection } from '../../components/options/NumbersSection';
import { SendLogSection } from '../../components/options/SendLogSection';
import { SendSettingsSection } from '../../components/options/SendSettingsSection';
import { ShortcutSection } from '../../components/options/ShortcutSection';
import { SyncSection } from '../../components/options/SyncSection';
import { LC_PHONE } from '../../components/options/TwilioAccountRow';
import { TwilioAccountsSection } from '../../components/options/TwilioAccountsSection';
import { TwilioSection } from '../../components/options/TwilioSection';
import type { Outcome } from '../../components/options/types';
import { MessagingError } from '../../lib/messaging/client';
import type { PayloadOf, Requests, RequestType, ResponseOf } from '../../lib/messaging/protocol';
import type { ChosenUserView } from '../../lib/messaging/requests/conversation';
import {
  type HighLevelSavePayload,
  highLevelSavePayload,
  readWhiteLabelOrigin,
  type SettingsView,
  type SyncView,
  type TwilioAccountSetPayload,
  type TwilioSavePayload,
  twilioAccountSetPayload,
  twilioSavePayload,
} from '../../lib/messaging/requests/settings';
import { parse, type Schema } from '../../lib/messaging/schema';

/** How the page reaches the background and the browser; tests pass fakes. */
export interface OptionsApi {
  send<K extends RequestType>(
    type: K,
    payload: PayloadOf<Requests[K]>,
  ): Promise<ResponseOf<Requests[K]>>;
  /** `permissions.request` for one match pattern; must be called inside a user gesture. */
  requestPermission(pattern: string): Promise<boolean>;
}

export interface OptionsAppProps {
  api: OptionsApi;
  /** How often a running sync is polled; ~300 ms keeps the bar lively and the worker awake. */
  pollMs?: number;
  clock?: () => number;
  /** How long the browser's permission prompt may stay unanswered before the page gives up on it. */
  permissionTimeoutMs?: number;
}

/** Said when the permission prompt was not answered in time. */
export const NO_PERMISSION_ANSWER = "No answer from the browser's permission prompt; try again.";

const UNEXPECTED = 'Something went wrong; try again.';
// About 6 s of unanswered polls at 300 ms: longer than a service worker restart.
const MAX_POLL_FAILURES = 20;

function failed(error: unknown): Extract<Outcome, { ok: false }> {
  if (!(error instanceof MessagingError)) return { ok: false, message: UNEXPECTED };
  if (error.path) {
    const marker = `${error.path}: `;
    const at = error.message.indexOf(marker);
    return {
      ok: false,
      field: error.path,
      message: at >= 0 ? error.message.slice(at + marker.length) : error.message,
    };
  }
  return { ok: false, message: error.message };
}

function messageOf(error: unknown): string {
  return error instanceof MessagingError ? error.message : UNEXPECTED;
}

/** Checks a payload here first, so a typo is named at once and nothing is sent. */
function precheck<T>(schema: Schema<T>, payload: T): Extract<Outcome, { ok: false }> | null {
  const parsed = parse(schema, payload);
  if (parsed.ok) return null;
  const out: Extract<Outcome, { ok: false }> = { ok: false, message: parsed.issue.message };
  if (parsed.issue.path !== '') out.field = parsed.issue.path;
  return out;
}

/** The whole options page. */
export function OptionsApp({
  api,
  pollMs = 300,
  clock = Date.now,
  permissionTimeoutMs = 60_000,
}: OptionsAppProps) {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [now, setNow] = useState(clock);
  const [syncBusy, setSyncBusy] = useState(false);
  const [syncNotice, setSyncNotice] = useState<string | null>(null);
  const [chosenUsers, setChosenUsers] = useState<ChosenUserView[] | null | string>(null);
  const apiRef = useRef(api);
  apiRef.current = api;

  const load = useCallback(async () => {
    try {
      setSettings(await apiRef.current.send('settings-get', {}));
      setLoadError(null);
    } catch (error) {
      setLoadError(messageOf(error));
    }
    setNow(clock());
    // Names come from the synced staff, so they are read again with the rest.
    try {
      setChosenUsers(await apiRef.current.send('i-am-list', {}));
    } catch (error) {
      setChosenUsers(messageOf(error));
    }
  }, [clock]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => setNow(clock()), 30_000);
    return () => clearInterval(timer);
  }, [load, clock]);

  const setSync = (locationId: string, sync: SyncView) =>
    setSettings(
      (current) =>
        current && {
          ...current,
          locations: current.locations.map((l) =>
            l.locationId === locationId ? { ...l, sync } : l,
          ),
        },
    );

  // Poll while any sync runs. Polling, not a push channel: each poll is a
  // fresh request, so it survives the service worker being restarted.
  const running = settings?.locations.filter((l) => l.sync.running).map((l) => l.locationId) ?? [];
  const runningKey = running.join('\n');
  useEffect(() => {
    if (runningKey === '') return;
    const ids = runningKey.split('\n');
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const answers = await Promise.all(
        ids.map((locationId) =>
          apiRef.current.send('sync-status', { locationId }).then(
            (sync) => ({ locationId, sync }),
            () => null,
          ),
        ),
      );
      if (stopped) return;
      setNow(clock());
      failures = answers.every((a) => a === null) ? failures + 1 : 0;
      if (failures >= MAX_POLL_FAILURES) {
        setSyncNotice(
          "Lost touch with Sender Lens's background while syncing; reload this page to see where the sync got to.",
        );
        return;
      }
      let finished = false;
      for (const answer of answers) {
        if (answer === null) continue;
        setSync(answer.locationId, answer.sync);
        if (!answer.sync.running) finished = true;
      }
      // A finished sync changes more than its status (data, names): read it all again.
      if (finished) await load();
      if (!stopped) timer = setTimeout(tick, pollMs);
    };
    timer = setTimeout(tick, pollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [runningKey, pollMs, load, clock]);

  const saveTwilio = async (credentials: TwilioSavePayload): Promise<Outcome> => {
    const invalid = precheck(twilioSavePayload, credentials);
    if (invalid) return invalid;
    try {
      setSettings(await api.send('twilio-save', credentials));
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  };

  const saveHighLevel = async (input: HighLevelSavePayload): Promise<Outcome> => {
    const invalid = precheck(highLevelSavePayload, input);
    if (invalid) return invalid;
    try {
      setSettings(await api.send('highlevel-save', input));
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  };

  const change = async (work: () => Promise<SettingsView>): Promise<Outcome> => {
    try {
      setSettings(await work());
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  };

  const listTwilioAccounts = async () => {
    try {
      return await api.send('twilio-accounts', {});
    } catch (error) {
      return { error: messageOf(error) };
    }
  };

  const setTwilioAccount = async (
    locationId: string,
    accountSid: string | undefined | typeof LC_PHONE,
  ): Promise<Outcome> => {
    const onLcPhone = settings?.locations.find((l) => l.locationId === locationId)?.lcPhone;
    if (accountSid === LC_PHONE) {
      return change(() => api.send('location-set', { locationId, lcPhone: true }));
    }
    if (onLcPhone) {
      const off = await change(() => api.send('location-set', { locationId, lcPhone: false }));
      if (!off.ok) return off;
    }
    const payload: TwilioAccountSetPayload =
      accountSid === undefined ? { locationId } : { locationId, accountSid };
    const invalid = precheck(twilioAccountSetPayload, payload);
    if (invalid) return invalid;
    return change(() => api.send('twilio-account-set', payload));
  };

  const check = async () => {
    try {
      const result = await api.send('credentials-check', {});
      // The check fills in sub-account names the admin had not typed.
      void load();
      return result;
    } catch (error) {
      return { error: messageOf(error) };
    }
  };

  const select = async (locationId: string, selectedForSync: boolean) => {
    const mark = (selected: boolean) =>
      setSettings(
        (current) =>
          current && {
            ...current,
            locations: current.locations.map((l) =>
              l.locationId === locationId ? { ...l, selectedForSync: selected } : l,
            ),
          },
      );
    // The box shows the click at once; it goes back if the background refuses.
    mark(selectedForSync);
    setSyncBusy(true);
    setSyncNotice(null);
    try {
      setSettings(await api.send('location-set', { locationId, selectedForSync }));
    } catch (error) {
      mark(!selectedForSync);
      setSyncNotice(messageOf(error));
    }
    setSyncBusy(false);
  };

  const syncNow = async () => {
    if (!settings) return;
    setSyncNotice(null);
    const targets = settings.locations.filter((l) => l.selectedForSync && !l.sync.running);
    const problems: string[] = [];
    await Promise.all(
      targets.map(async (location) => {
        try {
          const sync = await api.send('sync-now', {
            locationId: location.locationId,
            kind: location.hasData ? 'incremental' : 'full',
          });
          setSync(location.locationId, sync);
        } catch (error) {
          problems.push(`${location.name ?? location.locationId}: ${messageOf(error)}`);
        }
      }),
    );
    setNow(clock());
    if (problems.length > 0) setSyncNotice(problems.join(' '));
  };

  const registerHost = async (origin: string): Promise<void> => {
    const hosts = await api.send('host-add', { origin });
    setSettings((current) => current && { ...current, hosts });
  };

  // Called straight from the click or submit: the permission prompt needs the
  // user's gesture, so nothing may be awaited before requestPermission.
  const addHost = (typed: string, step: (step: AddStep) => void): Promise<Outcome> => {
    const checked = readWhiteLabelOrigin(typed, {
      allowLoopbackHttp: settings?.testMode ?? false,
    });
    if (!checked.ok) return Promise.resolve({ ok: false, message: checked.message });
    const { origin } = checked;
    const host = new URL(origin).host;
    let asked: Promise<boolean>;
    try {
      asked = api.requestPermission(checked.pattern);
    } catch (error) {
      asked = Promise.reject(error);
    }
    step('asking');
    return (async (): Promise<Outcome> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), permissionTimeoutMs);
      });
      let answer: boolean | 'timeout';
      try {
        answer = await Promise.race([asked, timedOut]);
      } catch {
        return { ok: false, message: `The browser would not ask for access to ${host}.` };
      } finally {
        clearTimeout(timer);
      }
      if (answer === 'timeout') {
        // An Allow given after the page stopped waiting still adds the domain.
        asked
          .then(
            (granted) => (granted ? registerHost(origin) : undefined),
            () => undefined,
          )
          .catch(() => undefined);
        return { ok: false, message: NO_PERMISSION_ANSWER };
      }
      if (!answer) {
        return {
          ok: false,
          message: `Access to ${host} was not allowed, so Sender Lens cannot work there.`,
        };
      }
      step('adding');
      try {
        await registerHost(origin);
        return {
          ok: true,
          message: `${origin} added. Reload its open tabs to see Sender Lens there.`,
        };
      } catch (error) {
        return failed(error);
      }
    })();
  };

  const clearChosenUser = async (locationId: string): Promise<Outcome> => {
    try {
      setChosenUsers(await api.send('i-am-clear', { locationId }));
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  };

  const removeHost = async (origin: string): Promise<Outcome> => {
    try {
      const hosts = await api.send('host-remove', { origin });
      setSettings((current) => current && { ...current, hosts });
      return { ok: true };
    } catch (error) {
      return failed(error);
    }
  };

  return (
    <main class="options">
      <header>
        <h1>Sender Lens</h1>
        <p class="lead">
          Connect Twilio and HighLevel once; Sender Lens then shows which number each SMS will go
          out from, and why, before anyone hits send.
        </p>
      </header>
      {loadError ? (
        <p class="alert" role="alert">
          {loadError}{' '}
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      ) : null}
      {settings === null ? (
        loadError ? null : (
          <p class="muted" role="status">
            Loading settings…
          </p>
        )
      ) : (
        <>
          <TwilioSection
            saved={settings.twilio}
            onSave={saveTwilio}
            onRemove={() => change(() => api.send('credentials-remove', { provider: 'twilio' }))}
          />
          <HighLevelSection
            locations={settings.locations}
            agencyToken={settings.agencyToken}
            onSave={saveHighLevel}
            onRemoveLocation={(locationId) =>
              change(() => api.send('location-remove', { locationId }))
            }
            onRemoveAgencyToken={() =>
              change(() =>
                api.send('credentials-remove', { provider: 'highlevel', scope: 'agency' }),
              )
            }
          />
          <TwilioAccountsSection
            locations={settings.locations}
            saved={settings.twilio}
            onList={listTwilioAccounts}
            onSave={setTwilioAccount}
          />
          <CheckSection onCheck={check} />
          <SyncSection
            locations={settings.locations}
            now={now}
            busy={syncBusy}
            notice={syncNotice}
            onSelect={(locationId, selected) => void select(locationId, selected)}
            onSyncNow={() => void syncNow()}
          />
          <NumbersSection api={api} locations={settings.locations} />
          <IAmSection
            choices={chosenUsers}
            locations={settings.locations}
            onClear={clearChosenUser}
          />
          <HostsSection hosts={settings.hosts} onAdd={addHost} onRemove={removeHost} />
          <SendSettingsSection api={api} locations={settings.locations} />
          <SendLogSection api={api} locations={settings.locations} />
          <ShortcutSection />
          <BackupSection api={api} onChanged={() => void load()} />
        </>
      )}
    </main>
  );
}
