/**
 * The conversations content script's logic, apart from WXT's wiring: follows
 * the app's single-page navigation, gives each conversation view a session of
 * its own (ended by its own abort signal), tells the background what it found
 * on the page, and passes on the logged-in user and the background's messages.
 */

import { waitForConversationView } from '@/lib/content/wait-for-view';
import type { PageStatusPayload } from '@/lib/messaging/requests/conversation';
import type { TabMessage } from '@/lib/messaging/tab';
import { parseRoute } from '@/lib/page/route';
import { listenForUser, type PageUser } from '@/lib/page/user-probe';
import { ConversationSession, type SessionEnv } from './sender-badge';

export interface ContentEnv extends SessionEnv {
  /** Ends everything: WXT's ctx.signal, aborted when the extension reloads. */
  signal: AbortSignal;
  /** Registers the listener for the background's messages (sender already checked). */
  listenTabMessages(listener: (message: TabMessage) => void): void;
  /** How long a conversation page may take to show the parts the extension needs; default 5 s. */
  waitTimeoutMs?: number;
  /** How long to keep watching a page found unrecognised, in case it was only slow; default 60 s. */
  lateWaitMs?: number;
}

export interface ConversationsController {
  /** Reads the address again; call on every navigation. */
  onRoute(): void;
  /** The session of the open conversation, when there is one. */
  readonly session: ConversationSession | null;
}

interface Current {
  key: string;
  controller: AbortController;
  session: ConversationSession | null;
  locationId: string | null;
}

/** Starts following the page; everything stops when `env.signal` aborts. */
export function startConversations(env: ContentEnv): ConversationsController {
  const { doc, signal } = env;
  let current: Current | null = null;
  let user: PageUser | null = null;

  const userIdFor = (locationId: string): string | undefined =>
    user && (user.locationId === null || user.locationId === locationId) ? user.id : undefined;

  const report = (status: PageStatusPayload) => {
    // The popup's diagnosis is best effort: a page without a background answer still works.
    env.api('page-status', status).catch(() => undefined);
  };

  async function open(entry: Current, locationId: string, conversationId: string): Promise<void> {
    const route = { locationId, conversationId };
    const wait = {
      signal: entry.controller.signal,
      requestFrame: env.requestFrame,
      setTimeout: env.setTimeout,
    };
    let result = await waitForConversationView(doc, route, {
      ...wait,
      timeoutMs: env.waitTimeoutMs ?? 5000,
    });
    if (result.status === 'unrecognised') {
      // Nothing is drawn on a page the extension cannot read; the popup says why.
      report({ status: 'unrecognised', missing: result.missing, locationId, conversationId });
      result = await waitForConversationView(doc, route, {
        ...wait,
        timeoutMs: env.lateWaitMs ?? 60_000,
      });
    }
    if (result.status !== 'ok' || entry.controller.signal.aborted) return;
    report({ status: 'ok', locationId, conversationId, contactIdFrom: result.view.contactIdFrom });
    entry.session = new ConversationSession(
      env,
      result.view,
      userIdFor(locationId),
      entry.controller.signal,
    );
    entry.session.start();
  }

  function onRoute(): void {
    if (signal.aborted) return;
    const route = parseRoute(doc.location.href);
    const key = route?.conversationId
      ? `${route.locationId}/${route.conversationId}`
      : `none:${route?.locationId ?? ''}`;
    if (current?.key === key) return;
    current?.controller.abort();
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort(), {
      once: true,
      signal: controller.signal,
    });
    const entry: Current = {
      key,
      controller,
      session: null,
      locationId: route?.locationId ?? null,
    };
    current = entry;
    if (!route?.conversationId) {
      report(
        route
          ? { status: 'no-conversation', locationId: route.locationId }
          : { status: 'no-conversation' },
      );
      return;
    }
    void open(entry, route.locationId, route.conversationId);
  }

  listenForUser(doc, signal, (next) => {
    user = next;
    if (current?.session && current.locationId)
      current.session.setUser(userIdFor(current.locationId));
    // The probe answers on the app's route changes: a hint to read the address now.
    onRoute();
  });

  env.listenTabMessages((message) => {
    const session = current?.session;
    if (!session) return;
    if (message.type === 'open-switcher') session.openSwitcher();
    else if (message.type === 'data-changed' && message.locationId === current?.locationId)
      void session.refresh();
    else if (
      message.type === 'sends-changed' &&
      message.locationId === current?.locationId &&
      message.conversationId === session.ids.conversationId
    )
      session.refreshSends();
  });

  onRoute();
  return {
    onRoute,
    get session() {
      return current?.session ?? null;
    },
  };
}
