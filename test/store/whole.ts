import type { Store, StoreSnapshot } from '../../lib/store';

/**
 * The whole active data of a sub-account as one snapshot: every contact the
 * store knows, read the way the background reads one. Tests compare whole
 * states with it; the extension itself only ever reads a contact at a time.
 */
export async function wholeSnapshot(
  store: Store,
  locationId: string,
): Promise<StoreSnapshot | null> {
  return store.getSnapshotForContacts(locationId, await store.listContactIds(locationId));
}
