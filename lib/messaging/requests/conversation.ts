/**
 * Requests of the conversations content script: the sender view of a
 * conversation, picks, "I am …", the audit of past messages, the page status;
 * and the popup's question about a tab's page status. (What the background
 * sends to a tab is in ../tab.ts, which carries no schemas.)
 */

import type { ContactIdSource } from '../../page/adapter';
import { e164, id, nullable } from '../fields';
import { type Catalogue, request } from '../request';
import { array, number, object, oneOf, optional, string } from '../schema';
import type { SendRoute } from '../send-views';
import { MAX_AUDIT_IDS } from '../tab';
import type { AuditView, SenderView, SwitcherOption, SwitcherUser } from '../views';

export interface SenderViewPayload {
  locationId: string;
  conversationId: string;
  contactId: string;
  /** The logged-in user as the page reported it; absent when the page did not say. */
  userId?: string;
}

/** What the sender badge, its tooltip and the switcher show. */
export interface SenderViewResponse {
  view: SenderView;
  options: SwitcherOption[];
  /** Staff to choose from ("I am …"), given when the page did not say who is logged in. */
  users?: SwitcherUser[];
  /** The sub-account's send route, and why a send cannot go out now (any body), if it cannot. */
  send?: { route: SendRoute; refusal?: string };
}

export interface PickPayload extends SenderViewPayload {
  /** The picked number in E.164, or null to drop the pick. */
  number: string | null;
}

export interface IAmPayload {
  locationId: string;
  userId: string;
}

/** One sub-account's "I am …" choice, for the options page. */
export interface ChosenUserView {
  locationId: string;
  userId: string;
  /** The user's name in the synced My Staff; null when they are not there (any more). */
  name: string | null;
}

export interface AuditPayload {
  locationId: string;
  conversationId: string;
  contactId: string;
  messageIds: string[];
}

/** Per HighLevel message id: what its row's audit chip shows. */
export type AuditResponse = Record<string, AuditView>;

/** What the content script found on the page. */
export type PageState = 'ok' | 'unrecognised' | 'no-conversation';

export interface PageStatusPayload {
  status: PageState;
  /** For 'unrecognised': the parts of the page that were not found. */
  missing?: string[];
  /** For 'ok': where the contact id was read (the contact link, or the list's active card). */
  contactIdFrom?: ContactIdSource;
  locationId?: string;
  conversationId?: string;
}

/** A tab's page status as the popup reads it. */
export interface PageStatus extends PageStatusPayload {
  /** When the content script reported it (ISO 8601). */
  at: string;
  /** The page's origin, as the browser reported the sender's. */
  origin: string;
}

const senderViewShape = {
  locationId: id(),
  conversationId: id(),
  contactId: id(),
  userId: optional(id()),
};

export const conversationRequests = {
  /** Which number the next SMS of this conversation goes out from, why, and what else it could. */
  'sender-view': request<SenderViewResponse>()({
    from: ['content-script'],
    frames: 'top',
    payload: object(senderViewShape, 'a sender-view request'),
  }),
  /** Records (or, with null, drops) a manual pick for the contact, and answers the new view. */
  pick: request<SenderViewResponse>()({
    from: ['content-script'],
    frames: 'top',
    payload: object({ ...senderViewShape, number: nullable(e164()) }, 'a pick request'),
  }),
  /** "I am …": who the agent is in this sub-account, when the page does not say. */
  'i-am': request<{ userId: string }>()({
    from: ['content-script', 'extension-page'],
    frames: 'top',
    payload: object({ locationId: id(), userId: id() }, 'an i-am request'),
  }),
  /** The options page lists the "I am …" choices, one per sub-account. */
  'i-am-list': request<ChosenUserView[]>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object({}, 'an i-am-list request'),
  }),
  /** The options page forgets a sub-account's "I am …" choice, and answers the list left. */
  'i-am-clear': request<ChosenUserView[]>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object({ locationId: id() }, 'an i-am-clear request'),
  }),
  /** Twilio's record of the given messages of a conversation. */
  audit: request<AuditResponse>()({
    from: ['content-script'],
    frames: 'top',
    payload: object(
      {
        locationId: id(),
        conversationId: id(),
        contactId: id(),
        messageIds: array(id(), { maxItems: MAX_AUDIT_IDS }),
      },
      'an audit request',
    ),
  }),
  /** The content script says what it found on the page, for the popup. */
  'page-status': request<{ recorded: true }>()({
    from: ['content-script'],
    frames: 'top',
    payload: object(
      {
        status: oneOf(['ok', 'unrecognised', 'no-conversation']),
        missing: optional(array(string({ maxLength: 64 }), { maxItems: 32 })),
        contactIdFrom: optional(oneOf(['contactLink', 'activeConversationCard'])),
        locationId: optional(id()),
        conversationId: optional(id()),
      },
      'a page-status request',
    ),
  }),
  /** The popup asks what the content script found in a tab; null when nothing was reported. */
  'page-status-get': request<PageStatus | null>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object(
      { tabId: number({ integer: true, min: 0, max: 2 ** 31 - 1 }) },
      'a page-status-get request',
    ),
  }),
} satisfies Catalogue;
