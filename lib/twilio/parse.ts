/**
 * Reads Twilio's JSON (API 2010-04-01, twilio_api_v2010.json) into the types
 * of ./types. Fields the specification marks nullable may be null; fields we
 * depend on must be present with the right type, or a `ShapeError` names them.
 */

import { Fields, ShapeError } from '../http/check';
import { parseRfc2822Date } from '../rules/dates';
import {
  TWILIO_DIRECTIONS,
  type TwilioAccount,
  type TwilioDate,
  type TwilioIncomingNumber,
  type TwilioMessage,
} from './types';

/** Reads Twilio's RFC 2822 dates with the resolver's strict RFC 2822 reader; bad text gives an invalid Date. */
export function parseRfc2822(text: string): Date {
  return new Date(parseRfc2822Date(text) ?? Number.NaN);
}

function twilioDate(f: Fields, key: string): TwilioDate | null {
  return f.optionalDate(key, parseRfc2822) ?? null;
}

/** Twilio sends counts as decimal strings (`"2"`). */
function countString(f: Fields, key: string): number | null {
  const text = f.optionalString(key);
  if (text === undefined) return null;
  if (!/^\d+$/.test(text)) throw new ShapeError(f.at(key), 'should be a whole number in a string');
  return Number(text);
}

/** Reads one `api.v2010.account.incoming_phone_number`. */
export function readIncomingNumber(value: unknown, path: string): TwilioIncomingNumber {
  const f = Fields.of(value, path);
  const caps = f.optionalObject('capabilities');
  const capabilities: TwilioIncomingNumber['capabilities'] = {};
  if (caps !== undefined) {
    for (const key of ['sms', 'mms', 'voice'] as const) {
      const v = caps.optionalBoolean(key);
      if (v !== undefined) capabilities[key] = v;
    }
  }
  return {
    sid: f.id('sid'),
    phoneNumber: f.id('phone_number'),
    friendlyName: f.optionalString('friendly_name') ?? null,
    capabilities,
  };
}

/** Reads one `api.v2010.account`, leaving its `auth_token` unread: a secret Sender Lens never keeps. */
export function readAccount(value: unknown, path: string): TwilioAccount {
  const f = Fields.of(value, path);
  return {
    sid: f.id('sid'),
    friendlyName: f.optionalString('friendly_name') ?? null,
    status: f.string('status'),
    ownerAccountSid: f.optionalString('owner_account_sid') ?? null,
  };
}

/** Reads one `api.v2010.account.message`. */
export function readMessage(value: unknown, path: string): TwilioMessage {
  const f = Fields.of(value, path);
  return {
    sid: f.id('sid'),
    from: f.optionalString('from') ?? null,
    to: f.optionalString('to') ?? null,
    body: f.optionalString('body') ?? '',
    direction: f.oneOf('direction', TWILIO_DIRECTIONS),
    status: f.string('status'),
    errorCode: f.optionalInteger('error_code') ?? null,
    errorMessage: f.optionalString('error_message') ?? null,
    numSegments: countString(f, 'num_segments'),
    numMedia: countString(f, 'num_media'),
    price: f.optionalString('price') ?? null,
    priceUnit: f.optionalString('price_unit') ?? null,
    messagingServiceSid: f.optionalString('messaging_service_sid') ?? null,
    dateSent: twilioDate(f, 'date_sent'),
    dateCreated: twilioDate(f, 'date_created'),
    dateUpdated: twilioDate(f, 'date_updated'),
  };
}

export interface TwilioListPage<T> {
  items: T[];
  nextPageUri: string | null;
}

/** Reads a list response whose items sit under `key` (`messages`, `incoming_phone_numbers`, `accounts`). */
export function readListPage<T>(
  value: unknown,
  key: string,
  readItem: (item: unknown, path: string) => T,
): TwilioListPage<T> {
  const f = Fields.of(value, 'response');
  return {
    items: f.array(key, readItem),
    nextPageUri: f.optionalString('next_page_uri') ?? null,
  };
}
