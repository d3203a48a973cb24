import { SegmentedMessage } from 'sms-segments-calculator';
import { hashInts, hex8 } from './core.ts';
import type { FakeTwilio, MessageSource, TwilioMessageRecord } from './twilio.ts';
import { TwilioFake } from './twilio.ts';

export interface BulkHistoryOptions {
  /** How many messages to serve (e.g. 1_000_000). */
  messages: number;
  /**
   * The account's side: phone numbers (added as SMS-capable incoming numbers
   * when missing), or how many numbers to make up (+1628300xxxx).
   */
  numbers: string[] | number;
  /** How many distinct contacts (+1628200xxxx...); default messages / 50. */
  contacts?: number;
  /** date_sent of message 0, the newest; default 2026-01-01T00:00:00Z. */
  newest?: Date;
  /** Milliseconds between consecutive messages; default 30 s (1M messages span about 347 days). */
  spacingMs?: number;
  /** PRNG seed; the same seed gives the same history. */
  seed?: number;
}

/** The generated message at one index, as a test can check it against the API. */
export interface BulkMessage {
  sid: string;
  from: string;
  to: string;
  body: string;
  direction: 'inbound' | 'outbound-api';
  status: string;
  dateSent: Date;
}

export interface BulkHistory {
  count: number;
  numbers: string[];
  contacts: number;
  newest: Date;
  oldest: Date;
  /** Message at `index` (0 = newest), computed on demand. */
  messageAt(index: number): BulkMessage;
  sidAt(index: number): string;
  /** Phone of generated contact `k`. */
  contactPhone(k: number): string;
}

const TEMPLATES = [
  'Hi! This is Sunrise Dental confirming your appointment tomorrow at 10:00. Reply C to confirm.',
  'Confirmed, thanks',
  'Can we move it to Thursday?',
  'Your cleaning is due. Book online or reply with a time that suits you.',
  'Thank you for visiting today! How did we do? Leave us a review: https://example.com/r',
  'Running 10 min late, sorry!',
  'Yes',
  'Reminder: please bring your insurance card to your visit. Questions? Just reply to this message and our front desk team will help you out as soon as we can.',
  'ok 👍',
  'What time do you open on Saturday?',
];

// Worked out once, so generating a message costs a few hashes.
const TEMPLATE_SEGMENTS = TEMPLATES.map((t) => new SegmentedMessage(t, 'auto').segmentsCount);

const FAILURES = [30003, 30005, 30006, 30007];
const ERROR_TEXT: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
};

class GeneratedHistory implements MessageSource {
  readonly count: number;
  private readonly newestMs: number;
  private readonly spacing: number;
  private readonly tag: string;

  constructor(
    private readonly seed: number,
    count: number,
    newest: Date,
    spacingMs: number,
    readonly numbers: string[],
    readonly contacts: number,
  ) {
    this.count = count;
    this.newestMs = newest.getTime();
    this.spacing = spacingMs;
    this.tag = hex8(hashInts(seed, 0xb01c));
  }

  contactPhone(k: number): string {
    return `+1628${String(2_000_000 + k)}`;
  }

  sentMsAt(i: number): number {
    return this.newestMs - i * this.spacing;
  }

  firstAtOrBefore(ms: number): number {
    if (ms >= this.newestMs) return 0;
    const i = Math.ceil((this.newestMs - ms) / this.spacing);
    return Math.min(Math.max(i, 0), this.count);
  }

  sidAt(i: number): string {
    const mix = hex8(hashInts(this.seed, i, 7)) + hex8(hashInts(this.seed, i, 8)).slice(0, 4);
    return `SM${this.tag}${mix}${i.toString(16).padStart(12, '0')}`;
  }

  indexOfSid(sid: string): number | undefined {
    if (sid.length !== 34 || !sid.startsWith(`SM${this.tag}`)) return undefined;
    const i = Number.parseInt(sid.slice(22), 16);
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return undefined;
    return this.sidAt(i) === sid ? i : undefined;
  }

  at(i: number): TwilioMessageRecord {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) {
      throw new RangeError(`bulk history has no message ${i} (count ${this.count})`);
    }
    const s = this.seed;
    const k = hashInts(s, i, 1) % this.contacts;
    const n = this.numbers.length;
    // Most contacts keep talking to "their" number; a fifth of messages use another.
    const home = hashInts(s, k, 2) % n;
    const number = this.numbers[
      hashInts(s, i, 3) % 5 === 0 ? hashInts(s, i, 4) % n : home
    ] as string;
    const inbound = hashInts(s, i, 5) % 100 < 40;
    const t = hashInts(s, i, 6) % TEMPLATES.length;
    const roll = hashInts(s, i, 9) % 100;
    const failed = !inbound && roll >= 96;
    const errorCode = failed ? (FAILURES[roll % FAILURES.length] as number) : null;
    const sentMs = this.sentMsAt(i);
    const segs = TEMPLATE_SEGMENTS[t] ?? 1;
    return {
      sid: this.sidAt(i),
      from: inbound ? this.contactPhone(k) : number,
      to: inbound ? number : this.contactPhone(k),
      body: TEMPLATES[t] as string,
      direction: inbound ? 'inbound' : 'outbound-api',
      status: inbound ? 'received' : failed ? 'undelivered' : roll >= 93 ? 'sent' : 'delivered',
      errorCode,
      errorMessage: errorCode === null ? null : (ERROR_TEXT[errorCode] ?? null),
      numSegments: segs,
      numMedia: 0,
      price: `-${(0.0079 * segs).toFixed(5)}`,
      messagingServiceSid: null,
      sentMs,
      createdMs: sentMs,
      updatedMs: sentMs,
    };
  }
}

/**
 * Gives a fake Twilio a deterministic history of `messages` messages without
 * storing them: each message is computed from its index when a page needs it,
 * so a million messages cost a few hundred bytes. Replaces any earlier bulk
 * history; stored messages (addMessage, sends) are merged in date order.
 */
export function generateBulkHistory(twilio: FakeTwilio, opts: BulkHistoryOptions): BulkHistory {
  if (!(twilio instanceof TwilioFake)) {
    throw new Error('generateBulkHistory: pass a fake made by createFakeTwilio');
  }
  const count = opts.messages;
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`generateBulkHistory: messages must be a non-negative integer, got ${count}`);
  }
  const numbers =
    typeof opts.numbers === 'number'
      ? Array.from({ length: opts.numbers }, (_, k) => `+1628300${String(k).padStart(4, '0')}`)
      : [...opts.numbers];
  if (numbers.length === 0) throw new Error('generateBulkHistory: needs at least one number');
  for (const phone of numbers) {
    if (!twilio.hasIncomingNumber(phone)) twilio.addIncomingNumber({ phoneNumber: phone });
  }
  const contacts = opts.contacts ?? Math.max(1, Math.floor(count / 50));
  if (!Number.isInteger(contacts) || contacts < 1 || contacts > 999_999) {
    throw new Error(`generateBulkHistory: contacts must be 1..999999, got ${contacts}`);
  }
  const spacing = opts.spacingMs ?? 30_000;
  if (!Number.isInteger(spacing) || spacing < 1) {
    throw new Error(`generateBulkHistory: spacingMs must be a positive integer, got ${spacing}`);
  }
  const newest = opts.newest ?? new Date('2026-01-01T00:00:00Z');
  const history = new GeneratedHistory(opts.seed ?? 1, count, newest, spacing, numbers, contacts);
  twilio.attachBulk(history);
  const toMessage = (i: number): BulkMessage => {
    const r = history.at(i);
    return {
      sid: r.sid,
      from: r.from as string,
      to: r.to,
      body: r.body,
      direction: r.direction as 'inbound' | 'outbound-api',
      status: r.status,
      dateSent: new Date(r.sentMs),
    };
  };
  return {
    count,
    numbers,
    contacts,
    newest,
    oldest: new Date(history.sentMsAt(Math.max(count - 1, 0))),
    messageAt: toMessage,
    sidAt: (i) => history.sidAt(i),
    contactPhone: (k) => history.contactPhone(k),
  };
}
