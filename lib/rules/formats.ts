/**
 * The shapes every layer reads the same way: E.164 numbers and the bound on
 * record ids. Pure, so the protocol, the store and the clients share them.
 */

/** E.164 as Twilio and HighLevel write numbers: "+", a non-zero digit, up to 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** Whether `value` is a number written in E.164, e.g. +14155550101. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/**
 * The longest id (sub-account, contact, conversation, message, user) that the
 * protocol accepts and the store keeps: far above HighLevel's and Twilio's
 * ids (20 to 34 characters), low enough that a sender cannot make the
 * background chew on megabytes.
 */
export const MAX_ID_LENGTH = 100;
