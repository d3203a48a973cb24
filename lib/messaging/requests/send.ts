/**
 * Requests about sending: the conversations content script asks for a send
 * (the body, the contact and an idempotency key it made; the background
 * resolves the sender itself) and for the sends of its conversation; the
 * options page reads the send log and its settings.
 */

import { id } from '../fields';
import { type Catalogue, request } from '../request';
import { array, boolean, number, object, optional, type Schema, string } from '../schema';
import type { SendLogEntry, SendRoute, SendSettings, SendView } from '../send-views';

/** Twilio's limit on a message body, in characters. */
export const MAX_BODY_CHARACTERS = 1600;
/** Twilio takes at most ten media URLs per message. */
export const MAX_MEDIA_URLS = 10;

/** An idempotency key the page makes for one send: a double click sends the same key. */
export const SEND_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export interface SendPayload {
  locationId: string;
  conversationId: string;
  contactId: string;
  /** The logged-in user as the page reported it. */
  userId?: string;
  /** Made on the page, once per send the agent asks for. */
  key: string;
  body: string;
  mediaUrls?: string[];
}

export interface SendAgainPayload {
  locationId: string;
  conversationId: string;
  /** The send whose outcome is unknown. */
  id: string;
  /** A fresh key for the new send. */
  key: string;
}

export interface ConversationSendsPayload {
  locationId: string;
  conversationId: string;
}

export interface SendLogPayload {
  locationId?: string;
  /** Page size; default 50. */
  limit?: number;
  /** `createdMs` of the last entry of the previous page. */
  beforeMs?: number;
  /** Its id: sends of the same millisecond are ordered by id. */
  beforeId?: string;
}

export interface SendLogPage {
  entries: SendLogEntry[];
  /** Pass as `beforeMs` for the next page; absent on the last page. */
  nextBeforeMs?: number;
  /** Pass as `beforeId` with `nextBeforeMs`. */
  nextBeforeId?: string;
}

function sendKey(): Schema<string> {
  return {
    read(input, path) {
      if (typeof input !== 'string' || !SEND_KEY.test(input)) {
        return { ok: false, issue: { path, message: 'expected 8 to 64 letters, digits, - or _' } };
      }
      return { ok: true, value: input };
    },
  };
}

/** Each sub-account's route: through Twilio directly, or through HighLevel's API. */
function routes(): Schema<Record<string, SendRoute>> {
  return {
    read(input, path) {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return { ok: false, issue: { path, message: 'expected an object of sub-account ids' } };
      }
      const entries = Object.entries(input);
      if (entries.length > 500) {
        return { ok: false, issue: { path, message: 'more than 500 sub-accounts' } };
      }
      const out: Record<string, SendRoute> = {};
      for (const [key, value] of entries) {
        const checked = id().read(key, `${path}.${key}`);
        if (!checked.ok) return checked;
        if (value !== 'twilio' && value !== 'highlevel') {
          return {
            ok: false,
            issue: { path: `${path}.${key}`, message: "expected 'twilio' or 'highlevel'" },
          };
        }
        out[key] = value;
      }
      return { ok: true, value: out };
    },
  };
}

export const sendRequests = {
  /** Queues a send of the composer's text to the conversation's contact, from the number the rules give. */
  send: request<SendView>()({
    from: ['content-script'],
    frames: 'top',
    payload: object(
      {
        locationId: id(),
        conversationId: id(),
        contactId: id(),
        userId: optional(id()),
        key: sendKey(),
        // Longer bodies are refused by the guards, in words, not by the schema.
        body: string({ nonEmpty: false, maxLength: 4 * MAX_BODY_CHARACTERS }),
        mediaUrls: optional(array(string({ maxLength: 2048 }), { maxItems: MAX_MEDIA_URLS })),
      },
      'a send request',
    ),
  }),
  /** Sends again, deliberately, a send whose outcome could not be settled. */
  'send-again': request<SendView>()({
    from: ['content-script', 'extension-page'],
    frames: 'top',
    payload: object(
      { locationId: id(), conversationId: id(), id: sendKey(), key: sendKey() },
      'a send-again request',
    ),
  }),
  /** The recent sends of a conversation, for the rows drawn in place. */
  'conversation-sends': request<SendView[]>()({
    from: ['content-script'],
    frames: 'top',
    payload: object({ locationId: id(), conversationId: id() }, 'a conversation-sends request'),
  }),
  /** Runs the send action's views in the asking frame's isolated world (loaded on first need). */
  'send-ui': request<{ loaded: true }>()({
    from: ['content-script'],
    frames: 'top',
    payload: object({}, 'a send-ui request'),
  }),
  /** A page of the send log, newest first. */
  'send-log': request<SendLogPage>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object(
      {
        locationId: optional(id()),
        limit: optional(number({ integer: true, min: 1, max: 500 })),
        beforeMs: optional(number({ integer: true, min: 0 })),
        beforeId: optional(sendKey()),
      },
      'a send-log request',
    ),
  }),
  /** The send log as CSV. */
  'send-log-csv': request<{ csv: string; filename: string; rows: number }>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object({ locationId: optional(id()) }, 'a send-log-csv request'),
  }),
  'send-settings-get': request<SendSettings>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object({}, 'a send-settings-get request'),
  }),
  'send-settings-set': request<SendSettings>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object(
      {
        omitBodies: optional(boolean()),
        routes: optional(routes()),
      },
      'a send-settings-set request',
    ),
  }),
} satisfies Catalogue;
