/**
 * How a request is declared: who may send it, the shape of its payload, the
 * type of its answer, and the reply every request gets. The catalogue of all
 * requests is protocol.ts; the requests themselves are in requests/.
 */
import type { Schema } from './schema';

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
