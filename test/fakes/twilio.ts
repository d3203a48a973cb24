import { Contract, type ContractMatch } from './contract.ts';
import {
  type FakeResponse,
  FakeService,
  type Faults,
  type Handler,
  type HandlerContext,
  type IncomingRequest,
  json,
  SidMaker,
} from './core.ts';
import { twilioSpecPath } from './specs.ts';
import {
  AccountState,
  type AccountStatus,
  type CreatedMessage,
  E164,
  type FakeTwilioAccount,
  type NewIncomingNumber,
  type NewMessage,
  segments,
  type TwilioMessageRecord,
} from './twilio-account.ts';

export type {
  AccountStatus,
  CreatedMessage,
  FakeTwilioAccount,
  MessageSource,
  TwilioDirection,
  TwilioMessageRecord,
} from './twilio-account.ts';

/** The fake as tests see it: the main account's set-up, the protocol's records, and subaccounts. */
export interface FakeTwilio extends FakeTwilioAccount {
  /** In-process fetch; accepts absolute URLs on https://api.twilio.com (or a served base). */
  fetch: typeof fetch;
  violations: { method: string; path: string; errors: string[] }[];
  requests: { method: string; path: string; query: string }[];
  faults: Faults;
  /** Lists how a body breaks the spec's response schema for an operation and status (empty: it fits). */
  responseErrors(operationId: string, status: number, body: unknown): string[];
  /** How long openapi-backend took to load the Twilio spec in this process. */
  contractInitMs: number;
  /**
   * Adds a subaccount of the main account, with its own SID, Auth Token,
   * API keys, numbers and messages. The main Auth Token reaches it; the
   * main account's API keys do not (401, 20003), its own keys do.
   */
  addSubaccount(opts?: {
    friendlyName?: string;
    status?: AccountStatus;
    apiKeys?: { sid: string; secret: string }[];
  }): FakeTwilioAccount;
}

export interface CreateFakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** API keys of the main account. */
  apiKeys?: { sid: string; secret: string }[];
  /** Clock for created messages; default the real clock. */
  now?: () => Date;
  /** Seed for the generated SIDs; default 'twilio'. */
  seed?: string;
}

const CHANNEL = /^[a-z]+:.+/;

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

/** Who sent a request: the account whose Auth Token or API key it carries. */
interface Caller {
  account: AccountState;
  byApiKey: boolean;
}

export class TwilioFake extends FakeService implements FakeTwilio {
  protected readonly label = 'Twilio';
  private readonly now: () => Date;
  private readonly sids: SidMaker;
  private readonly main: AccountState;
  /** Every account by SID, the main account first, then subaccounts as added. */
  private readonly accounts = new Map<string, AccountState>();

  constructor(contract: Contract, opts: CreateFakeTwilioOptions = {}) {
    super(contract, 'https://api.twilio.com');
    this.sids = new SidMaker(opts.seed ?? 'twilio');
    this.now = opts.now ?? (() => new Date());
    const accountSid = opts.accountSid ?? this.sids.next('AC');
    this.main = this.account({
      accountSid,
      authToken: opts.authToken ?? this.sids.next('').slice(0, 32),
      friendlyName: 'Sender Lens test account',
      ownerSid: accountSid,
      apiKeys: opts.apiKeys ?? [],
      status: 'active',
    });
  }

  get accountSid(): string {
    return this.main.accountSid;
  }

  get authToken(): string {
    return this.main.authToken;
  }

  get friendlyName(): string {
    return this.main.friendlyName;
  }

  protected readonly handlers: Record<string, Handler> = {
    ListAccount: (ctx) => this.guard(() => this.listAccounts(ctx)),
    FetchAccount: (ctx) => this.reply(200, this.target(ctx).accountJson(false)),
    ListIncomingPhoneNumber: (ctx) => this.listNumbers(ctx, this.target(ctx)),
    FetchIncomingPhoneNumber: (ctx) => {
      const acct = this.target(ctx);
      const n = acct.numbers.find((x) => x.sid === ctx.params.Sid);
      return n ? this.reply(200, acct.numberJson(n)) : this.notFound(ctx);
    },
    ListMessage: (ctx) => this.guard(() => this.listMessages(ctx, this.target(ctx))),
    FetchMessage: (ctx) => {
      const acct = this.target(ctx);
      const m = acct.findMessage(ctx.params.Sid ?? '');
      return m ? this.reply(200, acct.messageJson(m)) : this.notFound(ctx);
    },
    CreateMessage: (ctx) => this.guard(() => this.createMessage(ctx, this.target(ctx))),
  };

  // --- test set-up (the main account's, as before subaccounts) -------------

  addIncomingNumber(n: NewIncomingNumber): string {
    return this.main.addIncomingNumber(n);
  }

  addMessage(m: NewMessage): string {
    return this.main.addMessage(m);
  }

  createdMessages(): CreatedMessage[] {
    return this.main.createdMessages();
  }

  setMessageStatus(sid: string, status: string, errorCode: number | null = null): void {
    this.main.setMessageStatus(sid, status, errorCode);
  }

  messageCount(): number {
    return this.main.messageCount();
  }

  /** Serves a computed run of messages alongside the main account's stored ones (see generateBulkHistory). */
  attachBulk(source: Parameters<AccountState['attachBulk']>[0]): void {
    this.main.attachBulk(source);
  }

  hasIncomingNumber(phone: string): boolean {
    return this.main.hasIncomingNumber(phone);
  }

  addSubaccount(
    opts: {
      friendlyName?: string;
      status?: AccountStatus;
      apiKeys?: { sid: string; secret: string }[];
    } = {},
  ): FakeTwilioAccount {
    const n = this.accounts.size;
    return this.account({
      accountSid: this.sids.next('AC'),
      authToken: this.sids.next('').slice(0, 32),
      friendlyName: opts.friendlyName ?? `Subaccount ${n}`,
      ownerSid: this.main.accountSid,
      apiKeys: opts.apiKeys ?? [],
      status: opts.status ?? 'active',
    });
  }

  private account(
    init: Omit<ConstructorParameters<typeof AccountState>[0], 'sids' | 'now' | 'numberTaken'>,
  ): AccountState {
    const state = new AccountState({
      ...init,
      sids: this.sids,
      now: this.now,
      numberTaken: (phone) => [...this.accounts.values()].some((a) => a.hasIncomingNumber(phone)),
    });
    this.accounts.set(state.accountSid, state);
    return state;
  }

  // --- protocol ------------------------------------------------------------

  /** The account whose Auth Token or API key the request carries, if they are right. */
  private caller(headers: Record<string, string>): Caller | undefined {
    const m = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
    if (!m?.[1]) return undefined;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const user = decoded.slice(0, colon);
    const pass = decoded.slice(colon + 1);
    const byToken = this.accounts.get(user);
    if (byToken && byToken.authToken === pass) return { account: byToken, byApiKey: false };
    for (const account of this.accounts.values()) {
      if (account.apiKeys.some((k) => k.sid === user && k.secret === pass)) {
        return { account, byApiKey: true };
      }
    }
    return undefined;
  }

  /** The account in the path; authenticate has made sure it exists and the caller may reach it. */
  private target(ctx: HandlerContext): AccountState {
    const sid = ctx.params.AccountSid ?? ctx.params.Sid ?? '';
    const acct = this.accounts.get(sid);
    if (!acct) throw new Error(`fake Twilio: no account ${sid} after authentication`);
    return acct;
  }

  protected authenticate(req: IncomingRequest, match: ContractMatch): FakeResponse | undefined {
    const caller = this.caller(req.headers);
    if (!caller) return this.unauthenticated('Authenticate');
    if (!match.operation.path.startsWith('/2010-04-01/Accounts/{')) {
      // The Accounts list: Twilio answers it to an Auth Token (or a Main API
      // key, which the fake does not model); a standard API key gets 20003.
      return caller.byApiKey
        ? this.unauthenticated('Authentication Error - invalid username')
        : undefined;
    }
    const target = this.accounts.get(match.params.AccountSid ?? match.params.Sid ?? '');
    if (target === caller.account) return undefined;
    // The main account's Auth Token reaches its subaccounts' 2010 resources;
    // its API keys, and any subaccount's credentials elsewhere, do not.
    const ownsTarget = target !== undefined && target.ownerSid === caller.account.accountSid;
    if (ownsTarget && caller.account.isMain && !caller.byApiKey) return undefined;
    return this.unauthenticated('Authenticate');
  }

  private unauthenticated(message: string): FakeResponse {
    return this.reply(
      401,
      {
        code: 20003,
        message,
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

  /**
   * The accounts the caller owns: the main account sees itself and its
   * subaccounts, a subaccount only itself (as Twilio answers).
   */
  private listAccounts(ctx: HandlerContext): FakeResponse {
    const { query } = ctx;
    const caller = this.caller(ctx.headers);
    if (!caller) throw new TwilioError(401, 20003, 'Authenticate');
    const { pageSize, pageNo } = this.pageParams(query);
    const name = query.get('FriendlyName');
    const status = query.get('Status');
    const owned = caller.account.isMain
      ? [...this.accounts.values()].filter((a) => a.ownerSid === caller.account.accountSid)
      : [caller.account];
    const all = owned.filter(
      (a) => (name === null || a.friendlyName === name) && (status === null || a.status === status),
    );
    const token = query.get('PageToken');
    let from = pageNo * pageSize;
    if (token) {
      const i = all.findIndex((a) => `PA${a.accountSid}` === token);
      if (i < 0) throw new TwilioError(400, 20001, `Invalid PageToken: ${token}`);
      from = i + 1;
    }
    const items = all.slice(from, from + pageSize);
    const last = items[items.length - 1];
    const next = last && from + pageSize < all.length ? `PA${last.accountSid}` : undefined;
    return this.page(
      '/2010-04-01/Accounts.json',
      'accounts',
      query,
      pageNo,
      pageSize,
      items.map((a) => a.accountJson(true)),
      next,
    );
  }

  private listNumbers(ctx: HandlerContext, acct: AccountState): FakeResponse {
    const { query } = ctx;
    const { pageSize, pageNo } = this.pageParams(query);
    const phone = query.get('PhoneNumber');
    const name = query.get('FriendlyName');
    const digits = phone?.replace(/\D/g, '');
    const all = acct.numbers.filter(
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
    const listPath = `/2010-04-01/Accounts/${acct.accountSid}/IncomingPhoneNumbers.json`;
    return this.page(
      listPath,
      'incoming_phone_numbers',
      query,
      pageNo,
      pageSize,
      items.map((n) => acct.numberJson(n)),
      next,
    );
  }

  private listMessages(ctx: HandlerContext, acct: AccountState): FakeResponse {
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
      const m = acct.findMessage(sid);
      if (!m) throw new TwilioError(400, 20001, `Invalid PageToken: ${token}`);
      after = m;
      skip = 0;
    }
    const items: TwilioMessageRecord[] = [];
    let more = false;
    for (const m of acct.ordered(after, hi)) {
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
    const listPath = `/2010-04-01/Accounts/${acct.accountSid}/Messages.json`;
    return this.page(
      listPath,
      'messages',
      query,
      pageNo,
      pageSize,
      items.map((m) => acct.messageJson(m)),
      more && last ? `PA${last.sid}` : undefined,
    );
  }

  // --- sending ---------------------------------------------------------------

  private createMessage(ctx: HandlerContext, acct: AccountState): FakeResponse {
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
      const n = acct.numbers.find((x) => x.phoneNumber === from);
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
    if (from !== undefined && acct.optedOut(from, to)) {
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
    acct.store(record);
    return this.reply(201, acct.messageJson(record));
  }
}

/** A stateful, spec-checked fake of Twilio's REST API (2010-04-01). */
export async function createFakeTwilio(opts: CreateFakeTwilioOptions = {}): Promise<TwilioFake> {
  const contract = await Contract.load([
    { file: twilioSpecPath(), ajvOpts: { coerceTypes: 'array', validateFormats: false } },
  ]);
  return new TwilioFake(contract, opts);
}
