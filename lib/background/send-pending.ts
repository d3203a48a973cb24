/**
 * Stand-ins for the send handlers while the outbox is being built: every
 * send request is in the catalogue, so each needs a handler, and until the
 * real ones land each refuses in words. Replace this file's use in index.ts
 * with the real handlers.
 */
import { type Handlers, PublicError } from '../messaging/background';
import type { sendRequests } from '../messaging/requests/send';

const NOT_YET = 'Sending is not available in this version of Sender Lens yet.';

function refuse(): never {
  throw new PublicError(NOT_YET);
}

/** Handlers that refuse every send request with a sentence the page can show. */
export function pendingSendHandlers(): Handlers<typeof sendRequests> {
  return {
    send: refuse,
    'send-again': refuse,
    'conversation-sends': refuse,
    'send-log': refuse,
    'send-log-csv': refuse,
    'send-settings-get': refuse,
    'send-settings-set': refuse,
  };
}
