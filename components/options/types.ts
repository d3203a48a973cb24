import type { PayloadOf, Requests, ResponseOf } from '../../lib/messaging/protocol';

/** What the options views hand back to the page after a save, a removal or an add. */
export type Outcome =
  | { ok: true; message?: string }
  | {
      ok: false;
      /** Plain words, safe to show. */
      message: string;
      /** The field at fault, by its payload name (`accountSid`), when one is. */
      field?: string;
    };

/** The requests the send sections make of the background. */
export type SendRequestType =
  | 'send-log'
  | 'send-log-csv'
  | 'send-settings-get'
  | 'send-settings-set';

/**
 * How the send sections reach the background: the page's own `send`. It
 * rejects with an Error whose message is safe to show.
 */
export interface SendApi {
  send<K extends SendRequestType>(
    type: K,
    payload: PayloadOf<Requests[K]>,
  ): Promise<ResponseOf<Requests[K]>>;
}
