import type { Handlers } from '../messaging/background';
import type { conversationRequests } from '../messaging/requests/conversation';
import type { BackgroundServices } from './services';

/** Handlers of the conversations content script's requests. */
export function conversationHandlers(
  _services: BackgroundServices,
): Handlers<typeof conversationRequests> {
  return {};
}
