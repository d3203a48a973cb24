/**
 * The requests the extension's contexts send to its background: for each one,
 * who may send it, the shape of its payload, and the type of its answer. The
 * background refuses anything this catalogue does not allow.
 */
import type { Resolution, Send } from '../rules/types';
import { conversationRequests } from './requests/conversation';
import { settingsRequests } from './requests/settings';
import { literal, object, optional, type Schema, string, variants } from './schema';

/**
 * Where a request came from, as told by the fields the browser sets on the
 * sender: a content script runs in a web page's tab; an extension page
 * (popup, options) runs at the extension's own origin.
 */
export type SenderContext = 'content-script' | 'extension-page';

export interface RequestSpec<P, R> {
  /** The contexts that may send this request; any other is refused. */
  readonly from: readonly SenderContext[];
  /** For content scripts: only the tab's top frame, or any of its frames. */
  readonly frames: 'top' | 'any';
  readonly payload: Schema<P>;
  /** Type-level only: the answer's type. Never set at run time. */
  readonly response?: R;
}

/** Every request spec fits this; the payload and answer types stay per request. */
export type Catalogue = Readonly<Record<string, RequestSpec<unknown, unknown>>>;

export type PayloadOf<S> = S extends RequestSpec<infer P, unknown> ? P : never;
export type ResponseOf<S> = S extends RequestSpec<unknown, infer R> ? R : never;

/** Declares a request answering `R`; the payload type comes from its schema. */
export function request<R>() {
  return <P>(spec: Omit<RequestSpec<P, R>, 'response'>): RequestSpec<P, R> => spec;
}

export type ErrorCode = 'forbidden' | 'bad-request' | 'unknown-type' | 'handler-failed';

export interface ReplyError {
  code: ErrorCode;
  /** Safe to show to the user; never carries a secret or a handler's raw error. */
  message: string;
  /** For `bad-request`: the offending field, relative to the payload. */
  path?: string;
}

/** What the background answers to every request, whatever happened. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ReplyError };

/** What a context sends: a request type from the catalogue and its payload. */
export interface RequestMessage {
  type: string;
  payload: unknown;
}

// Bounds on ids and phone numbers: far above any real value, low enough that a
// sender cannot make the background chew on megabytes.
const id = () => string({ maxLength: 128 });
const phone = () => string({ maxLength: 64 });

/** The sends of ../rules/types.ts, field for field. */
export const sendSchema: Schema<Send> = variants('via', {
  conversation: object(
    {
      via: literal('conversation'),
      contactId: id(),
      userId: optional(id()),
      pick: optional(phone()),
    },
    'a conversation send',
  ),
  workflow: object(
    {
      via: literal('workflow'),
      contactId: id(),
      userId: optional(id()),
      fromNumber: optional(phone()),
    },
    'a workflow send',
  ),
  bulk: object(
    { via: literal('bulk'), contactId: id(), fromNumber: optional(phone()) },
    'a bulk send',
  ),
});

export interface ResolvePayload {
  /** The HighLevel sub-account (location) the send belongs to. */
  locationId: string;
  send: Send;
}

/** The resolver's answer, and when the data it used was last synced. */
export type ResolveResponse = Resolution & { syncedAt: string | null };

const resolvePayload: Schema<ResolvePayload> = object(
  { locationId: id(), send: sendSchema },
  'a resolve request',
);

/** Requests every context shares. */
export const coreRequests = {
  /** Which number will this send go out from, and why. */
  resolve: request<ResolveResponse>()({
    from: ['content-script', 'extension-page'],
    // The conversations content script runs in the top frame only.
    frames: 'top',
    payload: resolvePayload,
  }),
} satisfies Catalogue;

/** The extension's requests, all answered by the background. */
export const requests = {
  ...coreRequests,
  ...settingsRequests,
  ...conversationRequests,
} satisfies Catalogue;

export type Requests = typeof requests;
export type RequestType = keyof Requests;
