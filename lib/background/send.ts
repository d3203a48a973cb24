/**
 * The background's answers about sending: a send asked for by the page (the
 * sender resolved here, every guard checked, then queued in the outbox), a
 * deliberate "send again", a conversation's sends for the rows drawn in
 * place, and the send log and settings for the options page.
 */
import { browser } from 'wxt/browser';
import { type Handlers, PublicError, type VerifiedSender } from '../messaging/background';
import type { sendRequests } from '../messaging/requests/send';
import { resolve } from '../rules';
import type { ConversationSend, Sender } from '../rules/types';
import { bodyRefusal, mediaRefusal, sendLogCsv, sendLogEntry, sendView } from '../send';
import type { SendRow } from '../store';
import { TabBudgets } from './budget';
import { readChosenUsers } from './chosen-users';
import { contactIndex } from './contact-index';
import { sendReadiness } from './send-readiness';
import type { SendService } from './send-service';
import type { BackgroundServices } from './services';
import { STEP_LABELS } from './view-model';

/** How far back the page's rows of sends reach. */
const CONVERSATION_WINDOW_MS = 24 * 60 * 60_000;
const KEY_REUSED = 'That send request was already used for another conversation; try again.';
const NOT_UNKNOWN = 'Only a send whose outcome is unknown can be sent again, and only once.';
const OVER_BUDGET = 'Sender Lens is pacing sends from this tab; wait a few seconds and try again.';

export interface SendDeps {
  local: Pick<typeof browser.storage.local, 'get'>;
  budgets: TabBudgets;
  /** Runs the send-ui script in a tab's frame (scripting.executeScript). */
  injectSendUi(tabId: number, frameId: number): Promise<unknown>;
}

/** The unlisted script of entrypoints/send-ui.ts, as WXT names it in the build. */
const SEND_UI_FILE = '/send-ui.js';

const ruleLabel = (rule: string): string => STEP_LABELS[rule as keyof typeof STEP_LABELS] ?? rule;

/** Handlers of the send requests. */
export function sendHandlers(
  services: BackgroundServices,
  send: SendService,
  overrides: Partial<SendDeps> = {},
): Handlers<typeof sendRequests> {
  const deps: SendDeps = {
    local: browser.storage.local,
    budgets: new TabBudgets(() => services.now()),
    injectSendUi: (tabId, frameId) =>
      browser.scripting.executeScript({
        target: { tabId, frameIds: [frameId] },
        files: [SEND_UI_FILE],
      }),
    ...overrides,
  };

  function pay(sender: VerifiedSender): void {
    if (sender.context === 'content-script' && !deps.budgets.take(sender.tabId, 'send')) {
      throw new PublicError(OVER_BUDGET);
    }
  }

  async function viewOf(row: SendRow) {
    return sendView(row, await send.display(row.locationId));
  }

  return {
    async send(payload, sender) {
      pay(sender);
      const { locationId, conversationId, contactId } = payload;
      const existing = await services.store.outbox.get(payload.key);
      if (existing !== null) {
        // A double click or a repeated request: the same send.
        if (existing.locationId !== locationId || existing.conversationId !== conversationId) {
          throw new PublicError(KEY_REUSED);
        }
        return viewOf(existing);
      }
      const mediaUrls = payload.mediaUrls ?? [];
      const badBody = bodyRefusal(payload.body, mediaUrls.length);
      if (badBody !== null) throw new PublicError(badBody);
      for (const url of mediaUrls) {
        const bad = mediaRefusal(url);
        if (bad !== null) throw new PublicError(bad);
      }
      const gate =
        sender.context === 'content-script'
          ? () => deps.budgets.take(sender.tabId, 'contact')
          : undefined;
      const indexed = await contactIndex(services, locationId, contactId, gate);
      if (!indexed.ok) throw new PublicError(indexed.message);
      const userId = payload.userId ?? (await readChosenUsers(deps.local))[locationId];
      const request: ConversationSend = { via: 'conversation', contactId };
      if (userId !== undefined) request.userId = userId;
      const pending = indexed.found.pendingPicks[contactId];
      if (pending) request.pick = pending.number;
      const resolution = resolve(indexed.index, request);
      const { route, readiness } = await sendReadiness(services, send, {
        locationId,
        contactId,
        index: indexed.index,
        resolution,
      });
      if (!readiness.ok) throw new PublicError(readiness.refusal);
      const sender_ = resolution as Sender;
      const { row } = await send.outbox.enqueue({
        id: payload.key,
        locationId,
        conversationId,
        contactId,
        ...(userId === undefined
          ? {}
          : {
              userId,
              userIdFrom: payload.userId === undefined ? ('i-am' as const) : ('page' as const),
            }),
        route,
        from: readiness.from,
        to: readiness.to,
        body: payload.body,
        mediaUrls,
        rule: sender_.rule,
        trace: sender_.trace.map((step) => `${ruleLabel(step.rule)}: ${step.reason}`),
        picked: sender_.rule === 'manual-pick',
        createdMs: services.now(),
      });
      return viewOf(row);
    },

    async 'send-again'({ locationId, conversationId, id, key }, sender) {
      pay(sender);
      const old = await services.store.outbox.get(id);
      if (old === null || old.locationId !== locationId || old.conversationId !== conversationId) {
        throw new PublicError(NOT_UNKNOWN);
      }
      // Twilio may have blocked the pair since.
      const blocked = await services.store.outbox.blockedSince(locationId, old.from, old.to);
      if (blocked !== null) {
        throw new PublicError(
          'The contact replied STOP to this number since: it will not be sent.',
        );
      }
      const row = await send.outbox.sendAgain(id, key);
      if (row === null) throw new PublicError(NOT_UNKNOWN);
      return viewOf(row);
    },

    async 'send-ui'(_payload, sender) {
      if (sender.context !== 'content-script')
        throw new PublicError('Only a page loads the send action.');
      try {
        await deps.injectSendUi(sender.tabId, sender.frameId);
      } catch {
        throw new PublicError(
          'Sender Lens could not load its send action on this page; reload the page.',
        );
      }
      return { loaded: true };
    },

    async 'conversation-sends'({ locationId, conversationId }) {
      const rows = await services.store.outbox.ofConversation(
        locationId,
        conversationId,
        services.now() - CONVERSATION_WINDOW_MS,
      );
      const display = await send.display(locationId);
      return rows.map((row) => sendView(row, display));
    },

    async 'send-log'({ locationId, limit = 50, beforeMs, beforeId }) {
      const rows = await services.store.outbox.list({
        ...(locationId === undefined ? {} : { locationId }),
        ...(beforeMs === undefined ? {} : { beforeMs }),
        ...(beforeId === undefined ? {} : { beforeId }),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const entries = await Promise.all(
        page.map(async (row) => sendLogEntry(row, await send.display(row.locationId), ruleLabel)),
      );
      const last = page.at(-1);
      return rows.length > limit && last
        ? { entries, nextBeforeMs: last.createdMs, nextBeforeId: last.id }
        : { entries };
    },

    async 'send-log-csv'({ locationId }) {
      const rows = await services.store.outbox.list({
        ...(locationId === undefined ? {} : { locationId }),
        limit: Number.POSITIVE_INFINITY,
      });
      const day = new Date(services.now()).toISOString().slice(0, 10);
      return {
        csv: sendLogCsv(rows, ruleLabel),
        filename: `sender-lens-sends-${locationId ?? 'all'}-${day}.csv`,
        rows: rows.length,
      };
    },

    'send-settings-get': () => send.settings(),

    async 'send-settings-set'(change) {
      const next = await send.saveSettings({
        ...(change.omitBodies === undefined ? {} : { omitBodies: change.omitBodies }),
        ...(change.routes === undefined ? {} : { routes: change.routes }),
      });
      await services.store.appendAudit({
        locationId: 'all',
        kind: 'settings',
        summary: `Send settings saved: bodies ${next.omitBodies ? 'left out of' : 'kept in'} the log`,
      });
      return next;
    },
  };
}
