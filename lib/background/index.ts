/**
 * The background's composition root: every request of the catalogue gets its
 * handler here, from the group that owns it.
 */
import type { Handlers } from '../messaging/background';
import type { Requests } from '../messaging/protocol';
import { backupHandlers } from './backup';
import { conversationHandlers } from './conversation';
import { numbersHandlers } from './numbers-view';
import { resolveHandlers } from './resolve';
import { sendHandlers } from './send';
import type { SendService } from './send-service';
import type { BackgroundServices } from './services';
import { settingsHandlers } from './settings';

/** Every handler of the catalogue, over the given services. */
export function createBackgroundHandlers(
  services: BackgroundServices,
  send: SendService,
): Handlers<Requests> {
  return {
    ...resolveHandlers(services),
    ...settingsHandlers(services),
    ...numbersHandlers(services),
    ...conversationHandlers(services, { send }),
    ...sendHandlers(services, send),
    ...backupHandlers(services, { send }),
  };
}
