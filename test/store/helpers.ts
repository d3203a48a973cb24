import {
  type ContactHistory,
  foldMessage,
  type PageMessage,
  type Store,
  type StoreSnapshot,
  type SyncWriter,
} from '../../lib/store';

/**
 * The whole active data of a sub-account as one snapshot: every contact the
 * store knows, read the way the background reads one. Tests compare whole
 * states with it; the extension itself only ever reads a contact at a time.
 */
export async function wholeSnapshot(
  store: Store,
  locationId: string,
): Promise<StoreSnapshot | null> {
  return store.getSnapshotForContacts(locationId, await knownContactIds(store, locationId));
}

/** Every contact id the active data knows: listed by a sync or fetched on demand. */
async function knownContactIds(store: Store, locationId: string): Promise<string[]> {
  const db = await store.db();
  const location = await db.get('locations', locationId);
  if (location === undefined || location.activeGeneration === null) return [];
  const generation = location.activeGeneration;
  const [listed, cached] = await Promise.all([
    db.getAllKeys(
      'contacts',
      IDBKeyRange.bound([locationId, generation], [locationId, generation, []]),
    ),
    db.getAllKeys('contactCache', IDBKeyRange.bound([locationId], [locationId, []])),
  ]);
  return [...new Set([...listed.map((key) => key[2]), ...cached.map((key) => key[1])])].sort();
}

/**
 * Folds one page of messages into a running sync, as the sync's history fold
 * hands its facts to the writer (`putFacts`).
 */
export async function foldPage(writer: SyncWriter, page: PageMessage[]): Promise<void> {
  const facts = new Map<string, ContactHistory>();
  for (const message of page) {
    facts.set(message.contactId, foldMessage(facts.get(message.contactId), message));
  }
  await writer.putFacts(facts, { messages: page.length, pages: 1 });
}
