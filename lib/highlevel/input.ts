/**
 * Checks what a caller hands the HighLevel client before it reaches a URL or
 * a request body: ids that would change the path, a token with spaces, an SMS
 * with nothing to send. Each failure is an `InputError` naming the field.
 */

import { InputError } from '../http/errors';
import { e164, httpUrl } from '../http/input';
import type { HighLevelCredentials, SendMessageInput } from './types';

const MAX_MEDIA = 10;

// HighLevel ids are short alphanumeric strings; anything else would change the path.
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const TOKEN_TEXT = /^[\x21-\x7e]+$/;

/** Whether a value has the shape of a HighLevel id. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** The token of checked credentials. */
export function readToken(credentials: HighLevelCredentials): string {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new InputError('credentials', 'must be an object');
  }
  const { token } = credentials;
  // The message never quotes the value: it is a secret.
  if (typeof token !== 'string' || token === '')
    throw new InputError('credentials.token', 'is missing');
  if (!TOKEN_TEXT.test(token)) {
    throw new InputError(
      'credentials.token',
      'contains spaces or characters a HighLevel token never has',
    );
  }
  return token;
}

/** Throws unless `value` is a HighLevel id, so it can go into a path as it is. */
export function checkId(value: string, field: string): void {
  if (!isId(value)) {
    throw new InputError(
      field,
      `must be a HighLevel id (letters and digits), got ${JSON.stringify(value)}`,
    );
  }
}

/** A whole number of 1 or more, or an error naming the field. */
export function positive(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(field, `must be a whole number of 1 or more, got ${value}`);
  }
  return value;
}

/** The JSON body of an SMS send (SendMessageBodyDto), from checked input. */
export interface SendPayload {
  type: 'SMS';
  contactId: string;
  message: string;
  fromNumber: string;
  toNumber: string;
  attachments?: string[];
}

/** The checked JSON body of an SMS send. */
export function sendPayload(input: SendMessageInput): SendPayload {
  if (typeof input !== 'object' || input === null) {
    throw new InputError('input', 'must be an object');
  }
  checkId(input.contactId, 'input.contactId');
  const fromNumber = e164(input.fromNumber, 'input.fromNumber');
  const toNumber = e164(input.toNumber, 'input.toNumber');
  const media = input.mediaUrls ?? [];
  if (!Array.isArray(media)) throw new InputError('input.mediaUrls', 'must be an array of URLs');
  if (media.length > MAX_MEDIA) {
    throw new InputError(
      'input.mediaUrls',
      `holds ${media.length} URLs; Sender Lens sends at most ${MAX_MEDIA}`,
    );
  }
  const attachments = media.map((url, i) => httpUrl(url, `input.mediaUrls[${i}]`));
  if (typeof input.body !== 'string') throw new InputError('input.body', 'must be a string');
  // Blank text would reach the contact as an empty bubble.
  if (input.body.trim() === '' && attachments.length === 0) {
    throw new InputError('input.body', 'is empty and there is no media: nothing to send');
  }
  const payload: SendPayload = {
    type: 'SMS',
    contactId: input.contactId,
    message: input.body,
    fromNumber,
    toNumber,
  };
  if (attachments.length > 0) payload.attachments = attachments;
  return payload;
}
