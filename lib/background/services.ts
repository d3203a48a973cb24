/**
 * What the background's handlers share: the store, the secrets, the API
 * clients and the sync service. Built once in the composition root
 * (./index.ts); tests build their own with fakes.
 */
import type { HighLevelClient } from '../highlevel';
import type { Store, SyncStateInfo } from '../store';
import type { TwilioClient } from '../twilio';

/** Progress of a running sync, for the options page's progress bar. */
export interface SyncProgress {
  phase: 'numbers' | 'staff' | 'messages' | 'committing';
  /** Items and pages done so far, and of how many where known. */
  items: number;
  itemsTotal: number | null;
  pages: number;
  pagesTotal: number | null;
}

export interface SyncStatus extends SyncStateInfo {
  progress: SyncProgress | null;
}

/** Runs syncs: on an alarm, and on demand. */
export interface SyncService {
  /** Starts a sync unless one of this location is running; resolves when it ends. */
  run(locationId: string, kind: 'full' | 'incremental'): Promise<SyncStatus>;
  /** The sync state of a location, with the progress of a running sync. */
  status(locationId: string): Promise<SyncStatus>;
}

export interface ApiBases {
  twilio: string;
  highlevel: string;
}

export interface BackgroundServices {
  store: Store;
  /** Clients built from the saved credentials; null when none are saved. */
  twilio(): Promise<TwilioClient | null>;
  highlevel(locationId: string): Promise<HighLevelClient | null>;
  sync: SyncService;
  /** Where the API clients point: the real hosts, or the fakes in test and demo builds. */
  apiBases: ApiBases;
  now(): number;
}
