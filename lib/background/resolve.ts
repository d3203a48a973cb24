/**
 * `resolve`: which number a send goes out from, for the extension's own pages
 * (the options page and benchmarks ask it; content scripts get the sender
 * view instead). Built on the same contact index as the conversation views.
 */
import { type Handlers, PublicError } from '../messaging/background';
import type { coreRequests } from '../messaging/protocol';
import { resolve } from '../rules';
import { contactIndex } from './contact-index';
import type { BackgroundServices } from './services';

/** The handler of `resolve`. */
export function resolveHandlers(
  services: Pick<BackgroundServices, 'store' | 'sync'>,
): Handlers<typeof coreRequests> {
  return {
    async resolve({ locationId, send }) {
      const indexed = await contactIndex(services, locationId, send.contactId);
      if (!indexed.ok) throw new PublicError(indexed.message);
      return { ...resolve(indexed.index, send), syncedAt: indexed.found.syncedAt };
    },
  };
}
