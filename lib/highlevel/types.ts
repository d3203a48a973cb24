/** HighLevel (API v2) records as the rest of the extension sees them. */

import type { DatedText } from '../http/check';

export interface HighLevelCredentials {
  /** A Private Integration token or OAuth access token of the sub-account. */
  token: string;
}

/** A sub-account (location). */
export interface HighLevelLocation {
  id: string;
  /** The agency (company) the sub-account belongs to; `GET /users/search` needs it. */
  companyId?: string;
  name?: string;
  /** ISO 3166 alpha-2, used to read national phone formats. */
  country?: string;
  timezone?: string;
}

/** One active number of a sub-account; a capability left out is unknown. */
export interface HighLevelPhoneNumber {
  /** E.164, as HighLevel lists it. */
  phoneNumber: string;
  friendlyName: string | null;
  sid?: string;
  sms?: boolean;
  mms?: boolean;
  voice?: boolean;
  /** The sub-account's default outbound number (`isDefaultNumber`). */
  isDefault: boolean;
  /** The staff member the number is assigned to (`linkedUser`). */
  linkedUserId?: string;
  /** local, toll-free, mobile, national. */
  type?: string;
}

/**
 * A number pool of a sub-account (`NumberPoolDto` of GET
 * /phone-system/number-pools). The active-numbers list says nothing about
 * pools, so this is where a number's pool is read from.
 */
export interface HighLevelNumberPool {
  id: string;
  name?: string;
  locationId?: string;
  /** E.164 numbers in the pool, as HighLevel lists them. */
  numbers: string[];
  isActive?: boolean;
}

/** A staff member; `lcPhone` maps a location id to the user's number there. */
export interface HighLevelUser {
  id: string;
  name?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  deleted?: boolean;
  lcPhone: Record<string, string>;
}

export type DndStatus = 'active' | 'inactive' | 'permanent';

export interface HighLevelContact {
  id: string;
  locationId?: string;
  name?: string;
  phone?: string;
  /** DND on every channel. */
  dnd: boolean;
  /** `dndSettings.SMS.status` as sent, when present. */
  smsDndStatus?: string;
  /** SMS may not be sent: `dnd`, or the SMS setting is active or permanent. */
  smsDnd: boolean;
}

export interface HighLevelConversation {
  id: string;
  contactId: string;
  locationId: string;
  assignedTo?: string;
  /** A number in GET /conversations/{id}, a `TYPE_…` name in search results. */
  type?: number | string;
  lastMessageType?: string;
}

export interface HighLevelMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  body: string;
  dateAdded: DatedText;
  /** `TYPE_SMS`, `TYPE_CALL`, … */
  messageType: string;
  /** For SMS through Twilio: the Twilio message SID. */
  altId?: string;
  userId?: string;
  from?: string;
  to?: string;
  status?: string;
  /** workflow, bulk_actions, campaign, api, app. */
  source?: string;
  contactId?: string;
  conversationId?: string;
  locationId?: string;
  attachments?: string[];
}

/** An SMS to send through HighLevel (POST /conversations/messages, type SMS). */
export interface SendMessageInput {
  contactId: string;
  /** The text; may be empty only when there is media. */
  body: string;
  /** E.164; one of the sub-account's numbers. */
  fromNumber: string;
  /** E.164 recipient, usually the contact's phone. */
  toNumber: string;
  /** Up to 10 http(s) URLs, sent as `attachments`. */
  mediaUrls?: string[];
}

/** HighLevel's answer to a send (`SendMessageResponseDto`). */
export interface SentMessage {
  conversationId: string;
  messageId: string;
  /** `pending` right after the send; delivered, failed, read later. */
  status: string;
}
