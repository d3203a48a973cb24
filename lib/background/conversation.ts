/**
 * The background's answers to the conversations content script: the sender
 * view of a conversation (resolved from the store), picks, "I am …", the
 * audit of message rows against Twilio's log, and each tab's page status for
 * the popup.
 */
import { browser } from 'wxt/browser';
import { type Handlers, PublicError, type VerifiedSender } from '../messaging/background';
import type {
  ChosenUserView,
  conversationRequests,
  PageStatus,
  SenderViewPayload,
  SenderViewResponse,
} from '../messaging/requests/conversation';
import type { TabMessage } from '../messaging/tab';
import { type AuditView, LC_PHONE_MISSING } from '../messaging/views';
import { resolve } from '../rules';
import type { ConversationSend } from '../rules/types';
import { sendView } from '../send';
import { AuditService, AuditUnavailable, auditFailure } from './audit';
import { type RequestKind, TabBudgets } from './budget';
import { CHOSEN_USERS_KEY, readChosenUsers } from './chosen-users';
import { contactIndex, NOT_SYNCED } from './contact-index';
import { PAGE_STATUS_PREFIX, readPageStatuses } from './page-statuses';
import { sendReadiness } from './send-readiness';
import type { SendService } from './send-service';
import type { BackgroundServices } from './services';
import { isLcPhone } from './twilio-account';
import {
  buildSenderView,
  buildSwitcherOptions,
  buildSwitcherUsers,
  messageView,
} from './view-model';

export { CHOSEN_USERS_KEY } from './chosen-users';
export { PAGE_STATUS_PREFIX, readPageStatuses } from './page-statuses';

const STALE_CONTACT =
  "The contact's phone and DND may be out of date: Sender Lens could not check them with HighLevel just now.";

/** Where the conversation handlers reach the browser; tests pass fakes. */
export interface ConversationDeps {
  session: Pick<typeof browser.storage.session, 'get' | 'set' | 'remove'>;
  local: Pick<typeof browser.storage.local, 'get' | 'set'>;
  sendToTab(tabId: number, message: TabMessage): Promise<unknown>;
  /**
   * The tab's address, or undefined when the extension may not see it (no
   * host permission: not a HighLevel page) or the tab is gone.
   */
  tabUrl(tabId: number): Promise<string | undefined>;
  audit: AuditService;
  /** What each tab may make the background fetch. */
  budgets: TabBudgets;
  /** The send settings, to say on the badge whether a send can go out; without it nothing is said. */
  send?: Pick<SendService, 'settings'>;
}

function defaultDeps(services: BackgroundServices): ConversationDeps {
  return {
    session: browser.storage.session,
    local: browser.storage.local,
    sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message),
    tabUrl: (tabId) =>
      browser.tabs.get(tabId).then(
        (tab) => tab.url,
        () => undefined,
      ),
    audit: new AuditService({
      lcPhone: (locationId) => isLcPhone(services.store, locationId),
      twilio: (locationId) => services.twilio(locationId),
      highlevel: (locationId) => services.highlevel(locationId),
      now: () => services.now(),
    }),
    budgets: new TabBudgets(() => services.now()),
  };
}

/**
 * Tells the content scripts showing a sub-account that its data changed, so
 * they ask for the sender again. Meant for the sync after a commit, and used
 * after a pick for the sub-account's other tabs. Best effort: a tab that went
 * away is skipped.
 */
export async function notifyDataChanged(
  locationId: string,
  deps: Pick<ConversationDeps, 'session' | 'sendToTab'> = {
    session: browser.storage.session,
    sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message),
  },
  exceptTabId?: number,
): Promise<void> {
  const statuses = await readPageStatuses(deps.session);
  const message: TabMessage = { type: 'data-changed', locationId };
  await Promise.all(
    [...statuses]
      .filter(([tabId, status]) => status.locationId === locationId && tabId !== exceptTabId)
      .map(([tabId]) => deps.sendToTab(tabId, message).catch(() => undefined)),
  );
}

/** Handlers of the conversations content script's requests. */
export function conversationHandlers(
  services: BackgroundServices,
  overrides: Partial<ConversationDeps> = {},
): Handlers<typeof conversationRequests> {
  const deps: ConversationDeps = { ...defaultDeps(services), ...overrides };

  const chosenUsers = () => readChosenUsers(deps.local);

  /** A content script's requests are paid from its tab's budget; extension pages' are not. */
  function gateFor(sender: VerifiedSender): ((kind: RequestKind) => boolean) | undefined {
    if (sender.context !== 'content-script') return undefined;
    return (kind) => deps.budgets.take(sender.tabId, kind);
  }

  function indexFor(locationId: string, contactId: string, sender: VerifiedSender) {
    const gate = gateFor(sender);
    return contactIndex(services, locationId, contactId, gate && (() => gate('contact')));
  }

  async function senderView(
    payload: SenderViewPayload,
    sender: VerifiedSender,
  ): Promise<SenderViewResponse> {
    const { locationId, contactId } = payload;
    const now = services.now();
    // The "I am …" choice stands in only when the page did not say who is logged in.
    const chosenId = payload.userId === undefined ? (await chosenUsers())[locationId] : undefined;
    const userId = payload.userId ?? chosenId;
    const indexed = await indexFor(locationId, contactId, sender);
    if (!indexed.ok) {
      return {
        view: messageView(indexed.state, indexed.message, indexed.syncedAt, now),
        options: [],
      };
    }
    const { found, index } = indexed;
    const send: ConversationSend = { via: 'conversation', contactId };
    if (userId !== undefined) send.userId = userId;
    const pending = found.pendingPicks[contactId];
    if (pending) send.pick = pending.number;
    const resolution = resolve(index, send);
    const view = buildSenderView(resolution, { index, syncedAt: found.syncedAt, now });
    if (chosenId !== undefined) view.chosenUser = index.staff.get(chosenId)?.name || chosenId;
    if (indexed.stale) view.warnings.push(STALE_CONTACT);
    if (await isLcPhone(services.store, locationId)) view.warnings.push(LC_PHONE_MISSING);
    const response: SenderViewResponse = {
      view,
      options: buildSwitcherOptions(index, {
        contactId,
        ...(userId === undefined ? {} : { userId }),
        ...(view.numberE164 === undefined ? {} : { current: view.numberE164 }),
      }),
    };
    if (deps.send) {
      const { route, readiness } = await sendReadiness(services, deps.send, {
        locationId,
        contactId,
        index,
        resolution,
      });
      response.send = readiness.ok ? { route } : { route, refusal: readiness.refusal };
      // A send the rules allow but a guard stops (a STOP Twilio reported, a phone that is
      // not valid, no credentials): the badge says so too, not only the send action.
      if (!readiness.ok && view.state === 'sender') view.warnings.push(readiness.refusal);
    }
    // Only when the page did not say who is logged in: a choice made there can be changed.
    if (payload.userId === undefined) response.users = buildSwitcherUsers(index);
    return response;
  }

  /** The choices with the names the synced My Staff gives them, by location id. */
  async function chosenViews(chosen: Record<string, string>): Promise<ChosenUserView[]> {
    const views = await Promise.all(
      Object.entries(chosen)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(async ([locationId, userId]) => {
          const found = await services.store
            .getSnapshotForContacts(locationId, [])
            .catch(() => null);
          const name = found?.snapshot.users.find((u) => u.id === userId)?.name || null;
          return { locationId, userId, name };
        }),
    );
    return views.sort((a, b) => a.locationId.localeCompare(b.locationId));
  }

  return {
    'sender-view': (payload, sender) => senderView(payload, sender),

    async 'i-am-list'() {
      return chosenViews(await chosenUsers());
    },

    async 'i-am-clear'({ locationId }) {
      const chosen = await chosenUsers();
      if (!Object.hasOwn(chosen, locationId)) return chosenViews(chosen);
      const rest = Object.fromEntries(Object.entries(chosen).filter(([id]) => id !== locationId));
      await deps.local.set({ [CHOSEN_USERS_KEY]: rest });
      // Open conversations of the sub-account ask again, and offer "I am …" anew.
      void notifyDataChanged(locationId, deps).catch(() => undefined);
      return chosenViews(rest);
    },

    async pick(payload, sender) {
      const { locationId, contactId, number } = payload;
      if (number === null) {
        await services.store.clearPick(locationId, contactId);
        await services.store.appendAudit({
          locationId,
          kind: 'pick',
          summary: `Dropped the pick for contact ${contactId}`,
          detail: { contactId },
        });
      } else {
        // Only a number of the sub-account: anything else would be stored
        // and break the contact's badge until the pick was dropped.
        const found = await services.store.getSnapshotForContacts(locationId, []);
        if (!found) throw new PublicError(NOT_SYNCED);
        if (!found.snapshot.numbers.some((n) => n.number === number)) {
          throw new PublicError(
            `${number} is not one of this sub-account's numbers; pick one from the list, or sync if it was just added.`,
          );
        }
        // The store records the pick and its audit entry in one transaction.
        await services.store.recordPick({
          locationId,
          contactId,
          number,
          ...(payload.userId === undefined ? {} : { userId: payload.userId }),
        });
      }
      const tabId = sender.context === 'content-script' ? sender.tabId : undefined;
      void notifyDataChanged(locationId, deps, tabId).catch(() => undefined);
      return senderView(payload, sender);
    },

    async 'i-am'({ locationId, userId }) {
      const found = await services.store.getSnapshotForContacts(locationId, []);
      if (!found) throw new PublicError(NOT_SYNCED);
      if (!found.snapshot.users.some((u) => u.id === userId)) {
        throw new PublicError('That user is not in this sub-account’s My Staff.');
      }
      const chosen = await chosenUsers();
      await deps.local.set({ [CHOSEN_USERS_KEY]: { ...chosen, [locationId]: userId } });
      return { userId };
    },

    async audit({ locationId, conversationId, contactId, messageIds }, sender) {
      if (messageIds.length === 0) return {};
      const indexed = await indexFor(locationId, contactId, sender);
      const index = indexed.ok ? indexed.index : null;
      const rawPhone = indexed.ok
        ? indexed.found.snapshot.contacts.find((c) => c.id === contactId)?.phone
        : undefined;
      const contactPhone = rawPhone && index ? index.phones.normalise(rawPhone) : null;
      const gate = gateFor(sender);
      // Messages Sender Lens sent through HighLevel carry HighLevel's id: the
      // outbox knows their number and status without asking anyone.
      const ours = await outboxAudit(services, messageIds, (n) => index?.phones.display(n) ?? n);
      const theirs = messageIds.filter((id) => !ours.has(id));
      const oursById = Object.fromEntries(ours);
      if (theirs.length === 0) return oursById;
      try {
        const audited = await deps.audit.audit(
          { locationId, conversationId, contactPhone, messageIds: theirs },
          { index, ...(gate === undefined ? {} : { mayFetch: gate }) },
        );
        return { ...audited, ...oursById };
      } catch (error) {
        const message =
          error instanceof AuditUnavailable
            ? error.message
            : 'Could not read the message logs; try again in a minute.';
        return {
          ...Object.fromEntries(theirs.map((id) => [id, auditFailure(message)])),
          ...oursById,
        };
      }
    },

    async 'page-status'(payload, sender) {
      if (sender.context !== 'content-script')
        throw new PublicError('Only a page reports its status.');
      const status: PageStatus = {
        ...payload,
        at: new Date(services.now()).toISOString(),
        origin: sender.origin,
      };
      await deps.session.set({ [`${PAGE_STATUS_PREFIX}${sender.tabId}`]: status });
      return { recorded: true };
    },

    async 'page-status-get'({ tabId }) {
      const key = `${PAGE_STATUS_PREFIX}${tabId}`;
      const stored = (await deps.session.get(key))[key];
      if (!stored || typeof stored !== 'object') return null;
      const status = stored as PageStatus;
      // The tab may have moved on to another site since the content script reported.
      const url = await deps.tabUrl(tabId);
      let origin: string | undefined;
      try {
        origin = url === undefined ? undefined : new URL(url).origin;
      } catch {
        origin = undefined;
      }
      return origin === status.origin ? status : null;
    },
  };
}

/** Audit views of the messages the outbox sent, by HighLevel message id. */
async function outboxAudit(
  services: BackgroundServices,
  messageIds: string[],
  display: (e164: string) => string,
): Promise<Map<string, AuditView>> {
  // A Map: message ids come from the page and may be "__proto__".
  const out = new Map<string, AuditView>();
  const rows = await Promise.all(messageIds.map((id) => services.store.outbox.byProviderId(id)));
  rows.forEach((row, i) => {
    if (row === null) return;
    const view = sendView(row, display);
    out.set(messageIds[i] as string, {
      state: 'exact',
      direction: 'outbound',
      numberDisplay: view.fromDisplay,
      status: row.providerStatus ?? row.state,
      tone: view.tone,
      message: `Sent with Sender Lens via ${row.route === 'highlevel' ? 'HighLevel' : 'Twilio'}: ${view.statusText}`,
    });
  });
  return out;
}
