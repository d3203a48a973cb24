/**
 * The background's answers to the catalogue's requests. Payloads arrive
 * already checked by the router; handlers only do the work.
 */
import { resolveSnapshot } from '../rules';
import type { Snapshot } from '../rules/types';
import { type Handlers, PublicError } from './background';
import type { coreRequests } from './protocol';

/** Where the background gets a sub-account's synced data from (the IndexedDB store). */
export interface SnapshotSource {
  /**
   * The latest snapshot of `locationId` with at least the contact `contactId`,
   * or null when the location was never synced.
   */
  get(
    locationId: string,
    contactId: string,
  ): Promise<{ snapshot: Snapshot; syncedAt: string | null } | null>;
}

export const NOT_SYNCED_MESSAGE =
  'No data synced yet for this sub-account; open Sender Lens settings and sync.';

/** The handlers for every request of the catalogue. */
export function createHandlers(deps: { snapshots: SnapshotSource }): Handlers<typeof coreRequests> {
  return {
    async resolve({ locationId, send }) {
      const synced = await deps.snapshots.get(locationId, send.contactId);
      if (!synced) throw new PublicError(NOT_SYNCED_MESSAGE);
      return { ...resolveSnapshot(synced.snapshot, send), syncedAt: synced.syncedAt };
    },
  };
}
