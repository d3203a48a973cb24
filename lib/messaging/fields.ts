/**
 * The field schemas requests share: ids, phone numbers, E.164 numbers and
 * null-or-something. Defined once, so a bound is the same in every request.
 */
import { E164, MAX_ID_LENGTH } from '../rules/formats';
import { type Parsed, type Schema, string } from './schema';

/** A record id (sub-account, contact, conversation, message, user); the store keeps ids of the same bound. */
export const id = (): Schema<string> => string({ maxLength: MAX_ID_LENGTH });

/** A phone number as a person or the page writes it; the resolver reads it. */
export const phone = (): Schema<string> => string({ maxLength: 64 });

/** An E.164 number, e.g. +14155550101. */
export function e164(): Schema<string> {
  return {
    read(input, path) {
      if (typeof input !== 'string' || !E164.test(input)) {
        return {
          ok: false,
          issue: { path, message: 'expected an E.164 number like +14155550101' },
        };
      }
      return { ok: true, value: input };
    },
  };
}

/** `schema`, or null (which the other schemas refuse). */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return {
    read(input, path): Parsed<T | null> {
      return input === null ? { ok: true, value: null } : schema.read(input, path);
    },
  };
}
