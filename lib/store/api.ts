/**
 * What the store's callers see: its options, the shapes it answers with, and
 * the error a sync gets when it cannot go on.
 */

import type { Snapshot, SnapshotContact } from '../rules/types';
import type { ContactHistory, FoldableMessage, optOutState } from './facts';
import type { AuditKind, AuditRow, StagingState, SyncStateRow } from './schema';

/** A sync cannot go on: another is running, it was replaced, it is closed or incomplete. */
export class SyncStateError extends Error {
  constructor(
    readonly code: 'busy' | 'superseded' | 'closed' | 'incomplete' | 'no-base',
    message: string,
  ) {
    super(message);
    this.name = 'SyncStateError';
  }
}

export interface StoreOptions {
  /** Defaults to the global `indexedDB`; tests pass a fresh fake per case. */
  factory?: IDBFactory;
  /** Database name; defaults to `sender-lens`. */
  name?: string;
  /** Milliseconds since the epoch; tests fix it. */
  now?: () => number;
}

export interface LocationSettings {
  name?: string;
  /** ISO 3166 alpha-2, for reading national phone formats. */
  country?: string;
  selectedForSync?: boolean;
  /** The Twilio subaccount to read and send through; null goes back to the main account. */
  twilioAccountSid?: string | null;
  /** Whether the sub-account is on LC Phone (HighLevel's own phone system) rather than Twilio. */
  lcPhone?: boolean;
}

export interface LocationInfo {
  locationId: string;
  name?: string;
  country: string;
  selectedForSync: boolean;
  /** The Twilio subaccount this sub-account uses; absent: the main account. */
  twilioAccountSid?: string;
  /**
   * The data was synced from another Twilio account than the one set now, so
   * an incremental sync would mix the two: the next sync must be full.
   */
  fullSyncDue?: true;
  /** On LC Phone, HighLevel's own phone system: nothing of it is in a Twilio log. */
  lcPhone?: true;
  syncedAt: string | null;
  /** A full sync has committed: a snapshot can be built. */
  hasData: boolean;
}

/** A number picked in the extension's switcher that no manual send has superseded yet. */
export interface PendingPick {
  contactId: string;
  number: string;
  userId?: string;
  at: string;
}

export interface StoreSnapshot {
  /** Shared with the cache: treat as read-only. */
  snapshot: Snapshot;
  syncedAt: string | null;
  generation: number;
  revision: number;
  /**
   * Picks made in the extension's switcher, by contact. They are not messages
   * (nothing was sent yet), so they are not in `snapshot.messages`: RULES.md
   * derives the last manual pick from sent messages only. The background
   * passes a contact's pending pick to the resolver as `send.pick` when it
   * resolves a composer send for that contact. A pick stops being pending
   * once a manual outbound message to the contact at or after it is synced,
   * or when lib/send clears it after sending.
   */
  pendingPicks: Record<string, PendingPick>;
}

/** A message of a sync page: a foldable message and the contact it was exchanged with. */
export type PageMessage = FoldableMessage & { contactId: string };

export interface SyncStateInfo {
  cursors: Record<string, string>;
  lastSuccessAt: string | null;
  lastError: { message: string; at: string } | null;
  lastSync: SyncStateRow['lastSync'];
  /** A sync has started and neither committed nor aborted (it may have died with the worker). */
  staging: Pick<StagingState, 'kind' | 'startedAt' | 'progress'> | null;
  /** A sync of this location is running in this context now. */
  running: boolean;
}

export interface AuditInput {
  locationId: string;
  kind: AuditKind;
  outcome?: 'ok' | 'error';
  /** One line a person can read. Anything shaped like a credential is masked. */
  summary: string;
  detail?: Record<string, string | number | boolean | null>;
  at?: string;
}

export interface AuditEntry extends Omit<AuditRow, 'seq'> {
  seq: number;
}

/** A contact fetched from HighLevel on demand, and when. */
export interface CachedContact {
  contact: SnapshotContact;
  fetchedAt: string;
  fetchedAtMs: number;
}

export interface ContactDetails {
  contact: SnapshotContact;
  facts: ContactHistory | null;
  optOut: ReturnType<typeof optOutState>;
  pendingPick: PendingPick | null;
}
