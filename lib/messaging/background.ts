/**
 * The background's side of the protocol: one runtime.onMessage listener that
 * checks every request before its handler runs, and fails closed. In order:
 * the sender is this extension (`sender.id`); its context is told from the
 * fields the browser sets (`sender.tab`, `sender.frameId`, `sender.origin`),
 * never from `sender.url` or the message; the request type is in the
 * catalogue and allows that context; the payload matches the schema. Only
 * then does the handler run, and its errors reach the sender only as
 * `PublicError` messages.
 *
 * This router is meant to be the extension's only runtime.onMessage listener:
 * it answers every message, including ones it refuses.
 */
import type { Browser } from 'wxt/browser';
import type {
  Catalogue,
  PayloadOf,
  Reply,
  ReplyError,
  RequestSpec,
  ResponseOf,
  SenderContext,
} from './protocol';
import { formatIssue, parse } from './schema';

type MessageSender = Browser.runtime.MessageSender;

/**
 * An error whose message is written for the user and safe to send to any
 * context. Any other error a handler throws reaches the sender only as a
 * generic message, since its text may carry a token, a URL with credentials
 * or a provider's raw answer.
 */
export class PublicError extends Error {
  override name = 'PublicError';
}

/** A sender the router has checked, as handlers see it. */
export type VerifiedSender =
  | { context: 'content-script'; origin: string; tabId: number; frameId: number }
  | { context: 'extension-page'; origin: string; tabId?: number };

export type Handlers<C extends Catalogue> = {
  [K in keyof C]: (
    payload: PayloadOf<C[K]>,
    sender: VerifiedSender,
  ) => Promise<ResponseOf<C[K]>> | ResponseOf<C[K]>;
};

export interface RouterOptions {
  /** `browser.runtime.id`. */
  extensionId: string;
  /** The extension's own origin, e.g. `chrome-extension://abc…` (see extensionOriginOf). */
  extensionOrigin: string;
  /**
   * Told when a handler throws, with the raw error, which stays in the
   * background. The default logs the name of any error but a PublicError, and
   * never the message, which may carry a secret.
   */
  onHandlerError?: (type: string, error: unknown) => void;
}

export type MessageListener = (message: unknown, sender: MessageSender) => Promise<Reply<unknown>>;

const GENERIC_FAILURE = 'Sender Lens hit an internal error; try again, or reload the page.';

const CONTEXT_NAMES: Record<SenderContext, string> = {
  'content-script': 'a content script',
  'extension-page': 'an extension page',
};

/** The origin of `browser.runtime.getURL('')`, without relying on URL parsing of extension schemes. */
export function extensionOriginOf(rootUrl: string): string {
  // `new URL('chrome-extension://id/').origin` is 'null' outside Chromium
  // (non-special scheme), so the origin is cut from the string instead.
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)\/?$/i.exec(rootUrl);
  if (!match?.[1]) throw new Error(`Not an extension root URL: ${rootUrl}`);
  return match[1];
}

/**
 * Tells which of the extension's contexts sent a message, from the fields the
 * browser sets; returns a reason when it cannot, and the request is refused.
 */
export function classifySender(
  sender: MessageSender,
  options: Pick<RouterOptions, 'extensionId' | 'extensionOrigin'>,
): { ok: true; sender: VerifiedSender } | { ok: false; reason: string } {
  if (sender.id !== options.extensionId)
    return { ok: false, reason: 'sender is not this extension' };
  // Chrome sets `origin` since 80 and Firefox since 126 (the Firefox build
  // requires 128), so its absence means something we do not know: refuse.
  // `sender.url` is deliberately not a fallback.
  const origin = sender.origin;
  if (typeof origin !== 'string' || origin === '') {
    return { ok: false, reason: 'sender has no origin' };
  }
  if (origin === options.extensionOrigin) {
    // The popup and options page; the options page may be open in a tab.
    const tabId = sender.tab?.id;
    return {
      ok: true,
      sender: {
        context: 'extension-page',
        origin,
        ...(typeof tabId === 'number' ? { tabId } : {}),
      },
    };
  }
  // Only this extension's own scripts reach onMessage (web pages reach
  // onMessageExternal, and only through externally_connectable, which the
  // manifest does not declare), so a sender with our id in a tab at a web
  // origin is one of our content scripts.
  const tabId = sender.tab?.id;
  const frameId = sender.frameId;
  if (
    typeof tabId === 'number' &&
    Number.isInteger(tabId) &&
    tabId >= 0 &&
    typeof frameId === 'number' &&
    Number.isInteger(frameId) &&
    frameId >= 0
  ) {
    return { ok: true, sender: { context: 'content-script', origin, tabId, frameId } };
  }
  return { ok: false, reason: 'sender is neither an extension page nor a content script in a tab' };
}

function refuse(code: ReplyError['code'], message: string, path?: string): Reply<never> {
  return { ok: false, error: path === undefined ? { code, message } : { code, message, path } };
}

function readEnvelope(message: unknown): { type: string; payload: unknown } | null {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const keys = Object.keys(message);
  if (keys.some((k) => k !== 'type' && k !== 'payload')) return null;
  const { type, payload } = message as Record<string, unknown>;
  return typeof type === 'string' ? { type, payload } : null;
}

function allows(spec: RequestSpec<unknown, unknown>, sender: VerifiedSender): boolean {
  if (!spec.from.includes(sender.context)) return false;
  if (sender.context === 'content-script' && spec.frames === 'top') return sender.frameId === 0;
  return true;
}

function logHandlerError(type: string, error: unknown): void {
  // A PublicError is an answer meant for the user (e.g. "not synced yet"), not a fault.
  if (error instanceof PublicError) return;
  const name = error instanceof Error ? error.name : typeof error;
  console.error(`Sender Lens: the "${type}" handler failed (${name}).`);
}

/**
 * Builds the runtime.onMessage listener for `catalogue`, answering each
 * request through `handlers`. The listener always resolves with a Reply,
 * webextension-polyfill style, and never rejects.
 */
export function createMessageRouter<C extends Catalogue>(
  catalogue: C,
  handlers: Handlers<C>,
  options: RouterOptions,
): MessageListener {
  if (!options.extensionId) throw new Error('createMessageRouter: extensionId is required');
  if (!options.extensionOrigin || options.extensionOrigin === 'null') {
    throw new Error('createMessageRouter: extensionOrigin must be the extension origin');
  }
  const onHandlerError = options.onHandlerError ?? logHandlerError;

  async function route(message: unknown, rawSender: MessageSender): Promise<Reply<unknown>> {
    const classified = classifySender(rawSender, options);
    if (!classified.ok) return refuse('forbidden', `Request refused: ${classified.reason}.`);
    const sender = classified.sender;

    const envelope = readEnvelope(message);
    if (!envelope) {
      return refuse(
        'bad-request',
        'A request must be an object with a string "type" and a "payload".',
      );
    }
    const { type } = envelope;
    // hasOwn, so 'toString' or '__proto__' are unknown types, not inherited members.
    if (!Object.hasOwn(catalogue, type) || !Object.hasOwn(handlers, type)) {
      return refuse('unknown-type', `Unknown request type ${JSON.stringify(type.slice(0, 64))}.`);
    }
    const spec = catalogue[type] as RequestSpec<unknown, unknown>;
    if (!allows(spec, sender)) {
      const where =
        sender.context === 'content-script' && spec.from.includes('content-script')
          ? 'a content script in a sub-frame'
          : CONTEXT_NAMES[sender.context];
      return refuse('forbidden', `"${type}" may not be sent from ${where}.`);
    }

    const parsed = parse(spec.payload, envelope.payload);
    if (!parsed.ok) {
      return refuse(
        'bad-request',
        `Bad "${type}" request: ${formatIssue(parsed.issue, 'payload')}.`,
        parsed.issue.path,
      );
    }

    const handler = handlers[type] as (payload: unknown, sender: VerifiedSender) => unknown;
    try {
      return { ok: true, value: await handler(parsed.value, sender) };
    } catch (error) {
      onHandlerError(type, error);
      const message = error instanceof PublicError ? error.message : GENERIC_FAILURE;
      return refuse('handler-failed', message);
    }
  }

  return async (message, sender) => {
    try {
      return await route(message, sender);
    } catch {
      // Only reached on a bug in the checks above; the sender learns nothing more.
      return refuse('handler-failed', GENERIC_FAILURE);
    }
  };
}
