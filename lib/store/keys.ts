/**
 * How history is keyed. Twilio's messages carry phone numbers, not HighLevel
 * contact ids, so the sync folds each message under the other party's phone,
 * `tel:+14155559001`. A HighLevel contact joins the history of its phone
 * (read with the sub-account's country) and the history kept under its own
 * id, if any; see index.ts, where snapshots are built.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { E164 } from '../rules/formats';
import { isKnownCountry, PhoneBook } from '../rules/phone';

const PREFIX = 'tel:';

/** The history key of a phone number already in E.164, e.g. `tel:+14155559001`. */
export function phoneKey(e164: string): string {
  if (!E164.test(e164))
    throw new TypeError(`phoneKey: expected E.164, got ${JSON.stringify(e164)}`);
  return PREFIX + e164;
}

/** Whether a facts key is a phone key rather than a contact id. */
export function isPhoneKey(key: string): boolean {
  return key.startsWith(PREFIX);
}

/** Phone books per country, shared: each caches its parses. */
const books = new Map<string, PhoneBook>();

/**
 * The keys a contact's facts are kept under: its id, and its phone's key when
 * the phone reads as a valid number in `country`.
 */
export function contactKeys(contact: { id: string; phone?: string }, country: string): string[] {
  const keys = [contact.id];
  if (contact.phone === undefined || contact.phone === '') return keys;
  const code = isKnownCountry(country) ? country : 'US';
  let book = books.get(code);
  if (book === undefined) {
    book = new PhoneBook(code as CountryCode);
    books.set(code, book);
  }
  const e164 = book.normalise(contact.phone);
  if (e164 !== null) keys.push(PREFIX + e164);
  return keys;
}
