import { parseMessageDate } from './dates';
import { type Keyword, keywordOf } from './keywords';
import { isKnownCountry, PhoneBook } from './phone';
import type { Refusal } from './types';

/** An active number of the sub-account, normalised. */
export interface ActiveNumber {
  e164: string;
  /** `undefined`: the capability is unknown (treated as capable, with a warning). */
  sms: boolean | undefined;
  isDefault: boolean;
  name: string | undefined;
  /** The number pool it is in, for display; no rule reads it. */
  pool: string | undefined;
}

export interface StaffMember {
  id: string;
  name: string;
  /** The assigned number in E.164, active or removed. */
  number: string | undefined;
}

export interface Contact {
  id: string;
  name: string;
  /** E.164, or null when the contact has no phone or it is not valid. */
  phone: string | null;
  rawPhone: string | undefined;
  smsDnd: boolean;
}

/** A number seen in a contact's history, and when. */
export interface HistoryFact {
  number: string;
  at: number;
}

/** What the history says about one contact, folded once per snapshot. */
export interface ContactFacts {
  channel: HistoryFact | undefined;
  lastManualPick: HistoryFact | undefined;
  lastUsed: HistoryFact | undefined;
  keyword: (HistoryFact & { kind: Keyword; body: string }) | undefined;
}

/** A snapshot read, checked and indexed so that resolving is a few lookups. */
export interface RulesIndex {
  phones: PhoneBook;
  numbers: Map<string, ActiveNumber>;
  defaultNumber: ActiveNumber | undefined;
  staff: Map<string, StaffMember>;
  contacts: Map<string, Contact>;
  facts: Map<string, ContactFacts>;
}

/** Thrown inside the builder only; turned into an `invalid-input` refusal at its boundary. */
export class InvalidInput extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** The `invalid-input` refusal for an offending field. */
export function invalidInput(field: string, message: string): Refusal {
  return {
    error: 'invalid-input',
    field,
    message: `${field}: ${message}`,
    warnings: [],
    trace: [],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function requireArray(record: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = record[key];
  if (!Array.isArray(value))
    throw new InvalidInput(`${path}.${key}`, `expected a list, got ${describe(value)}`);
  return value;
}

function requireRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidInput(path, `expected an object, got ${describe(value)}`);
  return value;
}

function requireString(record: Record<string, unknown>, key: string, path: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidInput(`${path}.${key}`, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function optionalString(
  record: Record<string, unknown>,
  key: string,
  path: string,
): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new InvalidInput(`${path}.${key}`, `expected a string, got ${describe(value)}`);
  return value;
}

function optionalBoolean(
  record: Record<string, unknown>,
  key: string,
  path: string,
): boolean | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new InvalidInput(`${path}.${key}`, `expected true or false, got ${describe(value)}`);
  return value;
}

function requirePhone(phones: PhoneBook, raw: string, field: string): string {
  const e164 = phones.normalise(raw);
  if (e164 === null) throw new InvalidInput(field, `${describe(raw)} is not a valid phone number`);
  return e164;
}

function readNumbers(
  list: unknown[],
  phones: PhoneBook,
): Pick<RulesIndex, 'numbers' | 'defaultNumber'> {
  const numbers = new Map<string, ActiveNumber>();
  let defaultNumber: ActiveNumber | undefined;
  let defaultPath = '';
  list.forEach((item, i) => {
    const path = `snapshot.numbers[${i}]`;
    const record = requireRecord(item, path);
    const e164 = requirePhone(phones, requireString(record, 'number', path), `${path}.number`);
    if (numbers.has(e164)) throw new InvalidInput(`${path}.number`, `${e164} is listed twice`);
    const entry: ActiveNumber = {
      e164,
      sms: optionalBoolean(record, 'sms', path),
      isDefault: optionalBoolean(record, 'default', path) === true,
      name: optionalString(record, 'name', path),
      pool: optionalString(record, 'pool', path),
    };
    if (entry.isDefault) {
      if (defaultNumber) {
        throw new InvalidInput(
          `${path}.default`,
          `a second default outbound number (${defaultPath} is already the default)`,
        );
      }
      defaultNumber = entry;
      defaultPath = path;
    }
    numbers.set(e164, entry);
  });
  return { numbers, defaultNumber };
}

function readStaff(list: unknown[], phones: PhoneBook): Map<string, StaffMember> {
  const staff = new Map<string, StaffMember>();
  list.forEach((item, i) => {
    const path = `snapshot.users[${i}]`;
    const record = requireRecord(item, path);
    const id = requireString(record, 'id', path);
    if (staff.has(id)) throw new InvalidInput(`${path}.id`, `user ${describe(id)} is listed twice`);
    const raw = optionalString(record, 'number', path);
    const number =
      raw === undefined || raw.trim() === ''
        ? undefined
        : requirePhone(phones, raw, `${path}.number`);
    staff.set(id, { id, name: optionalString(record, 'name', path) || id, number });
  });
  return staff;
}

function readContacts(list: unknown[], phones: PhoneBook): Map<string, Contact> {
  const contacts = new Map<string, Contact>();
  list.forEach((item, i) => {
    const path = `snapshot.contacts[${i}]`;
    const record = requireRecord(item, path);
    const id = requireString(record, 'id', path);
    if (contacts.has(id))
      throw new InvalidInput(`${path}.id`, `contact ${describe(id)} is listed twice`);
    const rawPhone = optionalString(record, 'phone', path);
    contacts.set(id, {
      id,
      name: optionalString(record, 'name', path) || `contact ${id}`,
      // An invalid contact phone is not bad input: RULES.md makes it the
      // `contact-has-no-phone` refusal for sends to that contact.
      phone: rawPhone === undefined || rawPhone.trim() === '' ? null : phones.normalise(rawPhone),
      rawPhone,
      smsDnd: optionalBoolean(record, 'smsDnd', path) === true,
    });
  });
  return contacts;
}

/**
 * Folds history into per-contact facts in one pass. Ties in time are broken by
 * list order: of two messages at the same instant, the one listed first is
 * taken as the earlier.
 */
export function indexHistory(list: unknown[], phones: PhoneBook): Map<string, ContactFacts> {
  const facts = new Map<string, ContactFacts>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const record = isRecord(item) ? item : undefined;
    const contactId = record?.contactId;
    const rawNumber = record?.number;
    const direction = record?.direction;
    const rawAt = record?.at;
    const manual = record?.manual;
    const body = record?.body;
    // The usual message is read without building its path; any doubt goes
    // through the checks below, which name the field.
    if (
      typeof contactId !== 'string' ||
      contactId === '' ||
      typeof rawNumber !== 'string' ||
      (direction !== 'inbound' && direction !== 'outbound') ||
      typeof rawAt !== 'string' ||
      (manual !== undefined && manual !== null && typeof manual !== 'boolean') ||
      (body !== undefined && body !== null && typeof body !== 'string')
    ) {
      explainBadMessage(item, i);
    }
    const number = phones.normalise(rawNumber as string);
    if (number === null) {
      throw new InvalidInput(
        `snapshot.messages[${i}].number`,
        `${describe(rawNumber)} is not a valid phone number`,
      );
    }
    const at = parseMessageDate(rawAt as string);
    if (at === null) {
      throw new InvalidInput(
        `snapshot.messages[${i}].at`,
        `${describe(rawAt)} is not an ISO 8601 or RFC 2822 date`,
      );
    }

    let entry = facts.get(contactId as string);
    if (entry === undefined) {
      // Every entry gets every field, so all share one shape in the engine.
      entry = {
        channel: undefined,
        lastManualPick: undefined,
        lastUsed: undefined,
        keyword: undefined,
      };
      facts.set(contactId as string, entry);
    }
    if (entry.channel === undefined || at < entry.channel.at) entry.channel = { number, at };
    if (direction === 'outbound') {
      if (entry.lastUsed === undefined || at >= entry.lastUsed.at) entry.lastUsed = { number, at };
      if (
        manual === true &&
        (entry.lastManualPick === undefined || at >= entry.lastManualPick.at)
      ) {
        entry.lastManualPick = { number, at };
      }
    } else if (typeof body === 'string') {
      const kind = keywordOf(body, at);
      if (kind !== null && (entry.keyword === undefined || at >= entry.keyword.at)) {
        entry.keyword = { number, at, kind, body: body.trim() };
      }
    }
  }
  return facts;
}

/** Throws the InvalidInput that names what is wrong with a history entry. */
function explainBadMessage(item: unknown, i: number): never {
  const path = `snapshot.messages[${i}]`;
  const record = requireRecord(item, path);
  requireString(record, 'contactId', path);
  requireString(record, 'number', path);
  const direction = record.direction;
  if (direction !== 'inbound' && direction !== 'outbound') {
    throw new InvalidInput(
      `${path}.direction`,
      `expected "inbound" or "outbound", got ${describe(direction)}`,
    );
  }
  requireString(record, 'at', path);
  optionalBoolean(record, 'manual', path);
  optionalString(record, 'body', path);
  throw new InvalidInput(path, 'could not be read');
}

/**
 * Reads and checks a snapshot and indexes its history per contact. Returns an
 * `invalid-input` refusal naming the offending field instead of throwing.
 */
export function buildIndex(snapshot: unknown): RulesIndex | Refusal {
  try {
    const record = requireRecord(snapshot, 'snapshot');
    const country = optionalString(record, 'country', 'snapshot') ?? 'US';
    const code = country.toUpperCase();
    if (!isKnownCountry(code)) {
      throw new InvalidInput(
        'snapshot.country',
        `${describe(country)} is not a known ISO 3166 country code`,
      );
    }
    const phones = new PhoneBook(code);
    const { numbers, defaultNumber } = readNumbers(
      requireArray(record, 'numbers', 'snapshot'),
      phones,
    );
    return {
      phones,
      numbers,
      defaultNumber,
      staff: readStaff(requireArray(record, 'users', 'snapshot'), phones),
      contacts: readContacts(requireArray(record, 'contacts', 'snapshot'), phones),
      facts: indexHistory(requireArray(record, 'messages', 'snapshot'), phones),
    };
  } catch (error) {
    if (error instanceof InvalidInput) return invalidInput(error.field, error.detail);
    return invalidInput(
      'snapshot',
      `could not be read (${error instanceof Error ? error.name : 'unknown error'})`,
    );
  }
}

/** Whether a build result is a usable index rather than a refusal. */
export function isIndex(value: RulesIndex | Refusal): value is RulesIndex {
  return !('error' in value);
}
