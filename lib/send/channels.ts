/**
 * The two ways a send goes out, behind one shape: straight through the
 * user's Twilio account, or through HighLevel's API with `fromNumber`. Each
 * can post a send, look for it in the provider's log when the outcome of a
 * post is uncertain, and read a message's status.
 */
import type { HighLevelClient } from '../highlevel';
import type { SendRow } from '../store';
import type { TwilioClient } from '../twilio';

/** What a provider said about a message. */
export interface ProviderMessage {
  providerId: string;
  status: string;
  errorCode: number | null;
}

export interface SendChannel {
  /** Creates the message. Throws the client's ApiError or InputError. */
  post(send: SendRow): Promise<ProviderMessage>;
  /**
   * The message `send` created, found in the provider's log by its
   * addresses, body and time, skipping messages `taken` says another send
   * holds; null when the log has none.
   */
  lookup(
    send: SendRow,
    taken: (providerId: string) => Promise<boolean>,
  ): Promise<ProviderMessage | null>;
  /** The message's status now. */
  status(providerId: string): Promise<ProviderMessage>;
}

/**
 * How much earlier than the post a provider may date the message: the
 * browser's clock and the provider's differ.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** How many messages of the pair a lookup reads, newest first. */
const LOOKUP_DEPTH = 100;

function since(send: SendRow): number {
  return (send.postedMs ?? send.createdMs) - CLOCK_SKEW_MS;
}

/** Sends straight through Twilio's Messages API. */
export function twilioChannel(client: TwilioClient): SendChannel {
  return {
    async post(send) {
      const message = await client.createMessage({
        to: send.to,
        from: send.from,
        ...(send.body === '' ? {} : { body: send.body }),
        ...(send.mediaUrls.length === 0 ? {} : { mediaUrls: send.mediaUrls }),
      });
      return { providerId: message.sid, status: message.status, errorCode: message.errorCode };
    },
    async lookup(send, taken) {
      // Newest first, so the walk stops at the first message older than the post.
      const pages = client.listMessages({ to: send.to, from: send.from, pageSize: 50 });
      let read = 0;
      try {
        for await (const page of pages) {
          for (const m of page.items) {
            read += 1;
            const created = m.dateCreated?.date.getTime() ?? Number.POSITIVE_INFINITY;
            if (created < since(send)) return null;
            if (!m.direction.startsWith('outbound') || m.body !== send.body) continue;
            if (await taken(m.sid)) continue;
            return { providerId: m.sid, status: m.status, errorCode: m.errorCode };
          }
          if (read >= LOOKUP_DEPTH) return null;
        }
      } finally {
        await pages.return(undefined);
      }
      return null;
    },
    async status(sid) {
      const m = await client.getMessage(sid);
      return { providerId: m.sid, status: m.status, errorCode: m.errorCode };
    },
  };
}

/** Sends through HighLevel, so the message lands in HighLevel's thread from exactly `from`. */
export function highLevelChannel(client: HighLevelClient): SendChannel {
  return {
    async post(send) {
      const sent = await client.sendMessage({
        contactId: send.contactId,
        body: send.body,
        fromNumber: send.from,
        toNumber: send.to,
        ...(send.mediaUrls.length === 0 ? {} : { mediaUrls: send.mediaUrls }),
      });
      return { providerId: sent.messageId, status: sent.status, errorCode: null };
    },
    async lookup(send, taken) {
      const pages = client.listMessages(send.conversationId);
      let read = 0;
      try {
        for await (const page of pages) {
          for (const m of page.items) {
            read += 1;
            if (m.dateAdded.date.getTime() < since(send)) return null;
            if (m.direction !== 'outbound' || m.body !== send.body) continue;
            if (await taken(m.id)) continue;
            return { providerId: m.id, status: m.status ?? 'pending', errorCode: null };
          }
          if (read >= LOOKUP_DEPTH) return null;
        }
      } finally {
        await pages.return(undefined);
      }
      return null;
    },
    async status(messageId) {
      const m = await client.getMessage(messageId);
      return { providerId: m.id, status: m.status ?? 'pending', errorCode: null };
    },
  };
}
