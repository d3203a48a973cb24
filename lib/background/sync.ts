/**
 * The background's sync service: syncs on demand and on an alarm, one at a
 * time per sub-account, with live progress, and fetches contacts on demand.
 *
 * A service worker is stopped when idle; a sync keeps it alive only by
 * working (Chrome keeps the worker alive while its fetches and extension
 * API calls are under way), never by pings. If the worker dies mid-sync, the
 * store keeps the unfinished sync's staging row (getSyncState shows it with
 * `running: false`) and the previous data in use; the next run (the alarm,
 * at most 15 minutes later, or "sync now") discards it and starts again from
 * the last committed cursor. The store's `resumeSync` is not used: history
 * is folded in memory and written once at the end, so a dead sync left
 * nothing worth resuming.
 */
import { createContactFetcher, runSync, type SyncProgress } from '../sync';
import type { BackgroundServices, SyncService, SyncStatus } from './services';

/** The alarm that runs scheduled syncs. */
export const SYNC_ALARM = 'sender-lens:sync';
/** Minutes between scheduled syncs. */
export const SYNC_PERIOD_MINUTES = 15;

export interface SyncServiceOptions {
  /** How far before the last cursor an incremental sync reads again; default 10 minutes. */
  overlapMs?: number;
  /** Twilio messages per page; default 1,000. */
  pageSize?: number;
  /** How long a fetched contact is used before HighLevel is asked again; default 5 minutes. */
  contactMaxAgeMs?: number;
  /** Called after a sync of a location committed, e.g. to tell open tabs. */
  onSynced?: (locationId: string) => void;
}

/** The sync service over the background's store and clients. */
export function createSyncService(
  services: Omit<BackgroundServices, 'sync'>,
  options: SyncServiceOptions = {},
): SyncService {
  const { store } = services;
  const running = new Map<
    string,
    { promise: Promise<SyncStatus>; progress: SyncProgress | null }
  >();
  const ensureContact = createContactFetcher({
    store,
    highlevel: (locationId) => services.highlevel(locationId),
    now: () => services.now(),
    ...(options.contactMaxAgeMs === undefined ? {} : { maxAgeMs: options.contactMaxAgeMs }),
  });

  async function status(locationId: string): Promise<SyncStatus> {
    const state = await store.getSyncState(locationId);
    return { ...state, progress: running.get(locationId)?.progress ?? null };
  }

  function run(locationId: string, kind: 'full' | 'incremental'): Promise<SyncStatus> {
    const current = running.get(locationId);
    // A second call while one runs gets the running one, whatever its kind.
    if (current !== undefined) return current.promise;
    const entry: { promise: Promise<SyncStatus>; progress: SyncProgress | null } = {
      promise: Promise.resolve(null as unknown as SyncStatus),
      progress: null,
    };
    entry.promise = (async () => {
      try {
        // Data synced from another Twilio account must be replaced, not topped up.
        const location = (await store.listLocations()).find((l) => l.locationId === locationId);
        await runSync({
          store,
          locationId,
          kind: location?.fullSyncDue ? 'full' : kind,
          twilio: () => services.twilio(locationId),
          lcPhone: location?.lcPhone === true,
          highlevel: () => services.highlevel(locationId),
          now: () => services.now(),
          onProgress: (progress) => {
            entry.progress = progress;
          },
          ...(options.overlapMs === undefined ? {} : { overlapMs: options.overlapMs }),
          ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
        });
        options.onSynced?.(locationId);
      } finally {
        running.delete(locationId);
      }
      return { ...(await store.getSyncState(locationId)), progress: null };
    })();
    running.set(locationId, entry);
    return entry.promise;
  }

  async function runScheduled(): Promise<Record<string, SyncStatus>> {
    const out: Record<string, SyncStatus> = {};
    for (const location of await store.listLocations()) {
      if (!location.selectedForSync) continue;
      // One after another: two syncs at once would only compete for the network.
      out[location.locationId] = await run(
        location.locationId,
        location.hasData ? 'incremental' : 'full',
      );
    }
    return out;
  }

  return { run, status, runScheduled, ensureContact };
}

/** What the alarm code needs of `browser.alarms`. */
export interface AlarmsApi {
  get(name: string): Promise<{ name: string; periodInMinutes?: number } | undefined>;
  create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): unknown;
}

/**
 * Creates the sync alarm unless it already exists with the right period:
 * re-creating it on every worker start would push the next sync back each time.
 */
export async function ensureSyncAlarm(alarms: AlarmsApi): Promise<void> {
  const existing = await alarms.get(SYNC_ALARM);
  if (existing?.periodInMinutes === SYNC_PERIOD_MINUTES) return;
  await alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES, delayInMinutes: 1 });
}

/** Runs the scheduled syncs when the sync alarm fires; other alarms are not ours. */
export async function handleSyncAlarm(
  sync: SyncService,
  alarm: { name: string },
): Promise<Record<string, SyncStatus> | null> {
  if (alarm.name !== SYNC_ALARM) return null;
  return sync.runScheduled();
}
