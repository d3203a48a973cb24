/**
 * Checks of what the sync and the UI hand the store, so a bad row is refused
 * with the field named instead of being written and breaking the resolver
 * later. Phone formats are the resolver's business (it normalises with the
 * sub-account's country); here only shapes are checked.
 */
import { isKnownCountry } from '../rules/phone';
import type { SnapshotContact, SnapshotNumber, SnapshotUser } from '../rules/types';

/** Input the store refuses; `field` names what is wrong, e.g. `numbers[2].sms`. */
export class StoreInputError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'StoreInputError';
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreInputError(field, `expected an object, got ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
}

/** A non-empty string of at most `max` characters. */
export function requireId(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new StoreInputError(
      field,
      `expected a non-empty string of at most ${max} characters, got ${kindOf(value)}`,
    );
  }
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new StoreInputError(field, `expected a string, got ${kindOf(value)}`);
  }
  return value;
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new StoreInputError(field, `expected true or false, got ${kindOf(value)}`);
  }
  return value;
}

/** A list, or a clear error naming it. */
export function requireList(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value))
    throw new StoreInputError(field, `expected a list, got ${kindOf(value)}`);
  return value;
}

/** A checked copy of a sub-account number, without unknown fields. */
export function checkNumber(value: unknown, field: string): SnapshotNumber {
  const r = record(value, field);
  const out: SnapshotNumber = { number: requireId(r.number, `${field}.number`, 40) };
  const sms = optionalBoolean(r.sms, `${field}.sms`);
  const isDefault = optionalBoolean(r.default, `${field}.default`);
  const name = optionalString(r.name, `${field}.name`);
  const pool = optionalString(r.pool, `${field}.pool`);
  if (sms !== undefined) out.sms = sms;
  if (isDefault !== undefined) out.default = isDefault;
  if (name !== undefined) out.name = name;
  if (pool !== undefined) out.pool = pool;
  return out;
}

/** A checked copy of a staff member, without unknown fields. */
export function checkUser(value: unknown, field: string): SnapshotUser {
  const r = record(value, field);
  const out: SnapshotUser = { id: requireId(r.id, `${field}.id`) };
  const name = optionalString(r.name, `${field}.name`);
  const number = optionalString(r.number, `${field}.number`);
  if (name !== undefined) out.name = name;
  if (number !== undefined) out.number = number;
  return out;
}

/** A checked copy of a contact, without unknown fields. */
export function checkContact(value: unknown, field: string): SnapshotContact {
  const r = record(value, field);
  const out: SnapshotContact = { id: requireId(r.id, `${field}.id`) };
  const name = optionalString(r.name, `${field}.name`);
  const phone = optionalString(r.phone, `${field}.phone`);
  const smsDnd = optionalBoolean(r.smsDnd, `${field}.smsDnd`);
  if (name !== undefined) out.name = name;
  if (phone !== undefined) out.phone = phone;
  if (smsDnd !== undefined) out.smsDnd = smsDnd;
  return out;
}

/** Refuses a list in which `key` repeats, naming both places. */
export function requireUnique<T>(list: T[], key: (item: T) => string, field: string): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) {
      throw new StoreInputError(`${field}[${i}]`, `repeats ${field}[${first}]`);
    }
    seen.set(k, i);
  });
}

/**
 * A Twilio account SID (AC and 32 hex digits) or null, which means the main
 * account of the saved credentials. Not a secret: it names an account.
 */
export function checkAccountSid(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^AC[0-9a-fA-F]{32}$/.test(value)) {
    throw new StoreInputError(field, 'expected "AC" followed by 32 hexadecimal characters');
  }
  return value;
}

/** An ISO 3166 alpha-2 code the phone library knows, upper-cased. */
export function checkCountry(value: unknown, field: string): string {
  const code = typeof value === 'string' ? value.toUpperCase() : '';
  if (!/^[A-Z]{2}$/.test(code) || !isKnownCountry(code)) {
    throw new StoreInputError(field, 'expected a two-letter ISO 3166 country code such as "US"');
  }
  return code;
}
