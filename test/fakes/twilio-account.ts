/**
 * One account of the fake Twilio: the main account or one of its
 * subaccounts. Each keeps its own numbers and messages, as Twilio does, so a
 * request for one account never sees another's; ./twilio.ts decides who may
 * reach which account and speaks the protocol.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { rfc2822, type SidMaker } from './core.ts';

export type TwilioDirection = 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';

/** A message as the fake keeps it; dates in epoch milliseconds. */
export interface TwilioMessageRecord {
  sid: string;
  from: string | null;
  to: string;
  body: string;
  direction: TwilioDirection;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  numSegments: number;
  numMedia: number;
  price: string | null;
  messagingServiceSid: string | null;
  /** date_sent; also the list order (newest first). */
  sentMs: number;
  createdMs: number;
  updatedMs: number;
}

/**
 * A read-only run of messages that is computed, not stored: index 0 is the
 * newest, and sentMs strictly decreases with the index.
 */
export interface MessageSource {
  readonly count: number;
  at(index: number): TwilioMessageRecord;
  sentMsAt(index: number): number;
  /** The first index whose sentMs is <= ms (count when none). */
  firstAtOrBefore(ms: number): number;
  /** The index of a sid this source made, undefined otherwise. */
  indexOfSid(sid: string): number | undefined;
}

export interface IncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  sms: boolean;
  voice: boolean;
  mms: boolean;
  createdMs: number;
}

export interface NewIncomingNumber {
  phoneNumber: string;
  friendlyName?: string;
  sms?: boolean;
  voice?: boolean;
  mms?: boolean;
}

export interface NewMessage {
  from: string;
  to: string;
  body?: string;
  direction?: 'inbound' | 'outbound-api' | 'outbound-reply';
  dateSent: Date;
  status?: string;
  errorCode?: number | null;
  numSegments?: number;
  price?: string | null;
}

export interface CreatedMessage {
  sid: string;
  from: string | null;
  to: string;
  body: string;
  status: string;
}

export type AccountStatus = 'active' | 'suspended' | 'closed';

/** What a test can do with one account of the fake, the main account or a subaccount. */
export interface FakeTwilioAccount {
  readonly accountSid: string;
  /** The account's own Auth Token. */
  readonly authToken: string;
  readonly friendlyName: string;
  addIncomingNumber(n: NewIncomingNumber): string;
  addMessage(m: NewMessage): string;
  /** Moves a message on (queued -> sent -> delivered, or failed/undelivered with an error code). */
  setMessageStatus(sid: string, status: string, errorCode?: number | null): void;
  messageCount(): number;
  /** The messages created through the API (POST), oldest first. */
  createdMessages(): CreatedMessage[];
}

export const API = '2010-04-01';
export const E164 = /^\+[1-9]\d{6,14}$/;
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

const ERROR_MESSAGES: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  21610: 'Attempt to send to unsubscribed recipient',
};

/** Twilio's own friendly name for a NANP number: "(415) 555-0101". */
function friendly(phone: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : phone;
}

export function segments(body: string): number {
  return body ? new SegmentedMessage(body, 'auto').segmentsCount : 0;
}

/** True when a comes before b in Twilio's list order (newest first, then higher SID). */
export function comesBefore(
  a: { sentMs: number; sid: string },
  b: { sentMs: number; sid: string },
): boolean {
  return a.sentMs !== b.sentMs ? a.sentMs > b.sentMs : a.sid > b.sid;
}

export interface AccountInit {
  accountSid: string;
  authToken: string;
  friendlyName: string;
  /** The main account's SID; the main account's own for itself. */
  ownerSid: string;
  apiKeys: { sid: string; secret: string }[];
  status: AccountStatus;
  sids: SidMaker;
  now: () => Date;
  /** Whether any account of the fake already has this number: Twilio gives a number to one account. */
  numberTaken: (phone: string) => boolean;
}

/** The numbers and messages of one account, and its JSON as Twilio writes it. */
export class AccountState implements FakeTwilioAccount {
  readonly accountSid: string;
  readonly authToken: string;
  readonly friendlyName: string;
  readonly ownerSid: string;
  readonly apiKeys: { sid: string; secret: string }[];
  status: AccountStatus;
  readonly numbers: IncomingNumber[] = [];
  /** Stored messages, kept in list order. */
  readonly messages: TwilioMessageRecord[] = [];
  private readonly bySid = new Map<string, TwilioMessageRecord>();
  private bulk: MessageSource | undefined;
  private readonly sids: SidMaker;
  private readonly now: () => Date;
  private readonly numberTaken: (phone: string) => boolean;

  constructor(init: AccountInit) {
    if (!/^AC[0-9a-f]{32}$/i.test(init.accountSid)) {
      throw new Error('createFakeTwilio: accountSid must be AC followed by 32 hex digits');
    }
    for (const k of init.apiKeys) {
      if (!/^SK[0-9a-f]{32}$/i.test(k.sid)) {
        throw new Error(
          `createFakeTwilio: API key sid ${k.sid} must be SK followed by 32 hex digits`,
        );
      }
    }
    this.accountSid = init.accountSid;
    this.authToken = init.authToken;
    this.friendlyName = init.friendlyName;
    this.ownerSid = init.ownerSid;
    this.apiKeys = init.apiKeys;
    this.status = init.status;
    this.sids = init.sids;
    this.now = init.now;
    this.numberTaken = init.numberTaken;
  }

  get isMain(): boolean {
    return this.ownerSid === this.accountSid;
  }

  addIncomingNumber(n: NewIncomingNumber): string {
    if (!E164.test(n.phoneNumber)) {
      throw new Error(`addIncomingNumber: phoneNumber must be E.164, got '${n.phoneNumber}'`);
    }
    if (this.hasIncomingNumber(n.phoneNumber)) {
      throw new Error(`addIncomingNumber: ${n.phoneNumber} is already a number of this account`);
    }
    if (this.numberTaken(n.phoneNumber)) {
      throw new Error(`addIncomingNumber: ${n.phoneNumber} is already a number of another account`);
    }
    const sid = this.sids.next('PN');
    this.numbers.push({
      sid,
      phoneNumber: n.phoneNumber,
      friendlyName: n.friendlyName ?? friendly(n.phoneNumber),
      sms: n.sms ?? true,
      voice: n.voice ?? true,
      mms: n.mms ?? n.sms ?? true,
      createdMs: this.now().getTime(),
    });
    return sid;
  }

  addMessage(m: NewMessage): string {
    const ms = m.dateSent?.getTime();
    if (ms === undefined || Number.isNaN(ms))
      throw new Error('addMessage: dateSent must be a valid Date');
    const ours = this.numbers.some((n) => n.phoneNumber === m.from);
    const direction = m.direction ?? (ours ? 'outbound-api' : 'inbound');
    const body = m.body ?? '';
    const errorCode = m.errorCode ?? null;
    const record: TwilioMessageRecord = {
      sid: this.sids.next('SM'),
      from: m.from,
      to: m.to,
      body,
      direction,
      status: m.status ?? (direction === 'inbound' ? 'received' : 'delivered'),
      errorCode,
      errorMessage: errorCode === null ? null : (ERROR_MESSAGES[errorCode] ?? 'Message failed'),
      numSegments: m.numSegments ?? segments(body),
      numMedia: 0,
      price: m.price ?? null,
      messagingServiceSid: null,
      sentMs: ms,
      createdMs: ms,
      updatedMs: ms,
    };
    this.store(record);
    return record.sid;
  }

  createdMessages(): CreatedMessage[] {
    return this.messages
      .filter((m) => m.direction === 'outbound-api')
      .sort((a, b) => a.createdMs - b.createdMs)
      .map(({ sid, from, to, body, status }) => ({ sid, from, to, body, status }));
  }

  setMessageStatus(sid: string, status: string, errorCode: number | null = null): void {
    const m = this.bySid.get(sid);
    if (!m) throw new Error(`setMessageStatus: no stored message ${sid}`);
    m.status = status;
    m.errorCode = errorCode;
    m.errorMessage = errorCode === null ? null : (ERROR_MESSAGES[errorCode] ?? 'Message failed');
    m.updatedMs = this.now().getTime();
  }

  messageCount(): number {
    return this.messages.length + (this.bulk?.count ?? 0);
  }

  /** Serves a computed run of messages alongside the stored ones (see generateBulkHistory). */
  attachBulk(source: MessageSource | undefined): void {
    this.bulk = source;
  }

  hasIncomingNumber(phone: string): boolean {
    return this.numbers.some((n) => n.phoneNumber === phone);
  }

  store(record: TwilioMessageRecord): void {
    let lo = 0;
    let hi = this.messages.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comesBefore(this.messages[mid] as TwilioMessageRecord, record)) lo = mid + 1;
      else hi = mid;
    }
    this.messages.splice(lo, 0, record);
    this.bySid.set(record.sid, record);
  }

  findMessage(sid: string): TwilioMessageRecord | undefined {
    const stored = this.bySid.get(sid);
    if (stored) return stored;
    const i = this.bulk?.indexOfSid(sid);
    return i === undefined ? undefined : this.bulk?.at(i);
  }

  /** Stored and computed messages merged in list order, from just after `after`. */
  *ordered(
    after: { sentMs: number; sid: string } | undefined,
    atOrBeforeMs: number,
  ): Generator<TwilioMessageRecord> {
    const stored = this.messages;
    let i = 0;
    {
      let lo = 0;
      let hi = stored.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const m = stored[mid] as TwilioMessageRecord;
        const skip = m.sentMs > atOrBeforeMs || (after !== undefined && !comesBefore(after, m));
        if (skip) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    const bulk = this.bulk;
    let j = bulk
      ? bulk.firstAtOrBefore(Math.min(atOrBeforeMs, after?.sentMs ?? Number.POSITIVE_INFINITY))
      : 0;
    if (bulk && after) {
      while (j < bulk.count && bulk.sentMsAt(j) === after.sentMs && !comesBefore(after, bulk.at(j)))
        j++;
    }
    let nextBulk = bulk && j < bulk.count ? bulk.at(j) : undefined;
    while (i < stored.length || nextBulk) {
      const s = stored[i];
      if (s && (!nextBulk || comesBefore(s, nextBulk))) {
        yield s;
        i++;
      } else if (nextBulk && bulk) {
        yield nextBulk;
        j++;
        nextBulk = j < bulk.count ? bulk.at(j) : undefined;
      }
    }
  }

  /** Twilio blocks a sender once the recipient texted it an opt-out keyword, until an opt-in. */
  optedOut(ourNumber: string, contact: string): boolean {
    for (const m of this.messages) {
      if (m.direction !== 'inbound' || m.from !== contact || m.to !== ourNumber) continue;
      const word = m.body.trim().toUpperCase();
      if (OPT_OUT.has(word)) return true;
      if (OPT_IN.has(word)) return false;
    }
    return false;
  }

  // --- JSON as Twilio writes it ---------------------------------------------

  /** The account resource; the Accounts list carries each account's Auth Token, as Twilio's does. */
  accountJson(withAuthToken: boolean): object {
    const base = `/2010-04-01/Accounts/${this.accountSid}`;
    return {
      ...(withAuthToken ? { auth_token: this.authToken } : {}),
      date_created: rfc2822(Date.UTC(2024, 0, 15, 9, 30)),
      date_updated: rfc2822(Date.UTC(2024, 0, 15, 9, 30)),
      friendly_name: this.friendlyName,
      owner_account_sid: this.ownerSid,
      sid: this.accountSid,
      status: this.status,
      subresource_uris: {
        incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
        messages: `${base}/Messages.json`,
      },
      type: 'Full',
      uri: `${base}.json`,
    };
  }

  numberJson(n: IncomingNumber): object {
    const created = rfc2822(n.createdMs);
    return {
      account_sid: this.accountSid,
      address_requirements: 'none',
      address_sid: null,
      api_version: API,
      beta: false,
      capabilities: { fax: false, mms: n.mms, sms: n.sms, voice: n.voice },
      date_created: created,
      date_updated: created,
      emergency_address_sid: null,
      emergency_address_status: 'unregistered',
      emergency_status: 'Inactive',
      friendly_name: n.friendlyName,
      identity_sid: null,
      origin: 'twilio',
      phone_number: n.phoneNumber,
      sid: n.sid,
      sms_application_sid: null,
      sms_fallback_method: 'POST',
      sms_fallback_url: '',
      sms_method: 'POST',
      sms_url: '',
      status_callback: '',
      status_callback_method: 'POST',
      trunk_sid: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
      voice_application_sid: null,
      voice_caller_id_lookup: false,
      voice_fallback_method: 'POST',
      voice_fallback_url: '',
      voice_method: 'POST',
      voice_receive_mode: 'voice',
      voice_url: '',
      bundle_sid: null,
      status: 'in-use',
      type: 'local',
    };
  }

  messageJson(m: TwilioMessageRecord): object {
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages/${m.sid}`;
    // Key order follows what Twilio returns, for anyone reading raw bodies.
    return {
      body: m.body,
      num_segments: String(m.numSegments),
      direction: m.direction,
      from: m.from,
      to: m.to,
      date_updated: rfc2822(m.updatedMs),
      price: m.price,
      error_message: m.errorMessage,
      uri: `${uri}.json`,
      account_sid: this.accountSid,
      num_media: String(m.numMedia),
      status: m.status,
      messaging_service_sid: m.messagingServiceSid,
      sid: m.sid,
      date_sent: rfc2822(m.sentMs),
      date_created: rfc2822(m.createdMs),
      error_code: m.errorCode,
      price_unit: 'USD',
      api_version: API,
      subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    };
  }
}
