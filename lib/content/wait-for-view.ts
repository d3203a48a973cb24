import {
  type ConversationView,
  type ConversationViewOk,
  readConversationView,
} from '../page/adapter';
import type { ConversationRoute } from '../page/route';
import { WATCHED_ATTRIBUTES } from '../page/selectors';
import { frameBatch, type RequestFrame } from './frame';

export interface WaitOptions {
  signal: AbortSignal;
  requestFrame: RequestFrame;
  setTimeout(callback: () => void, ms: number): unknown;
  /** Give up after this long and report what was found; default 5 s. */
  timeoutMs?: number;
}

export type WaitResult =
  | { status: 'ok'; view: ConversationViewOk }
  /** The route is a conversation but the page does not have the parts the extension needs. */
  | { status: 'unrecognised'; missing: string[] }
  /** The page stopped being this conversation, or the wait was aborted. */
  | { status: 'gone' };

function isWanted(view: ConversationView, route: ConversationRoute): view is ConversationViewOk {
  return (
    view.status === 'ok' &&
    view.locationId === route.locationId &&
    view.conversationId === route.conversationId
  );
}

/**
 * Waits until the page shows the conversation of `route` with every part the
 * extension needs. The page is read at most once per animation frame, only
 * after it changed; a page that never gets there within the timeout is
 * reported as unrecognised, with what is missing.
 */
export function waitForConversationView(
  doc: Document,
  route: ConversationRoute,
  options: WaitOptions,
): Promise<WaitResult> {
  return new Promise((resolve) => {
    const { signal } = options;
    if (signal.aborted) {
      resolve({ status: 'gone' });
      return;
    }
    let last: ConversationView = readConversationView(doc);
    let done = false;
    const finish = (result: WaitResult) => {
      if (done) return;
      done = true;
      observer.disconnect();
      batch.cancel();
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const check = () => {
      last = readConversationView(doc);
      if (isWanted(last, route)) finish({ status: 'ok', view: last });
    };
    const batch = frameBatch(options.requestFrame, check);
    const observer = new MutationObserver(() => batch.schedule());
    const onAbort = () => finish({ status: 'gone' });
    if (isWanted(last, route)) {
      resolve({ status: 'ok', view: last });
      return;
    }
    observer.observe(doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      // The same attributes the session watches: among them the active card's, which may
      // be the only source of the contact id.
      attributeFilter: [...WATCHED_ATTRIBUTES],
    });
    signal.addEventListener('abort', onAbort, { once: true });
    options.setTimeout(() => {
      check();
      if (done) return;
      // Anything but 'unrecognised' means the address moved on: a newer wait takes over.
      finish(
        last.status === 'unrecognised'
          ? { status: 'unrecognised', missing: last.missing }
          : { status: 'gone' },
      );
    }, options.timeoutMs ?? 5000);
  });
}
