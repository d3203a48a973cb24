/**
 * Folded facts in bulk: a full sync's facts written as a few hundred bucket
 * rows instead of one row per contact.
 *
 * Why: in Chromium every IndexedDB request crosses into the browser process,
 * so 100,000 small rows take 10 to 17 s to put (measured on the 2-core CI
 * machine), while the same facts as 256 rows of JSON text take about 1 s.
 * A contact's facts are found by hashing its key to a bucket; a bucket holds
 * a few hundred contacts (about 100 KB of JSON at 100,000 contacts), so
 * reading one contact costs one get and one parse.
 *
 * Buckets sit beside the per-contact rows (`contactFacts`), which incremental
 * syncs write: a contact's facts are the join of
 * both (facts.ts: the join is order-independent and idempotent), so a fact
 * may live in either, or in both, and reads the same.
 */

import { E164 } from '../rules/formats';
import { type ContactHistory, FactInputError, type FactMessage } from './facts';

/**
 * How many buckets a generation's facts are spread over. Part of the stored
 * layout: changing it needs a migration that rewrites every bucket.
 */
export const FACT_BUCKETS = 256;

/** The bucket of a contact key (FNV-1a, so it is the same in every release). */
export function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % FACT_BUCKETS;
}

/** [number, flags (1 outbound, 2 manual), atMs, sid or null, keyword or null]. */
type EncodedMessage = [string, number, number, string | null, string | null];
/** [first, lastManual, lastOutbound, lastKeyword]; absent ones are null. */
type EncodedFacts = [
  EncodedMessage,
  EncodedMessage | null,
  EncodedMessage | null,
  EncodedMessage | null,
];

const OUTBOUND = 1;
const MANUAL = 2;

function encodeMessage(m: FactMessage): EncodedMessage {
  return [
    m.number,
    (m.direction === 'outbound' ? OUTBOUND : 0) | (m.manual ? MANUAL : 0),
    m.atMs,
    m.sid ?? null,
    m.keyword ?? null,
  ];
}

function decodeMessage(e: EncodedMessage): FactMessage {
  const m: FactMessage = {
    number: e[0],
    direction: e[1] & OUTBOUND ? 'outbound' : 'inbound',
    atMs: e[2],
    at: new Date(e[2]).toISOString(),
    manual: (e[1] & MANUAL) !== 0,
  };
  if (e[4] !== null) m.keyword = e[4];
  if (e[3] !== null) m.sid = e[3];
  return m;
}

/** A contact's facts in the compact form buckets keep. */
export function encodeFacts(facts: ContactHistory): EncodedFacts {
  return [
    encodeMessage(facts.first),
    facts.lastManual ? encodeMessage(facts.lastManual) : null,
    facts.lastOutbound ? encodeMessage(facts.lastOutbound) : null,
    facts.lastKeyword ? encodeMessage(facts.lastKeyword) : null,
  ];
}

/** The facts `encodeFacts` encoded. */
export function decodeFacts(encoded: EncodedFacts): ContactHistory {
  const facts: ContactHistory = { first: decodeMessage(encoded[0]) };
  if (encoded[1] !== null) facts.lastManual = decodeMessage(encoded[1]);
  if (encoded[2] !== null) facts.lastOutbound = decodeMessage(encoded[2]);
  if (encoded[3] !== null) facts.lastKeyword = decodeMessage(encoded[3]);
  return facts;
}

/** One bucket's contents, parsed lazily: only the contacts asked for are decoded. */
export class Bucket {
  private readonly encoded: Record<string, EncodedFacts>;

  constructor(text: string | undefined) {
    // Text this module wrote; a row that does not parse is a corrupt
    // database, which must fail loudly rather than read as "no history".
    this.encoded = text === undefined ? {} : (JSON.parse(text) as Record<string, EncodedFacts>);
  }

  /** The facts of one contact key, if the bucket holds any. */
  get(key: string): ContactHistory | undefined {
    const e = Object.hasOwn(this.encoded, key) ? this.encoded[key] : undefined;
    return e === undefined ? undefined : decodeFacts(e);
  }

  /** Every key the bucket holds. */
  keys(): string[] {
    return Object.keys(this.encoded);
  }

  /** Replaces a contact's facts (the caller merges first). */
  set(key: string, facts: ContactHistory): void {
    this.encoded[key] = encodeFacts(facts);
  }

  /** The text to store. */
  toText(): string {
    return JSON.stringify(this.encoded);
  }
}

function checkMessage(value: unknown, field: string): void {
  const m = value as Partial<FactMessage> | null;
  if (typeof m !== 'object' || m === null) throw new FactInputError(field, 'expected a message');
  if (typeof m.number !== 'string' || !E164.test(m.number)) {
    throw new FactInputError(`${field}.number`, 'expected an E.164 number');
  }
  if (m.direction !== 'inbound' && m.direction !== 'outbound') {
    throw new FactInputError(`${field}.direction`, 'expected "inbound" or "outbound"');
  }
  if (typeof m.atMs !== 'number' || !Number.isInteger(m.atMs)) {
    throw new FactInputError(`${field}.atMs`, 'expected whole milliseconds');
  }
  if (typeof m.manual !== 'boolean') {
    throw new FactInputError(`${field}.manual`, 'expected true or false');
  }
}

/**
 * Checks facts handed to the store in bulk: they come from `foldMessage`, so
 * this only guards against a caller handing something else.
 */
export function checkFacts(value: unknown, field: string): ContactHistory {
  const facts = value as Partial<ContactHistory> | null;
  if (typeof facts !== 'object' || facts === null) {
    throw new FactInputError(field, 'expected folded facts (see foldMessage)');
  }
  checkMessage(facts.first, `${field}.first`);
  for (const name of ['lastManual', 'lastOutbound', 'lastKeyword'] as const) {
    if (facts[name] !== undefined) checkMessage(facts[name], `${field}.${name}`);
  }
  return facts as ContactHistory;
}
