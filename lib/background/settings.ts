import type { Handlers } from '../messaging/background';
import type { settingsRequests } from '../messaging/requests/settings';
import type { BackgroundServices } from './services';

/** Handlers of the extension pages' settings requests. */
export function settingsHandlers(_services: BackgroundServices): Handlers<typeof settingsRequests> {
  return {};
}
