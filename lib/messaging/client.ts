/**
 * The sending side of the protocol, for content scripts and extension pages:
 * typed from the request type to the answer, throwing MessagingError when the
 * background refuses or cannot be reached.
 */
import { browser } from 'wxt/browser';
// Types only: the schemas stay out of the content script's bundle.
import type {
  ErrorCode,
  PayloadOf,
  Reply,
  RequestMessage,
  Requests,
  RequestType,
  ResponseOf,
} from './protocol';

/**
 * A request that did not get a value: refused by the background (the
 * protocol's codes), no background answering (`unreachable`), or an answer
 * that is not a Reply (`bad-reply`).
 */
export type MessagingErrorCode = ErrorCode | 'unreachable' | 'bad-reply';

/** Why a request got no value; `message` is safe to show to the user. */
export class MessagingError extends Error {
  override name = 'MessagingError';

  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    /** For `bad-request`: the offending field, relative to the payload. */
    readonly path?: string,
  ) {
    super(message);
  }
}

const ERROR_CODES: readonly string[] = [
  'forbidden',
  'bad-request',
  'unknown-type',
  'handler-failed',
] satisfies ErrorCode[];

function unwrap<T>(type: string, reply: unknown): T {
  if (reply === undefined) {
    throw new MessagingError(
      'unreachable',
      `No answer to "${type}" from the extension's background.`,
    );
  }
  if (typeof reply === 'object' && reply !== null) {
    const r = reply as Partial<Reply<T>>;
    if (r.ok === true && 'value' in r) return r.value as T;
    if (r.ok === false && typeof r.error === 'object' && r.error !== null) {
      const { code, message, path } = r.error;
      if (ERROR_CODES.includes(code) && typeof message === 'string') {
        throw new MessagingError(code, message, typeof path === 'string' ? path : undefined);
      }
    }
  }
  throw new MessagingError('bad-reply', `The answer to "${type}" is not a Sender Lens reply.`);
}

/** Sends one request to the background and returns its answer, or throws MessagingError. */
export async function sendRequest<K extends RequestType>(
  type: K,
  payload: PayloadOf<Requests[K]>,
): Promise<ResponseOf<Requests[K]>> {
  const message: RequestMessage = { type, payload };
  let reply: unknown;
  try {
    reply = await browser.runtime.sendMessage(message);
  } catch (error) {
    // Typically "Receiving end does not exist" while the extension reloads.
    const detail = error instanceof Error ? error.message : String(error);
    throw new MessagingError(
      'unreachable',
      `Could not reach the extension's background: ${detail}`,
    );
  }
  return unwrap<ResponseOf<Requests[K]>>(type, reply);
}
