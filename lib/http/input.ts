/**
 * Checks of caller input both clients share, so a bad number or URL is
 * refused the same way (and in the same words) before anything is sent.
 */

import { E164 } from '../rules/formats';
import { InputError } from './errors';

/** An E.164 number, else an InputError naming `field`. */
export function e164(value: string, field: string): string {
  if (typeof value !== 'string' || !E164.test(value)) {
    throw new InputError(
      field,
      `must be an E.164 phone number like +14155550101, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** An absolute http(s) URL, else an InputError naming `field`. */
export function httpUrl(value: string, field: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InputError(field, `must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}
