/** Twilio records as the rest of the extension sees them (camelCase, checked). */

import type { DatedText } from '../http/check';

export type TwilioCredentials =
  | { kind: 'auth-token'; accountSid: string; authToken: string }
  | { kind: 'api-key'; accountSid: string; apiKeySid: string; apiKeySecret: string };

/**
 * A Twilio account as the Accounts list gives it: the main account or one of
 * its subaccounts. Twilio's answer also carries each account's Auth Token;
 * it is never read.
 */
export interface TwilioAccount {
  /** `AC…`. */
  sid: string;
  friendlyName: string | null;
  /** `active`, `suspended` or `closed`. */
  status: string;
  /** The main account's SID; for the main account itself, its own. */
  ownerAccountSid: string | null;
}

/** A date Twilio sent in RFC 2822 form, kept as sent and parsed. */
export type TwilioDate = DatedText;

/** An incoming phone number of the account; a capability left out is unknown. */
export interface TwilioIncomingNumber {
  sid: string;
  /** E.164, e.g. `+14155550101`. */
  phoneNumber: string;
  friendlyName: string | null;
  capabilities: { sms?: boolean; mms?: boolean; voice?: boolean };
}

export type TwilioDirection = 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';

export const TWILIO_DIRECTIONS: readonly TwilioDirection[] = [
  'inbound',
  'outbound-api',
  'outbound-call',
  'outbound-reply',
];

export interface TwilioMessage {
  /** `SM…` or `MM…`. */
  sid: string;
  from: string | null;
  to: string | null;
  body: string;
  direction: TwilioDirection;
  /** queued, sending, sent, delivered, undelivered, failed, received, … */
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number | null;
  numMedia: number | null;
  /** Decimal string as Twilio sends it, e.g. `-0.00750`; null until billed. */
  price: string | null;
  priceUnit: string | null;
  messagingServiceSid: string | null;
  /** Null while the message is still queued. */
  dateSent: TwilioDate | null;
  dateCreated: TwilioDate | null;
  dateUpdated: TwilioDate | null;
}

export interface ListMessagesFilter {
  /** E.164 recipient. */
  to?: string;
  /** E.164 sender. */
  from?: string;
  /** Only messages sent at or after this moment (`DateSent>`). */
  sentOnOrAfter?: Date;
  /** Messages per page, 1 to 1000; default 500. */
  pageSize?: number;
}

export interface CreateMessageInput {
  /** E.164 recipient. */
  to: string;
  /** E.164 sender; this or `messagingServiceSid` is required. */
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  /** Up to 10 public URLs; sent as repeated `MediaUrl` fields. */
  mediaUrls?: readonly string[];
  statusCallback?: string;
}
