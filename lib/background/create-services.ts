import { HighLevelClient } from '../highlevel';
import { highLevelTokenFor, loadTwilioCredentials } from '../secrets';
import type { Store } from '../store';
import type { ApiBases, BackgroundServices, SyncService } from './services';
import { twilioClientFor } from './twilio-account';

/**
 * Builds the background's services. Clients are made per call from the saved
 * credentials, so a credential change takes effect on the next request.
 */
export function createServices(deps: {
  store: Store;
  apiBases: ApiBases;
  createSync: (services: Omit<BackgroundServices, 'sync'>) => SyncService;
  fetch?: typeof fetch;
  now?: () => number;
}): BackgroundServices {
  const { apiBases } = deps;
  const base: Omit<BackgroundServices, 'sync'> = {
    store: deps.store,
    apiBases,
    now: deps.now ?? Date.now,
    async twilio(locationId) {
      return twilioClientFor({
        credentials: await loadTwilioCredentials(),
        store: deps.store,
        locationId,
        http: { baseUrl: apiBases.twilio, fetch: deps.fetch },
      });
    },
    async highlevel(locationId) {
      const found = await highLevelTokenFor(locationId);
      if (!found) return null;
      return new HighLevelClient({
        baseUrl: apiBases.highlevel,
        fetch: deps.fetch,
        credentials: { token: found.token.reveal() },
      });
    },
  };
  return { ...base, sync: deps.createSync(base) };
}
