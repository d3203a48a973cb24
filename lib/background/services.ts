/**
 * What the background's handlers share: the store, the secrets, the API
 * clients and the sync service. Built once in the composition root
 * (./index.ts); tests build their own with fakes.
 */
import type { HighLevelClient } from '../highlevel';
import type { Store, SyncStateInfo } from '../store';
import type { EnsuredContact, EnsureOptions, SyncProgress } from '../sync';
import type { TwilioClient } from '../twilio';

export type { EnsuredContact, SyncProgress } from '../sync';

export interface SyncStatus extends SyncStateInfo {
  /** Progress of a sync running now; null when none is. */
  progress: SyncProgress | null;
}

/** Runs syncs: on an alarm, and on demand. */
export interface SyncService {
  /** Starts a sync unless one of this location is running; resolves when it ends. */
  run(locationId: string, kind: 'full' | 'incremental'): Promise<SyncStatus>;
  /** The sync state of a location, with the progress of a running sync. */
  status(locationId: string): Promise<SyncStatus>;
  /**
   * Syncs every sub-account selected for sync, one after another: an
   * incremental sync, or a full one for a sub-account never synced. The
   * alarm calls it.
   */
  runScheduled(): Promise<Record<string, SyncStatus>>;
  /**
   * A contact's phone and DND, fetched from HighLevel unless the cached copy
   * is recent; null when it does not exist in this sub-account. Call it when
   * an agent opens a conversation, before resolving a send to the contact.
   */
  ensureContact(
    locationId: string,
    contactId: string,
    ensure?: EnsureOptions,
  ): Promise<EnsuredContact | null>;
}

export interface ApiBases {
  twilio: string;
  highlevel: string;
}

export interface BackgroundServices {
  store: Store;
  /**
   * Clients built from the saved credentials; null when none are saved. The
   * Twilio client acts on the sub-account's Twilio account (its subaccount,
   * else the main account; the main account without a location), and throws
   * SubaccountKeyError when an API key of the main account would act on a
   * subaccount.
   */
  twilio(locationId?: string): Promise<TwilioClient | null>;
  highlevel(locationId: string): Promise<HighLevelClient | null>;
  sync: SyncService;
  /** Where the API clients point: the real hosts, or the fakes in test and demo builds. */
  apiBases: ApiBases;
  now(): number;
}
