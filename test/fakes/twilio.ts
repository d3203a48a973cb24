import { SegmentedMessage } from 'sms-segments-calculator';
import { Contract, type ContractMatch } from './contract.ts';
import {
  type FakeResponse,
  FakeService,
  type Faults,
  type Handler,
  type HandlerContext,
  type IncomingRequest,
  json,
  rfc2822,
  SidMaker,
} from './core.ts';
import { twilioSpecPath } from './specs.ts';

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

interface IncomingNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  sms: boolean;
  voice: boolean;
  mms: boolean;
  createdMs: number;
}

export interface FakeTwilio {
  /** In-process fetch; accepts absolute URLs on https://api.twilio.com (or a served base). */
  fetch: typeof fetch;
  violations: { method: string; path: string; errors: string[] }[];
  requests: { method: string; path: string; query: string }[];
  faults: Faults;
  accountSid: string;
  authToken: string;
  /** Lists how a body breaks the spec's response schema for an operation and status (empty: it fits). */
  responseErrors(operationId: string, status: number, body: unknown): string[];
  /** How long openapi-backend took to load the Twilio spec in this process. */
  contractInitMs: number;
  addIncomingNumber(n: {
    phoneNumber: string;
    friendlyName?: string;
    sms?: boolean;
    voice?: boolean;
    mms?: boolean;
  }): string;
  addMessage(m: {
    from: string;
    to: string;
    body?: string;
    direction?: 'inbound' | 'outbound-api' | 'outbound-reply';
    dateSent: Date;
    status?: string;
    errorCode?: number | null;
    numSegments?: number;
    price?: string | null;
  }): string;
  /** Moves a message on (queued -> sent -> delivered, or failed/undelivered with an error code). */
  setMessageStatus(sid: string, status: string, errorCode?: number | null): void;
  messageCount(): number;
  /** The messages created through the API (POST), oldest first. */
  createdMessages(): {
    sid: string;
    from: string | null;
    to: string;
    body: string;
    status: string;
  }[];
}

export interface CreateFakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  apiKeys?: { sid: string; secret: string }[];
  /** Clock for created messages; default the real clock. */
  now?: () => Date;
  /** Seed for the generated SIDs; default 'twilio'. */
  seed?: string;
}

const API = '2010-04-01';
const E164 = /^\+[1-9]\d{6,14}$/;
const CHANNEL = /^[a-z]+:.+/;
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);

/** Twilio's test-credential To numbers and what they answer. */
const MAGIC_TO: Record<string, { code: number; message: (to: string) => string }> = {
  '+15005550001': { code: 21211, message: (to) => `Invalid 'To' Phone Number: ${to}` },
  '+15005550002': {
    code: 21612,
    message: (to) =>
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`,
  },
  '+15005550003': {
    code: 21408,
    message: (to) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.`,
  },
  '+15005550004': { code: 21610, message: () => 'Attempt to send to unsubscribed recipient' },
  '+15005550009': {
    code: 21614,
    message: (to) => `'To' number ${to} is not a valid mobile number`,
  },
};

/** The valid From of Twilio's test credentials. */
const MAGIC_FROM_OK = '+15005550006';

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

function segments(body: string): number {
  return body ? new SegmentedMessage(body, 'auto').segmentsCount : 0;
}

/** True when a comes before b in Twilio's list order (newest first, then higher SID). */
function comesBefore(
  a: { sentMs: number; sid: string },
  b: { sentMs: number; sid: string },
): boolean {
  return a.sentMs !== b.sentMs ? a.sentMs > b.sentMs : a.sid > b.sid;
}

function asList(v: unknown): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Parses Twilio's DateSent filter values: YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time. */
function parseFilterDate(value: string): { ms: number; dayOnly: boolean } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : { ms, dayOnly: true };
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value))
    return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : { ms, dayOnly: false };
}

class TwilioError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
  ) {}
}

export class TwilioFake extends FakeService implements FakeTwilio {
  readonly accountSid: string;
  readonly authToken: string;
  protected readonly label = 'Twilio';
  private readonly apiKeys: { sid: string; secret: string }[];
  private readonly now: () => Date;
  private readonly sids: SidMaker;
  private readonly numbers: IncomingNumber[] = [];
  /** Stored messages, kept in list order. */
  private readonly messages: TwilioMessageRecord[] = [];
  private readonly bySid = new Map<string, TwilioMessageRecord>();
  private bulk: MessageSource | undefined;

  constructor(contract: Contract, opts: CreateFakeTwilioOptions = {}) {
    super(contract, 'https://api.twilio.com');
    this.sids = new SidMaker(opts.seed ?? 'twilio');
    this.accountSid = opts.accountSid ?? this.sids.next('AC');
    this.authToken = opts.authToken ?? this.sids.next('').slice(0, 32);
    if (!/^AC[0-9a-f]{32}$/i.test(this.accountSid)) {
      throw new Error(`createFakeTwilio: accountSid must be AC followed by 32 hex digits`);
    }
    this.apiKeys = opts.apiKeys ?? [];
    for (const k of this.apiKeys) {
      if (!/^SK[0-9a-f]{32}$/i.test(k.sid)) {
        throw new Error(
          `createFakeTwilio: API key sid ${k.sid} must be SK followed by 32 hex digits`,
        );
      }
    }
    this.now = opts.now ?? (() => new Date());
  }

  protected readonly handlers: Record<string, Handler> = {
    FetchAccount: () => this.reply(200, this.accountJson()),
    ListIncomingPhoneNumber: (ctx) => this.listNumbers(ctx),
    FetchIncomingPhoneNumber: (ctx) => {
      const n = this.numbers.find((x) => x.sid === ctx.params.Sid);
      return n ? this.reply(200, this.numberJson(n)) : this.notFound(ctx);
    },
    ListMessage: (ctx) => this.guard(() => this.listMessages(ctx)),
    FetchMessage: (ctx) => {
      const m = this.findMessage(ctx.params.Sid ?? '');
      return m ? this.reply(200, this.messageJson(m)) : this.notFound(ctx);
    },
    CreateMessage: (ctx) => this.guard(() => this.createMessage(ctx)),
  };

  // --- test set-up -------------------------------------------------------

  addIncomingNumber(n: {
    phoneNumber: string;
    friendlyName?: string;
    sms?: boolean;
    voice?: boolean;
    mms?: boolean;
  }): string {
    if (!E164.test(n.phoneNumber)) {
      throw new Error(`addIncomingNumber: phoneNumber must be E.164, got '${n.phoneNumber}'`);
    }
    if (this.numbers.some((x) => x.phoneNumber === n.phoneNumber)) {
      throw new Error(`addIncomingNumber: ${n.phoneNumber} is already a number of this account`);
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

  addMessage(m: {
    from: string;
    to: string;
    body?: string;
    direction?: 'inbound' | 'outbound-api' | 'outbound-reply';
    dateSent: Date;
    status?: string;
    errorCode?: number | null;
    numSegments?: number;
    price?: string | null;
  }): string {
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

  createdMessages(): {
    sid: string;
    from: string | null;
    to: string;
    body: string;
    status: string;
  }[] {
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

  private store(record: TwilioMessageRecord): void {
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

  private findMessage(sid: string): TwilioMessageRecord | undefined {
    const stored = this.bySid.get(sid);
    if (stored) return stored;
    const i = this.bulk?.indexOfSid(sid);
    return i === undefined ? undefined : this.bulk?.at(i);
  }

  // --- protocol ------------------------------------------------------------

  protected authenticate(req: IncomingRequest, match: ContractMatch): FakeResponse | undefined {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(.+)$/i.exec(header);
    let user = '';
    let pass = '';
    if (m?.[1]) {
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      user = decoded.slice(0, colon);
      pass = decoded.slice(colon + 1);
    }
    const ok =
      (user === this.accountSid && pass === this.authToken) ||
      this.apiKeys.some((k) => k.sid === user && k.secret === pass);
    const pathAccount = match.params.AccountSid ?? match.params.Sid;
    const sameAccount =
      !match.operation.path.startsWith('/2010-04-01/Accounts/{') || pathAccount === this.accountSid;
    if (ok && sameAccount) return undefined;
    return this.reply(
      401,
      {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      },
      { 'www-authenticate': 'Basic realm="Twilio API"' },
    );
  }

  protected errorResponse(
    status: number,
    reason: 'violation' | 'not-found' | 'method' | 'rate-limit' | 'server' | 'not-implemented',
    detail: string,
    extra: Record<string, string> = {},
  ): FakeResponse {
    const codes: Record<typeof reason, number> = {
      violation: 0,
      'not-found': 20404,
      method: 20004,
      'rate-limit': 20429,
      server: status === 503 ? 20503 : 20500,
      'not-implemented': 0,
    };
    const messages: Record<typeof reason, string> = {
      violation: `Fake Twilio: the request breaks Twilio's API spec: ${detail}`,
      'not-found': `The requested resource ${detail.replace(/^Cannot \w+ /, '')} was not found`,
      method: 'Method not allowed',
      'rate-limit': 'Too Many Requests',
      server: 'An internal server error has occurred',
      'not-implemented': `Fake Twilio: ${detail}`,
    };
    const code = codes[reason];
    return this.reply(
      status,
      {
        code,
        message: messages[reason],
        more_info: code ? `https://www.twilio.com/docs/errors/${code}` : 'test/fakes/twilio.ts',
        status,
      },
      extra,
    );
  }

  private reply(
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ): FakeResponse {
    return json(status, value, { 'twilio-request-id': this.sids.next('RQ'), ...headers });
  }

  private twilioError(err: TwilioError): FakeResponse {
    return this.reply(err.status, {
      code: err.code,
      message: err.message,
      more_info: `https://www.twilio.com/docs/errors/${err.code}`,
      status: err.status,
    });
  }

  private guard(fn: () => FakeResponse): FakeResponse {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TwilioError) return this.twilioError(err);
      throw err;
    }
  }

  private notFound(ctx: HandlerContext): FakeResponse {
    const path = ctx.match.operation.path.replace(
      /\{(\w+)\}/g,
      (_, k: string) => ctx.params[k] ?? k,
    );
    return this.errorResponse(404, 'not-found', path);
  }

  // --- resources -------------------------------------------------------------

  private accountJson(): object {
    const base = `/2010-04-01/Accounts/${this.accountSid}`;
    return {
      date_created: rfc2822(Date.UTC(2024, 0, 15, 9, 30)),
      date_updated: rfc2822(Date.UTC(2024, 0, 15, 9, 30)),
      friendly_name: 'Sender Lens test account',
      owner_account_sid: this.accountSid,
      sid: this.accountSid,
      status: 'active',
      subresource_uris: {
        incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
        messages: `${base}/Messages.json`,
      },
      type: 'Full',
      uri: `${base}.json`,
    };
  }

  private numberJson(n: IncomingNumber): object {
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

  private messageJson(m: TwilioMessageRecord): object {
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

  // --- lists -----------------------------------------------------------------

  /** Builds the page envelope Twilio wraps every list in. */
  private page(
    listPath: string,
    key: string,
    query: URLSearchParams,
    pageNo: number,
    pageSize: number,
    items: object[],
    nextToken: string | undefined,
  ): FakeResponse {
    const filters = [...query].filter(([k]) => !['PageSize', 'Page', 'PageToken'].includes(k));
    const uriWith = (extra: [string, string][]) =>
      `${listPath}?${[...filters, ...extra].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
    const size = String(pageSize);
    const token = query.get('PageToken');
    const start = pageNo * pageSize;
    return this.reply(200, {
      first_page_uri: uriWith([
        ['PageSize', size],
        ['Page', '0'],
      ]),
      end: items.length ? start + items.length - 1 : start,
      previous_page_uri:
        pageNo > 0
          ? uriWith([
              ['PageSize', size],
              ['Page', String(pageNo - 1)],
            ])
          : null,
      [key]: items,
      uri: uriWith([
        ['PageSize', size],
        ['Page', String(pageNo)],
        ...(token ? [['PageToken', token] as [string, string]] : []),
      ]),
      page_size: pageSize,
      start,
      next_page_uri:
        nextToken === undefined
          ? null
          : uriWith([
              ['PageSize', size],
              ['Page', String(pageNo + 1)],
              ['PageToken', nextToken],
            ]),
      page: pageNo,
    });
  }

  private pageParams(query: URLSearchParams): { pageSize: number; pageNo: number } {
    return {
      pageSize: Number(query.get('PageSize') ?? 50),
      pageNo: Number(query.get('Page') ?? 0),
    };
  }

  private listNumbers(ctx: HandlerContext): FakeResponse {
    const { query } = ctx;
    const { pageSize, pageNo } = this.pageParams(query);
    const phone = query.get('PhoneNumber');
    const name = query.get('FriendlyName');
    const digits = phone?.replace(/\D/g, '');
    const all = this.numbers.filter(
      (n) =>
        (!digits || n.phoneNumber.replace(/\D/g, '').includes(digits)) &&
        (name === null || n.friendlyName === name),
    );
    const token = query.get('PageToken');
    let from = pageNo * pageSize;
    if (token) {
      const i = all.findIndex((n) => `PA${n.sid}` === token);
      if (i < 0)
        return this.twilioError(new TwilioError(400, 20001, `Invalid PageToken: ${token}`));
      from = i + 1;
    }
    const items = all.slice(from, from + pageSize);
    const last = items[items.length - 1];
    const next = last && from + pageSize < all.length ? `PA${last.sid}` : undefined;
    const listPath = `/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers.json`;
    return this.page(
      listPath,
      'incoming_phone_numbers',
      query,
      pageNo,
      pageSize,
      items.map((n) => this.numberJson(n)),
      next,
    );
  }

  /** Stored and computed messages merged in list order, from just after `after`. */
  private *ordered(
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

  private listMessages(ctx: HandlerContext): FakeResponse {
    const { query } = ctx;
    const { pageSize, pageNo } = this.pageParams(query);
    const readDate = (name: string) => {
      const raw = query.get(name);
      if (raw === null) return undefined;
      const parsed = parseFilterDate(raw);
      if (parsed) return parsed;
      // The spec says format date-time, which the validator cannot check (Twilio's own formats break ajv).
      this.violations.push({
        method: 'GET',
        path: ctx.path,
        errors: [`query.${name} must be YYYY-MM-DD or an ISO 8601 date-time, got '${raw}'`],
      });
      throw new TwilioError(400, 20001, `Invalid ${name}: ${raw}`);
    };
    // Every date filter narrows one inclusive [lo, hi] window of date_sent.
    let lo = Number.NEGATIVE_INFINITY;
    let hi = Number.POSITIVE_INFINITY;
    const on = readDate('DateSent');
    if (on) {
      lo = on.ms;
      hi = on.dayOnly ? on.ms + 86_400_000 - 1 : on.ms;
    }
    const since = readDate('DateSent>');
    if (since) lo = Math.max(lo, since.ms);
    const until = readDate('DateSent<');
    if (until) hi = Math.min(hi, until.ms);
    const to = query.get('To');
    const from = query.get('From');
    const token = query.get('PageToken');
    let after: { sentMs: number; sid: string } | undefined;
    let skip = pageNo * pageSize;
    if (token) {
      const sid = token.startsWith('PA') ? token.slice(2) : '';
      const m = this.findMessage(sid);
      if (!m) throw new TwilioError(400, 20001, `Invalid PageToken: ${token}`);
      after = m;
      skip = 0;
    }
    const items: TwilioMessageRecord[] = [];
    let more = false;
    for (const m of this.ordered(after, hi)) {
      if (m.sentMs < lo) break;
      if ((to !== null && m.to !== to) || (from !== null && m.from !== from)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      if (items.length === pageSize) {
        more = true;
        break;
      }
      items.push(m);
    }
    const last = items[items.length - 1];
    const listPath = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    return this.page(
      listPath,
      'messages',
      query,
      pageNo,
      pageSize,
      items.map((m) => this.messageJson(m)),
      more && last ? `PA${last.sid}` : undefined,
    );
  }

  // --- sending ---------------------------------------------------------------

  private createMessage(ctx: HandlerContext): FakeResponse {
    const form = ctx.body as Record<string, unknown>;
    const to = String(form.To);
    const from = form.From === undefined ? undefined : String(form.From);
    const service =
      form.MessagingServiceSid === undefined ? null : String(form.MessagingServiceSid);
    const body = form.Body === undefined ? '' : String(form.Body);
    const media = asList(form.MediaUrl);

    const magic = MAGIC_TO[to];
    if (magic) throw new TwilioError(400, magic.code, magic.message(to));
    if (!E164.test(to) && !CHANNEL.test(to))
      throw new TwilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    if (from !== undefined && from !== MAGIC_FROM_OK) {
      if (from === '+15005550001' || !(E164.test(from) || CHANNEL.test(from))) {
        throw new TwilioError(400, 21212, `Invalid From Number (caller ID): ${from}`);
      }
      const n = this.numbers.find((x) => x.phoneNumber === from);
      if (!n?.sms) {
        throw new TwilioError(
          400,
          21606,
          `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
        );
      }
    }
    if (body.length > 1600) {
      throw new TwilioError(
        400,
        21617,
        'The concatenated message body exceeds the 1600 character limit.',
      );
    }
    if (from !== undefined && this.optedOut(from, to)) {
      throw new TwilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    }
    const now = this.now().getTime();
    const record: TwilioMessageRecord = {
      sid: this.sids.next(media.length ? 'MM' : 'SM'),
      from: from ?? null,
      to,
      body,
      direction: 'outbound-api',
      status: from === undefined ? 'accepted' : 'queued',
      errorCode: null,
      errorMessage: null,
      numSegments: from === undefined ? 0 : segments(body),
      numMedia: media.length,
      price: null,
      messagingServiceSid: service,
      sentMs: now,
      createdMs: now,
      updatedMs: now,
    };
    this.store(record);
    return this.reply(201, this.messageJson(record));
  }

  /** Twilio blocks a sender once the recipient texted it an opt-out keyword, until an opt-in. */
  private optedOut(ourNumber: string, contact: string): boolean {
    for (const m of this.messages) {
      if (m.direction !== 'inbound' || m.from !== contact || m.to !== ourNumber) continue;
      const word = m.body.trim().toUpperCase();
      if (OPT_OUT.has(word)) return true;
      if (OPT_IN.has(word)) return false;
    }
    return false;
  }
}

/** A stateful, spec-checked fake of Twilio's REST API (2010-04-01). */
export async function createFakeTwilio(opts: CreateFakeTwilioOptions = {}): Promise<TwilioFake> {
  const contract = await Contract.load([
    { file: twilioSpecPath(), ajvOpts: { coerceTypes: 'array', validateFormats: false } },
  ]);
  return new TwilioFake(contract, opts);
}
