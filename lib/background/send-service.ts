/**
 * The worker's outbox: lib/send's Outbox over the store, with the channel of
 * each send's route built from the saved credentials, the send settings,
 * the tabs told when a send of their conversation changes, and an alarm to
 * wake the worker for work due after it may have been stopped.
 */
import { browser } from 'wxt/browser';
import type { SendSettings } from '../messaging/send-views';
import type { TabMessage } from '../messaging/tab';
import { isKnownCountry, PhoneBook } from '../rules/phone';
import {
  highLevelChannel,
  Outbox,
  type OutboxTiming,
  type SendChannel,
  twilioChannel,
} from '../send';
import type { SendRow } from '../store';
import { SubaccountKeyError } from '../twilio';
import { readPageStatuses } from './page-statuses';
import type { BackgroundServices } from './services';

/** storage.local key of the send settings (nothing secret). */
export const SEND_SETTINGS_KEY = 'sender-lens:send-settings';
/** The alarm that wakes the worker for sends due later (polls, lookups, 429 waits). */
export const OUTBOX_ALARM = 'sender-lens:outbox';
/** Chrome fires alarms at most this often. */
const MIN_ALARM_DELAY_MS = 30_000;

export interface SendService {
  outbox: Outbox;
  settings(): Promise<SendSettings>;
  saveSettings(change: Partial<SendSettings>): Promise<SendSettings>;
  /** Display form of a number, read with the sub-account's country. */
  display(locationId: string): Promise<(e164: string) => string>;
}

/** Where the send service reaches the browser; tests pass fakes. */
export interface SendServiceDeps {
  local: Pick<typeof browser.storage.local, 'get' | 'set'>;
  session: Pick<typeof browser.storage.session, 'get'>;
  sendToTab(tabId: number, message: TabMessage): Promise<unknown>;
  alarms?: Pick<typeof browser.alarms, 'create'>;
  setTimer?(run: () => void, ms: number): void;
  timing?: Partial<OutboxTiming>;
  /** How long changes gather before the tabs are told; default 100 ms, 0 for the same turn. */
  notifyAfterMs?: number;
}

function defaultDeps(): SendServiceDeps {
  return {
    local: browser.storage.local,
    session: browser.storage.session,
    sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message),
    alarms: browser.alarms,
    setTimer: (run, ms) => {
      setTimeout(run, ms);
    },
  };
}

function readSettings(stored: unknown): SendSettings {
  const value = (stored ?? {}) as Partial<SendSettings>;
  return {
    omitBodies: value.omitBodies === true,
    routes: value.routes && typeof value.routes === 'object' ? { ...value.routes } : {},
  };
}

export function createSendService(
  services: BackgroundServices,
  overrides: Partial<SendServiceDeps> = {},
): SendService {
  const deps: SendServiceDeps = { ...defaultDeps(), ...overrides };
  const books = new Map<string, PhoneBook>();

  const settings = async (): Promise<SendSettings> =>
    readSettings((await deps.local.get(SEND_SETTINGS_KEY))[SEND_SETTINGS_KEY]);

  // A burst of changes to one conversation's sends makes one message per tab:
  // a thousand sends change state thousands of times.
  const pending = new Map<string, { locationId: string; conversationId: string }>();
  let flushing = false;
  const flush = async () => {
    const batch = [...pending.values()];
    pending.clear();
    const statuses = await readPageStatuses(deps.session);
    await Promise.all(
      batch.flatMap(({ locationId, conversationId }) =>
        [...statuses]
          .filter(([, s]) => s.locationId === locationId && s.conversationId === conversationId)
          .map(([tabId]) =>
            deps
              .sendToTab(tabId, { type: 'sends-changed', locationId, conversationId })
              .catch(() => undefined),
          ),
      ),
    );
  };
  const onChange = (row: SendRow) => {
    pending.set(`${row.locationId}/${row.conversationId}`, {
      locationId: row.locationId,
      conversationId: row.conversationId,
    });
    if (flushing) return;
    flushing = true;
    const run = () => {
      flushing = false;
      void flush().catch(() => undefined);
    };
    const wait = deps.notifyAfterMs ?? 100;
    if (wait === 0) queueMicrotask(run);
    else setTimeout(run, wait);
  };

  const outbox = new Outbox({
    rows: services.store.outbox,
    now: () => services.now(),
    async channel(row) {
      if (row.route === 'highlevel') {
        const client = await services.highlevel(row.locationId);
        return client && highLevelChannel(client);
      }
      try {
        const client = await services.twilio(row.locationId);
        return client && twilioChannel(client);
      } catch (error) {
        if (error instanceof SubaccountKeyError) return refusingChannel(error);
        throw error;
      }
    },
    onChange,
    omitBodies: async () => (await settings()).omitBodies,
    ...(deps.setTimer ? { setTimer: deps.setTimer } : {}),
    wakeAt: (atMs) => {
      const when = Math.max(atMs, services.now() + MIN_ALARM_DELAY_MS);
      void Promise.resolve(deps.alarms?.create(OUTBOX_ALARM, { when })).catch(() => undefined);
    },
    ...(deps.timing ? { timing: deps.timing } : {}),
  });

  return {
    outbox,
    settings,
    async saveSettings(change) {
      const next = { ...(await settings()), ...change };
      await deps.local.set({ [SEND_SETTINGS_KEY]: next });
      return next;
    },
    async display(locationId) {
      const location = (await services.store.listLocations()).find(
        (l) => l.locationId === locationId,
      );
      const country = location && isKnownCountry(location.country) ? location.country : 'US';
      let book = books.get(country);
      if (book === undefined) {
        book = new PhoneBook(country);
        books.set(country, book);
      }
      const found = book;
      return (e164) => found.display(e164);
    },
  };
}

/**
 * A channel whose every call fails with `error`, for a send queued before
 * the credentials became unable to reach its sub-account's Twilio account:
 * the send fails with the error's fixed sentence instead of waiting forever.
 */
function refusingChannel(error: Error): SendChannel {
  const refuse = async (): Promise<never> => {
    throw error;
  };
  return { post: refuse, lookup: refuse, status: refuse };
}

/** Works on due sends when the outbox alarm fires; other alarms are not ours. */
export function handleOutboxAlarm(send: SendService, alarm: { name: string }): boolean {
  if (alarm.name !== OUTBOX_ALARM) return false;
  send.outbox.kick();
  return true;
}
