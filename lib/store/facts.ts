/**
 * Per-contact facts folded from message history, one message at a time.
 *
 * The resolver derives four facts from a contact's history (RULES.md, Terms):
 * the channel number (earliest message), the last manual pick (latest manual
 * outbound), the last used number (latest outbound) and the opt-out state
 * (latest inbound keyword). Each is a minimum or a maximum over the history, so
 * the store keeps only the message that carries each fact and folds new pages
 * into it: a million messages never have to be held at once, and
 * `factsToMessages` hands the resolver those few messages instead of the
 * whole history, from which it derives the same facts.
 *
 * Folding is a join in a total order of messages (time, then sid, then the
 * remaining fields), so the result does not depend on the order pages arrive
 * in, and folding the same message twice changes nothing: a page fetched again
 * after a restart is harmless.
 */

import { E164 } from '../rules/formats';
import { keywordOf } from '../rules/keywords';
import type { SnapshotMessage } from '../rules/types';

/** A message as the sync hands it to the store; `number` is the sub-account's side. */
export interface FoldableMessage {
  /** The sub-account's number, in E.164. */
  number: string;
  direction: 'inbound' | 'outbound';
  /** Milliseconds since the epoch. */
  atMs: number;
  /** The sender was picked by hand in the composer. */
  manual?: boolean;
  body?: string;
  /** The provider's message id (Twilio `SM…`, HighLevel message id): breaks ties in time. */
  sid?: string;
}

/** A message reduced to what the rules read from it. */
export interface FactMessage {
  number: string;
  direction: 'inbound' | 'outbound';
  atMs: number;
  /** `atMs` as ISO 8601, kept so building a snapshot formats no dates. */
  at: string;
  manual: boolean;
  /** The trimmed body, kept only when it is an opt-out or opt-in keyword. */
  keyword?: string;
  sid?: string;
}

/** What a contact's history says, as the messages that carry each fact. */
export interface ContactHistory {
  /** The earliest message, inbound or outbound: its number is the channel number. */
  first: FactMessage;
  /** The latest outbound message whose sender was picked by hand. */
  lastManual?: FactMessage;
  /** The latest outbound message, whatever its source. */
  lastOutbound?: FactMessage;
  /** The latest inbound opt-out or opt-in keyword message. */
  lastKeyword?: FactMessage;
}

/** A snapshot message that still carries its provider id, so it can be folded again. */
export type FactSnapshotMessage = SnapshotMessage & { sid?: string };

/** A message or fact the store was handed is malformed; `field` names what. */
export class FactInputError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'FactInputError';
  }
}

// Dates outside years 0000..9999 do not round-trip through toISOString as
// ISO 8601 the resolver reads.
const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Checks a message from the sync and reduces it to the fields the rules read. */
export function toFactMessage(message: FoldableMessage, field = 'message'): FactMessage {
  if (typeof message !== 'object' || message === null) {
    throw new FactInputError(field, `expected an object, got ${kindOf(message)}`);
  }
  const { number, direction, atMs, manual, body, sid } = message;
  if (typeof number !== 'string' || !E164.test(number)) {
    throw new FactInputError(
      `${field}.number`,
      typeof number === 'string'
        ? `expected an E.164 number like +14155550101, got ${JSON.stringify(number.slice(0, 20))}`
        : `expected an E.164 number, got ${kindOf(number)}`,
    );
  }
  if (direction !== 'inbound' && direction !== 'outbound') {
    throw new FactInputError(`${field}.direction`, 'expected "inbound" or "outbound"');
  }
  if (typeof atMs !== 'number' || !Number.isInteger(atMs) || atMs < MIN_MS || atMs > MAX_MS) {
    throw new FactInputError(
      `${field}.atMs`,
      `expected whole milliseconds between years 0 and 9999, got ${typeof atMs === 'number' ? atMs : kindOf(atMs)}`,
    );
  }
  if (manual !== undefined && typeof manual !== 'boolean') {
    throw new FactInputError(`${field}.manual`, `expected true or false, got ${kindOf(manual)}`);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new FactInputError(`${field}.body`, `expected a string, got ${kindOf(body)}`);
  }
  if (sid !== undefined && (typeof sid !== 'string' || sid.length === 0)) {
    throw new FactInputError(`${field}.sid`, `expected a non-empty string, got ${kindOf(sid)}`);
  }
  const fact: FactMessage = {
    number,
    direction,
    atMs,
    at: new Date(atMs).toISOString(),
    // Only outbound messages have a picked sender.
    manual: direction === 'outbound' && manual === true,
  };
  // Only what the contact sent can opt them out or in.
  if (direction === 'inbound' && typeof body === 'string' && keywordOf(body, atMs) !== null) {
    fact.keyword = body.trim();
  }
  if (sid !== undefined) fact.sid = sid;
  return fact;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The total order facts are kept in: time, then sid (a message without one
 * first), then the other fields, so two different messages never tie.
 */
export function compareFactMessages(a: FactMessage, b: FactMessage): number {
  return (
    a.atMs - b.atMs ||
    compareText(a.sid ?? '', b.sid ?? '') ||
    compareText(a.number, b.number) ||
    compareText(a.direction, b.direction) ||
    Number(a.manual) - Number(b.manual) ||
    compareText(a.keyword ?? '', b.keyword ?? '')
  );
}

function earlier(a: FactMessage, b: FactMessage | undefined): FactMessage {
  return b === undefined || compareFactMessages(a, b) <= 0 ? a : b;
}

function later(a: FactMessage | undefined, b: FactMessage | undefined): FactMessage | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareFactMessages(a, b) >= 0 ? a : b;
}

/** The facts a history of one (already checked) message gives. */
export function factsOfMessage(message: FactMessage): ContactHistory {
  const facts: ContactHistory = { first: message };
  if (message.direction === 'outbound') {
    facts.lastOutbound = message;
    if (message.manual) facts.lastManual = message;
  } else if (message.keyword !== undefined) {
    facts.lastKeyword = message;
  }
  return facts;
}

/** Joins two contacts' facts: what the union of both histories says. */
export function mergeFacts(
  a: ContactHistory | undefined,
  b: ContactHistory | undefined,
): ContactHistory {
  if (a === undefined) {
    if (b === undefined) throw new FactInputError('facts', 'nothing to merge');
    return b;
  }
  if (b === undefined) return a;
  const merged: ContactHistory = { first: earlier(a.first, b.first) };
  const lastManual = later(a.lastManual, b.lastManual);
  const lastOutbound = later(a.lastOutbound, b.lastOutbound);
  const lastKeyword = later(a.lastKeyword, b.lastKeyword);
  // Absent keys rather than `undefined` ones, so stored rows compare equal.
  if (lastManual) merged.lastManual = lastManual;
  if (lastOutbound) merged.lastOutbound = lastOutbound;
  if (lastKeyword) merged.lastKeyword = lastKeyword;
  return merged;
}

/** Folds one message into a contact's facts; checks the message first. */
export function foldMessage(
  facts: ContactHistory | undefined,
  message: FoldableMessage,
): ContactHistory {
  return mergeFacts(facts, factsOfMessage(toFactMessage(message)));
}

/**
 * The messages that carry a contact's facts, oldest first, each once (one
 * message may carry several facts). At most four.
 */
export function carriersOf(facts: ContactHistory): FactMessage[] {
  const carriers: FactMessage[] = [facts.first];
  for (const message of [facts.lastManual, facts.lastOutbound, facts.lastKeyword]) {
    if (message === undefined) continue;
    // Insertion into a sorted list of at most four, skipping a message already in it.
    let i = carriers.length;
    let duplicate = false;
    while (i > 0) {
      const order = compareFactMessages(carriers[i - 1] as FactMessage, message);
      if (order === 0) duplicate = true;
      if (order <= 0) break;
      i--;
    }
    if (!duplicate) carriers.splice(i, 0, message);
  }
  return carriers;
}

/**
 * The few messages that carry a contact's facts, as snapshot messages,
 * oldest first. The resolver derives the same facts from them as from the
 * whole history: of two messages at the same instant it takes the first
 * listed as the earlier and the last listed as the later, which this order
 * matches.
 */
export function factsToMessages(contactId: string, facts: ContactHistory): FactSnapshotMessage[] {
  return carriersOf(facts).map((m) => {
    const message: FactSnapshotMessage = {
      contactId,
      number: m.number,
      direction: m.direction,
      at: m.at,
    };
    if (m.manual) message.manual = true;
    if (m.keyword !== undefined) message.body = m.keyword;
    if (m.sid !== undefined) message.sid = m.sid;
    return message;
  });
}

/**
 * Whether the contact is opted out, and what decided it: the latest keyword
 * message when it is an opt-out (HighLevel sets DND on STOP, so that message
 * explains the flag too), else the DND flag, else an opt-in keyword if any.
 */
export function optOutState(
  facts: ContactHistory | undefined,
  smsDnd = false,
): { optedOut: boolean; by: 'sms-dnd' | 'keyword' | null; message?: FactMessage } {
  const keyword = facts?.lastKeyword;
  if (keyword !== undefined && keywordOf(keyword.keyword, keyword.atMs) === 'opt-out') {
    return { optedOut: true, by: 'keyword', message: keyword };
  }
  if (smsDnd) return { optedOut: true, by: 'sms-dnd' };
  if (keyword !== undefined) return { optedOut: false, by: 'keyword', message: keyword };
  return { optedOut: false, by: null };
}
