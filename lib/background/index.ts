/**
 * The background's composition root: every request of the catalogue gets its
 * handler here, from the group that owns it.
 */
import type { Handlers } from '../messaging/background';
import { createHandlers as createCoreHandlers, type SnapshotSource } from '../messaging/handlers';
import type { Requests } from '../messaging/protocol';
import { conversationHandlers } from './conversation';
import type { BackgroundServices } from './services';
import { settingsHandlers } from './settings';

/** The store as the resolver's snapshot source. */
export function storeSnapshots(services: BackgroundServices): SnapshotSource {
  return {
    async get(locationId, contactId) {
      // The same path as the conversation page: the contact fetched on demand,
      // and a snapshot of it alone, not the whole sub-account.
      await services.sync.ensureContact(locationId, contactId).catch(() => null);
      const found = await services.store.getSnapshotForContacts(locationId, [contactId]);
      return found && { snapshot: found.snapshot, syncedAt: found.syncedAt };
    },
  };
}

/** Every handler of the catalogue, over the given services. */
export function createBackgroundHandlers(services: BackgroundServices): Handlers<Requests> {
  return {
    ...createCoreHandlers({ snapshots: storeSnapshots(services) }),
    ...settingsHandlers(services),
    ...conversationHandlers(services),
  };
}
