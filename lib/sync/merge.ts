/**
 * The merge rule: how HighLevel's and Twilio's lists become the snapshot's
 * numbers and staff (see ./README.md). Pure, so each rule is tested alone.
 *
 * HighLevel says which numbers belong to the sub-account, which is the
 * default and who holds which; Twilio adds what HighLevel leaves out (SMS
 * capability, names). A number Twilio lists but HighLevel does not is not
 * the sub-account's: it is left out.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import type { HighLevelNumberPool, HighLevelPhoneNumber, HighLevelUser } from '../highlevel';
import { isKnownCountry, PhoneBook } from '../rules/phone';
import type { SnapshotNumber, SnapshotUser } from '../rules/types';
import type { TwilioIncomingNumber } from '../twilio';

/** Something the sync left out or changed, said in a line a person can read. */
export type SyncWarning = string;

/** A phone book for the sub-account's country (US when unknown). */
export function phoneBookFor(country: string | undefined): PhoneBook {
  const code = country !== undefined && isKnownCountry(country) ? country : 'US';
  return new PhoneBook(code as CountryCode);
}

/**
 * The sub-account's numbers: HighLevel's active numbers, each once, in
 * E.164. `default` is HighLevel's `isDefaultNumber`. `sms` is Twilio's
 * capability when Twilio lists the number and says, else HighLevel's, else
 * left out (unknown). `name` is HighLevel's friendly name, else Twilio's.
 */
export function mergeNumbers(
  highlevel: readonly HighLevelPhoneNumber[],
  twilio: readonly TwilioIncomingNumber[],
  book: PhoneBook,
  warnings: SyncWarning[] = [],
): SnapshotNumber[] {
  const fromTwilio = new Map<string, TwilioIncomingNumber>();
  for (const n of twilio) {
    const e164 = book.normalise(n.phoneNumber);
    if (e164 !== null && !fromTwilio.has(e164)) fromTwilio.set(e164, n);
  }
  const out: SnapshotNumber[] = [];
  const seen = new Map<string, SnapshotNumber>();
  let defaultNumber: string | null = null;
  for (const n of highlevel) {
    const e164 = book.normalise(n.phoneNumber);
    if (e164 === null) {
      // One unreadable number would make the resolver refuse every send.
      warnings.push(
        `HighLevel lists ${JSON.stringify(n.phoneNumber)}, which is not a valid phone number; it was left out.`,
      );
      continue;
    }
    const twin = fromTwilio.get(e164);
    let number = seen.get(e164);
    if (number === undefined) {
      number = { number: e164 };
      const sms = twin?.capabilities.sms ?? n.sms;
      if (sms !== undefined) number.sms = sms;
      const name = nonEmpty(n.friendlyName) ?? nonEmpty(twin?.friendlyName);
      if (name !== undefined) number.name = name;
      seen.set(e164, number);
      out.push(number);
    }
    if (n.isDefault) {
      if (defaultNumber === null) {
        defaultNumber = e164;
        number.default = true;
      } else if (defaultNumber !== e164) {
        // Two defaults would make the resolver refuse every send.
        warnings.push(
          `HighLevel marks both ${defaultNumber} and ${e164} as the default number; ${defaultNumber} was kept as the default.`,
        );
      }
    }
  }
  return out;
}

/**
 * The numbers with the pool each is in: the pool's name, else its id. The
 * active-numbers list has no pool field, so membership comes from the pools'
 * own lists (GET /phone-system/number-pools). It is data for the tooltip only:
 * a pool number is an active number like any other to the rules. A pool of
 * another sub-account, or a pool number HighLevel does not list as active,
 * changes nothing; a number in two pools keeps the first.
 */
export function withPools(
  numbers: readonly SnapshotNumber[],
  pools: readonly HighLevelNumberPool[],
  locationId: string,
  book: PhoneBook,
): SnapshotNumber[] {
  const poolOf = new Map<string, string>();
  for (const pool of pools) {
    if (pool.locationId !== undefined && pool.locationId !== locationId) continue;
    const label = nonEmpty(pool.name) ?? pool.id;
    for (const raw of pool.numbers) {
      const e164 = book.normalise(raw);
      if (e164 !== null && !poolOf.has(e164)) poolOf.set(e164, label);
    }
  }
  return numbers.map((n) => {
    const pool = poolOf.get(n.number);
    return pool === undefined ? n : { ...n, pool };
  });
}

/**
 * The sub-account's staff: HighLevel's users of the location (deleted ones
 * left out), each with their number here: `lcPhone[locationId]`, else the
 * number HighLevel links to them (`linkedUser`; the default one first if
 * several). A number that does not read as a phone number is left out.
 */
export function staffOf(
  users: readonly HighLevelUser[],
  numbers: readonly HighLevelPhoneNumber[],
  locationId: string,
  book: PhoneBook,
  warnings: SyncWarning[] = [],
): SnapshotUser[] {
  const linked = new Map<string, HighLevelPhoneNumber>();
  for (const n of numbers) {
    if (n.linkedUserId === undefined) continue;
    const held = linked.get(n.linkedUserId);
    if (held === undefined || (n.isDefault && !held.isDefault)) linked.set(n.linkedUserId, n);
  }
  const out: SnapshotUser[] = [];
  const seen = new Set<string>();
  for (const u of users) {
    if (u.deleted === true || seen.has(u.id)) continue;
    seen.add(u.id);
    const user: SnapshotUser = { id: u.id };
    const name = nonEmpty(u.name) ?? nonEmpty([u.firstName, u.lastName].filter(Boolean).join(' '));
    if (name !== undefined) user.name = name;
    const raw = nonEmpty(u.lcPhone[locationId]) ?? linked.get(u.id)?.phoneNumber;
    if (raw !== undefined) {
      const e164 = book.normalise(raw);
      if (e164 !== null) user.number = e164;
      else {
        warnings.push(
          `HighLevel gives ${name ?? u.id} the number ${JSON.stringify(raw)}, which is not a valid phone number; they count as having none.`,
        );
      }
    }
    out.push(user);
  }
  return out;
}

/** Numbers of the Twilio account that HighLevel does not list for this sub-account. */
export function foreignNumbers(
  highlevel: readonly HighLevelPhoneNumber[],
  twilio: readonly TwilioIncomingNumber[],
  book: PhoneBook,
): Set<string> {
  const ours = new Set(highlevel.map((n) => book.normalise(n.phoneNumber)));
  const out = new Set<string>();
  for (const n of twilio) {
    const e164 = book.normalise(n.phoneNumber);
    if (e164 !== null && !ours.has(e164)) out.add(e164);
  }
  return out;
}

function nonEmpty(text: string | null | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
