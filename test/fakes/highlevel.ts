import { Contract, type ContractMatch, type Violation } from './contract.ts';
import {
  type FakeResponse,
  FakeService,
  type Faults,
  type Handler,
  type HandlerContext,
  type IncomingRequest,
  json,
  type RecordedRequest,
  SidMaker,
} from './core.ts';
import { highLevelApps, highLevelSpecPath } from './specs.ts';

export type HighLevelMessageType = 'TYPE_SMS' | 'TYPE_CALL' | 'TYPE_EMAIL';

/** The statuses GetMessageResponseDto allows a message to carry. */
const MESSAGE_STATUSES = [
  'pending',
  'queued',
  'scheduled',
  'sent',
  'delivered',
  'read',
  'opened',
  'clicked',
  'connected',
  'undelivered',
  'failed',
  'opt_out',
] as const;

export type HighLevelMessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * HighLevel's spec sync of 2026 lists `subType` (typed as an object, with the
 * example "Email") and `status` (a delivery status) as required in
 * SendMessageBodyDto; the spec before it (2025-08) required only `type` and
 * `contactId`, and neither field means anything for a send. The contract
 * treats them as optional so a plain SMS send is checked on everything else.
 */
const BODY_NOT_REQUIRED = { 'send-a-new-message': ['subType', 'status'] };

const E164 = /^\+[1-9]\d{6,14}$/;

export interface FakeHighLevel {
  /** In-process fetch; accepts absolute URLs on https://services.leadconnectorhq.com (or a served base). */
  fetch: typeof fetch;
  violations: Violation[];
  /** Every request, with the spec operation it matched and whether the spec deprecates it. */
  requests: RecordedRequest[];
  faults: Faults;
  token: string;
  /** The agency (company) that locations belong to unless `addLocation` names another. */
  companyId: string;
  /** Lists how a body breaks the spec's response schema for an operation and status (empty: it fits). */
  responseErrors(operationId: string, status: number, body: unknown): string[];
  /** How long openapi-backend took to load the five HighLevel specs in this process. */
  contractInitMs: number;
  addLocation(l: {
    id: string;
    name: string;
    country?: string;
    timezone?: string;
    companyId?: string;
  }): void;
  addNumber(
    locationId: string,
    n: {
      phoneNumber: string;
      friendlyName?: string;
      sms?: boolean;
      voice?: boolean;
      isDefault?: boolean;
      linkedUserId?: string;
      /** The Twilio PN SID of the number; made up when absent. */
      sid?: string;
    },
  ): void;
  /**
   * Puts numbers already added to the location into a number pool. HighLevel
   * leaves pool numbers out of the active-numbers list unless the request
   * sends `skipNumberPool=false`; `GET /phone-system/number-pools` lists them.
   */
  addNumberPool(
    locationId: string,
    p: { id?: string; name: string; numbers: string[]; isActive?: boolean },
  ): string;
  addUser(
    locationId: string,
    u: { id: string; name: string; email?: string; lcPhone?: string },
  ): void;
  addContact(
    locationId: string,
    c: {
      id: string;
      name: string;
      phone?: string;
      dnd?: boolean;
      smsDnd?: boolean;
      email?: string;
      dateAdded?: Date;
    },
  ): void;
  addConversation(locationId: string, c: { id: string; contactId: string }): void;
  addConversationMessage(
    conversationId: string,
    m: {
      id: string;
      direction: 'inbound' | 'outbound';
      body: string;
      dateAdded: Date;
      userId?: string;
      /** The provider's id: for SMS sent through Twilio, the Twilio SID. */
      altId?: string;
      from?: string;
      to?: string;
      status?: string;
      /** HighLevel's source: app (composer), workflow, bulk_actions, campaign, api. */
      source?: string;
      messageType?: HighLevelMessageType;
    },
  ): void;
  /**
   * Moves a message on (a send starts `pending`); any status GetMessageResponseDto
   * allows: pending, queued, scheduled, sent, delivered, read, opened, clicked,
   * connected, undelivered, failed, opt_out.
   */
  setMessageStatus(messageId: string, status: HighLevelMessageStatus): void;
  /** Messages stored across every conversation, sends included. */
  messageCount(): number;
  /**
   * 'nested' (default) answers conversation messages as the live API does,
   * `{messages: {lastMessageId, nextPage, messages}}` and `{message, traceId}`;
   * 'documented' answers in the spec's shapes.
   */
  messageShape: 'nested' | 'documented';
}

export interface CreateFakeHighLevelOptions {
  token?: string;
  /** The default company (agency) id of locations; made up when absent. */
  companyId?: string;
  /** Clock for dateAdded defaults; default the real clock. */
  now?: () => Date;
  seed?: string;
}

interface Location {
  id: string;
  companyId: string;
  name: string;
  country: string;
  timezone: string;
}

interface NumberPool {
  id: string;
  locationId: string;
  name: string;
  /** E.164 numbers of the location. */
  numbers: string[];
  isActive: boolean;
}

interface HlNumber {
  phoneNumber: string;
  friendlyName: string | null;
  sid: string;
  sms?: boolean;
  voice?: boolean;
  isDefault: boolean;
  linkedUserId: string | null;
}

interface User {
  id: string;
  name: string;
  email: string;
  lcPhone: Record<string, string>;
  locationIds: string[];
}

interface Contact {
  id: string;
  locationId: string;
  name: string;
  phone?: string;
  email?: string;
  dnd: boolean;
  smsDnd: boolean;
  dateAddedMs: number;
}

interface Conversation {
  id: string;
  locationId: string;
  contactId: string;
  dateAddedMs: number;
}

interface Message {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  body: string;
  dateAddedMs: number;
  userId?: string;
  altId?: string;
  from?: string;
  to?: string;
  status: string;
  source: string;
  messageType: HighLevelMessageType;
  attachments?: string[];
}

/** The fields of SendMessageBodyDto the fake reads for an SMS. */
interface SendBody {
  type: string;
  contactId: string;
  message?: string;
  attachments?: string[];
  fromNumber?: string;
  toNumber?: string;
}

// HighLevel's numeric message types (1 call, 2 SMS, 3 email) as seen in API answers; the spec only says "number".
const NUMERIC_TYPE: Record<HighLevelMessageType, number> = {
  TYPE_CALL: 1,
  TYPE_SMS: 2,
  TYPE_EMAIL: 3,
};

function splitName(name: string): { firstName: string; lastName: string } {
  const parts = name.trim().split(/\s+/);
  return { firstName: parts[0] ?? '', lastName: parts.slice(1).join(' ') };
}

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

class HttpAnswer {
  constructor(readonly response: FakeResponse) {}
}

export class HighLevelFake extends FakeService implements FakeHighLevel {
  readonly token: string;
  readonly companyId: string;
  messageShape: 'nested' | 'documented' = 'nested';
  protected readonly label = 'HighLevel';
  private readonly now: () => Date;
  private readonly ids: SidMaker;
  private readonly locations = new Map<string, Location>();
  private readonly numbers = new Map<string, HlNumber[]>();
  private readonly pools: NumberPool[] = [];
  private readonly users = new Map<string, User>();
  private readonly contacts = new Map<string, Contact>();
  private readonly conversations = new Map<string, Conversation>();
  /** Per conversation, newest first. */
  private readonly messagesOf = new Map<string, Message[]>();
  private readonly messageById = new Map<string, Message>();

  constructor(contract: Contract, opts: CreateFakeHighLevelOptions = {}) {
    super(contract, 'https://services.leadconnectorhq.com');
    this.ids = new SidMaker(opts.seed ?? 'highlevel');
    this.token = opts.token ?? `pit-${this.ids.next('').slice(0, 8)}-fake-highlevel`;
    this.companyId = opts.companyId ?? `cmp${this.ids.next('').slice(0, 17)}`;
    this.now = opts.now ?? (() => new Date());
  }

  protected readonly handlers: Record<string, Handler> = {
    'active-numbers': (ctx) => this.guard(() => this.activeNumbers(ctx)),
    getNumberPoolList: (ctx) => this.guard(() => this.numberPools(ctx)),
    'get-user-by-location': (ctx) =>
      this.guard(() => {
        const loc = this.location(ctx, ctx.query.get('locationId'));
        return json(200, { users: this.usersOf(loc.id).map((u) => this.userJson(u)) });
      }),
    'search-users': (ctx) => this.guard(() => this.searchUsers(ctx)),
    'get-user': (ctx) =>
      this.guard(() => {
        const u = this.users.get(ctx.params.userId ?? '');
        if (!u) throw this.missing(ctx, 'User');
        return json(200, this.userJson(u));
      }),
    'get-contact': (ctx) =>
      this.guard(() => {
        const c = this.contacts.get(ctx.params.contactId ?? '');
        if (!c) throw this.missing(ctx, 'Contact');
        return json(200, { contact: this.contactJson(c) });
      }),
    'get-contacts': (ctx) => this.guard(() => this.listContacts(ctx)),
    'search-contacts-advanced': (ctx) => this.guard(() => this.searchContacts(ctx)),
    'get-duplicate-contact': (ctx) =>
      this.guard(() => {
        const loc = this.location(ctx, ctx.query.get('locationId'));
        const number = ctx.query.get('number');
        const email = ctx.query.get('email')?.toLowerCase();
        const found = [...this.contacts.values()].find(
          (c) =>
            c.locationId === loc.id &&
            ((number && c.phone && digits(c.phone) === digits(number)) ||
              (email && c.email?.toLowerCase() === email)),
        );
        return json(200, { contact: found ? this.contactJson(found) : null });
      }),
    'get-location': (ctx) =>
      this.guard(() =>
        json(200, {
          location: this.locationJson(this.location(ctx, ctx.params.locationId ?? null)),
        }),
      ),
    'get-conversation': (ctx) =>
      this.guard(() => {
        const c = this.conversations.get(ctx.params.conversationId ?? '');
        if (!c) throw this.missing(ctx, 'Conversation');
        return json(200, {
          contactId: c.contactId,
          locationId: c.locationId,
          deleted: false,
          inbox: true,
          type: 1,
          unreadCount: 0,
          id: c.id,
          starred: false,
        });
      }),
    'search-conversation': (ctx) => this.guard(() => this.searchConversations(ctx)),
    'get-messages': (ctx) => this.guard(() => this.conversationMessages(ctx)),
    'send-a-new-message': (ctx) => this.guard(() => this.sendMessage(ctx)),
    'get-message': (ctx) =>
      this.guard(() => {
        const m = this.messageById.get(ctx.params.id ?? '');
        if (!m) throw this.missing(ctx, 'Message');
        const body = this.messageJson(m);
        return json(
          200,
          this.messageShape === 'nested'
            ? { message: body, traceId: this.ids.next('').slice(0, 24) }
            : body,
        );
      }),
  };

  // --- test set-up -------------------------------------------------------

  addLocation(l: {
    id: string;
    name: string;
    country?: string;
    timezone?: string;
    companyId?: string;
  }): void {
    if (!l.id) throw new Error('addLocation: id is required');
    this.locations.set(l.id, {
      id: l.id,
      companyId: l.companyId ?? this.locations.get(l.id)?.companyId ?? this.companyId,
      name: l.name,
      country: l.country ?? 'US',
      timezone: l.timezone ?? 'America/Los_Angeles',
    });
    if (!this.numbers.has(l.id)) this.numbers.set(l.id, []);
  }

  addNumber(
    locationId: string,
    n: {
      phoneNumber: string;
      friendlyName?: string;
      sms?: boolean;
      voice?: boolean;
      isDefault?: boolean;
      linkedUserId?: string;
      sid?: string;
    },
  ): void {
    const list = this.setupLocation('addNumber', locationId);
    this.numbers.set(locationId, list);
    list.push({
      phoneNumber: n.phoneNumber,
      friendlyName: n.friendlyName ?? null,
      sid: n.sid ?? this.ids.next('PN'),
      sms: n.sms,
      voice: n.voice,
      isDefault: n.isDefault === true,
      linkedUserId: n.linkedUserId ?? null,
    });
  }

  addNumberPool(
    locationId: string,
    p: { id?: string; name: string; numbers: string[]; isActive?: boolean },
  ): string {
    const list = this.setupLocation('addNumberPool', locationId);
    for (const number of p.numbers) {
      if (!list.some((n) => n.phoneNumber === number)) {
        throw new Error(`addNumberPool: ${number} is not a number of location ${locationId}`);
      }
      if (this.poolOf(locationId, number)) {
        throw new Error(`addNumberPool: ${number} is in a number pool already`);
      }
    }
    const id = p.id ?? this.ids.next('').slice(0, 20);
    this.pools.push({
      id,
      locationId,
      name: p.name,
      numbers: [...p.numbers],
      isActive: p.isActive !== false,
    });
    return id;
  }

  addUser(
    locationId: string,
    u: { id: string; name: string; email?: string; lcPhone?: string },
  ): void {
    this.setupLocation('addUser', locationId);
    const user = this.users.get(u.id) ?? {
      id: u.id,
      name: u.name,
      email: u.email ?? `${u.name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`,
      lcPhone: {},
      locationIds: [],
    };
    if (!user.locationIds.includes(locationId)) user.locationIds.push(locationId);
    if (u.lcPhone) user.lcPhone[locationId] = u.lcPhone;
    this.users.set(u.id, user);
  }

  addContact(
    locationId: string,
    c: {
      id: string;
      name: string;
      phone?: string;
      dnd?: boolean;
      smsDnd?: boolean;
      email?: string;
      dateAdded?: Date;
    },
  ): void {
    this.setupLocation('addContact', locationId);
    this.contacts.set(c.id, {
      id: c.id,
      locationId,
      name: c.name,
      phone: c.phone,
      email: c.email,
      dnd: c.dnd === true,
      smsDnd: c.smsDnd === true,
      dateAddedMs: (c.dateAdded ?? this.now()).getTime(),
    });
  }

  addConversation(locationId: string, c: { id: string; contactId: string }): void {
    this.setupLocation('addConversation', locationId);
    const contact = this.contacts.get(c.contactId);
    if (!contact || contact.locationId !== locationId) {
      throw new Error(`addConversation: contact ${c.contactId} is not in location ${locationId}`);
    }
    this.conversations.set(c.id, {
      id: c.id,
      locationId,
      contactId: c.contactId,
      dateAddedMs: this.now().getTime(),
    });
    if (!this.messagesOf.has(c.id)) this.messagesOf.set(c.id, []);
  }

  addConversationMessage(
    conversationId: string,
    m: {
      id: string;
      direction: 'inbound' | 'outbound';
      body: string;
      dateAdded: Date;
      userId?: string;
      altId?: string;
      from?: string;
      to?: string;
      status?: string;
      source?: string;
      messageType?: HighLevelMessageType;
    },
  ): void {
    const list = this.messagesOf.get(conversationId);
    if (!list) throw new Error(`addConversationMessage: no conversation ${conversationId}`);
    const ms = m.dateAdded?.getTime();
    if (ms === undefined || Number.isNaN(ms))
      throw new Error('addConversationMessage: dateAdded must be a valid Date');
    if (this.messageById.has(m.id))
      throw new Error(`addConversationMessage: message ${m.id} exists already`);
    const message: Message = {
      id: m.id,
      conversationId,
      direction: m.direction,
      body: m.body,
      dateAddedMs: ms,
      userId: m.userId,
      altId: m.altId,
      from: m.from,
      to: m.to,
      status: m.status ?? 'delivered',
      source: m.source ?? (m.direction === 'outbound' ? 'app' : 'api'),
      messageType: m.messageType ?? 'TYPE_SMS',
    };
    this.store(list, message);
  }

  setMessageStatus(messageId: string, status: HighLevelMessageStatus): void {
    const m = this.messageById.get(messageId);
    if (!m) throw new Error(`setMessageStatus: no stored message ${messageId}`);
    // A status outside the spec's enum would make GET message answers break the spec.
    if (!(MESSAGE_STATUSES as readonly string[]).includes(status)) {
      throw new Error(
        `setMessageStatus: ${JSON.stringify(status)} is not a status GetMessageResponseDto allows (${MESSAGE_STATUSES.join(', ')})`,
      );
    }
    m.status = status;
  }

  messageCount(): number {
    return this.messageById.size;
  }

  /** Keeps a conversation's list newest first (ties: the larger id first). */
  private store(list: Message[], message: Message): void {
    const ms = message.dateAddedMs;
    const at = list.findIndex(
      (x) => x.dateAddedMs < ms || (x.dateAddedMs === ms && x.id < message.id),
    );
    list.splice(at < 0 ? list.length : at, 0, message);
    this.messageById.set(message.id, message);
  }

  private setupLocation(what: string, locationId: string): HlNumber[] {
    const list = this.numbers.get(locationId);
    if (!this.locations.has(locationId) || !list) {
      throw new Error(`${what}: add location ${locationId} first (addLocation)`);
    }
    return list;
  }

  // --- protocol ------------------------------------------------------------

  protected authenticate(req: IncomingRequest, _match: ContractMatch): FakeResponse | undefined {
    const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (m?.[1] === this.token) return undefined;
    return json(401, {
      statusCode: 401,
      message: 'Invalid token: access token is invalid',
      error: 'Unauthorized',
    });
  }

  protected errorResponse(
    status: number,
    reason: 'violation' | 'not-found' | 'method' | 'rate-limit' | 'server' | 'not-implemented',
    detail: string,
    extra: Record<string, string> = {},
  ): FakeResponse {
    switch (reason) {
      case 'violation':
        return json(status, {
          statusCode: status,
          message: `Fake HighLevel: the request breaks HighLevel's API spec: ${detail}`,
          error: 'Bad Request',
        });
      case 'not-found':
      case 'method':
        // HighLevel runs on NestJS, which answers an unknown route or method with 404.
        return json(404, { statusCode: 404, message: detail, error: 'Not Found' });
      case 'rate-limit':
        return json(429, { statusCode: 429, message: 'Too Many Requests' }, extra);
      case 'server':
        return json(status, { statusCode: status, message: 'Internal server error' }, extra);
      case 'not-implemented':
        return json(status, { statusCode: status, message: `Fake HighLevel: ${detail}` });
    }
  }

  private guard(fn: () => FakeResponse): FakeResponse {
    try {
      return fn();
    } catch (err) {
      if (err instanceof HttpAnswer) return err.response;
      throw err;
    }
  }

  /** The spec's not-found answer: 404 where the operation declares one, else HighLevel's usual 400. */
  private missing(ctx: HandlerContext, what: string): HttpAnswer {
    const declared = Object.keys(ctx.match.operation.responses ?? {}).includes('404');
    const status = declared ? 404 : 400;
    return new HttpAnswer(json(status, { statusCode: status, message: `${what} not found` }));
  }

  private location(ctx: HandlerContext, id: string | null): Location {
    const loc = id === null ? undefined : this.locations.get(id);
    if (!loc) throw this.missing(ctx, 'Location');
    return loc;
  }

  private unprocessable(message: string): HttpAnswer {
    return new HttpAnswer(
      json(422, { statusCode: 422, message: [message], error: 'Unprocessable Entity' }),
    );
  }

  // --- resources -------------------------------------------------------------

  private locationJson(l: Location): object {
    return {
      id: l.id,
      companyId: l.companyId,
      name: l.name,
      phone: this.numbers.get(l.id)?.find((n) => n.isDefault)?.phoneNumber ?? '',
      email: `hello@${l.name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      address: '100 Market St',
      city: 'San Francisco',
      state: 'CA',
      country: l.country,
      postalCode: '94105',
      website: 'https://example.com',
      timezone: l.timezone,
    };
  }

  private numberJson(n: HlNumber): object {
    const capabilities: Record<string, boolean> = {};
    if (n.voice !== undefined) capabilities.voice = n.voice;
    if (n.sms !== undefined) {
      capabilities.sms = n.sms;
      capabilities.mms = n.sms;
    }
    return {
      phoneNumber: n.phoneNumber,
      friendlyName: n.friendlyName,
      sid: n.sid,
      countryCode: n.phoneNumber.startsWith('+1') ? 'US' : 'GB',
      capabilities,
      type: digits(n.phoneNumber).slice(1, 2) === '8' ? 'toll-free' : 'local',
      isDefaultNumber: n.isDefault,
      linkedUser: n.linkedUserId,
      linkedRingAllUsers: n.linkedUserId ? [n.linkedUserId] : [],
      inboundCallService: null,
      forwardingNumber: null,
      isGroupConversationEnabled: false,
      addressSid: null,
      bundleSid: null,
      dateAdded: '2024-01-15T10:30:00.000Z',
      dateUpdated: '2024-01-15T10:30:00.000Z',
      origin: 'twilio',
    };
  }

  private userJson(u: User): object {
    const { firstName, lastName } = splitName(u.name);
    return {
      id: u.id,
      name: u.name,
      firstName,
      lastName,
      email: u.email,
      phone: '',
      extension: '',
      roles: {
        type: 'account',
        role: 'user',
        locationIds: [...u.locationIds],
        restrictSubAccount: false,
      },
      deleted: false,
      lcPhone: { ...u.lcPhone },
    };
  }

  private contactJson(c: Contact): Record<string, unknown> {
    const { firstName, lastName } = splitName(c.name);
    const added = iso(c.dateAddedMs);
    const out: Record<string, unknown> = {
      id: c.id,
      name: c.name.toLowerCase(),
      locationId: c.locationId,
      firstName,
      lastName,
      firstNameLowerCase: firstName.toLowerCase(),
      lastNameLowerCase: lastName.toLowerCase(),
      fullNameLowerCase: c.name.toLowerCase(),
      contactName: c.name.toLowerCase(),
      dnd: c.dnd,
      dndSettings: c.smsDnd
        ? { SMS: { status: 'active', message: 'Updated by contact (STOP)', code: '' } }
        : {},
      type: 'lead',
      source: 'public api',
      tags: [],
      country: 'US',
      dateAdded: added,
      dateUpdated: added,
      customFields: [],
    };
    if (c.phone !== undefined) out.phone = c.phone;
    if (c.email !== undefined) {
      out.email = c.email;
      out.emailLowerCase = c.email.toLowerCase();
    }
    return out;
  }

  private messageJson(m: Message): Record<string, unknown> {
    const conv = this.conversations.get(m.conversationId) as Conversation;
    const out: Record<string, unknown> = {
      id: m.id,
      type: NUMERIC_TYPE[m.messageType],
      messageType: m.messageType,
      locationId: conv.locationId,
      contactId: conv.contactId,
      conversationId: m.conversationId,
      dateAdded: iso(m.dateAddedMs),
      body: m.body,
      direction: m.direction,
      status: m.status,
      contentType: 'text/plain',
      attachments: [...(m.attachments ?? [])],
      meta: {},
      source: m.source,
    };
    if (m.userId !== undefined) out.userId = m.userId;
    if (m.altId !== undefined) out.altId = m.altId;
    if (m.from !== undefined) out.from = m.from;
    if (m.to !== undefined) out.to = m.to;
    return out;
  }

  private usersOf(locationId: string): User[] {
    return [...this.users.values()].filter((u) => u.locationIds.includes(locationId));
  }

  // --- lists -----------------------------------------------------------------

  /** The pool a number of the location is in, if any. */
  private poolOf(locationId: string, phoneNumber: string): NumberPool | undefined {
    return this.pools.find((p) => p.locationId === locationId && p.numbers.includes(phoneNumber));
  }

  private activeNumbers(ctx: HandlerContext): FakeResponse {
    const loc = this.location(ctx, ctx.params.locationId ?? null);
    const pageSize = Number(ctx.query.get('pageSize') ?? 1000);
    const page = Number(ctx.query.get('page') ?? 0);
    const filter = ctx.query.get('searchFilter');
    // skipNumberPool defaults to true: pool numbers are listed only when it is sent as false.
    const withPools = ctx.query.get('skipNumberPool') === 'false';
    const all = (this.numbers.get(loc.id) ?? []).filter(
      (n) =>
        (!filter || n.phoneNumber.includes(filter)) &&
        (withPools || this.poolOf(loc.id, n.phoneNumber) === undefined),
    );
    const numbers = all
      .slice(page * pageSize, (page + 1) * pageSize)
      .map((n) => this.numberJson(n));
    return json(200, { numbers, isUnderGhl: true, pageSize, page, accountStatus: 'active' });
  }

  /** GET /phone-system/number-pools: every pool, or a location's (`locationId`). */
  private numberPools(ctx: HandlerContext): FakeResponse {
    const asked = ctx.query.get('locationId');
    const loc = asked === null ? undefined : this.location(ctx, asked);
    const data = this.pools
      .filter((p) => loc === undefined || p.locationId === loc.id)
      .map((p) => ({
        id: p.id,
        name: p.name,
        locationId: p.locationId,
        numbers: p.numbers.map((phoneNumber) => {
          const n = this.numbers.get(p.locationId)?.find((x) => x.phoneNumber === phoneNumber);
          return n?.friendlyName ? { phoneNumber, friendlyName: n.friendlyName } : { phoneNumber };
        }),
        whisper: false,
        callRecording: false,
        isActive: p.isActive,
        inboundCallService: null,
      }));
    return json(200, { success: true, data, total: data.length });
  }

  /**
   * GET /users/search: the users of a company (`companyId`, required), filtered
   * by location, text, ids, type and role, sorted by first and last name (the
   * spec's default), paged by skip and limit; `count` is the total matched.
   */
  private searchUsers(ctx: HandlerContext): FakeResponse {
    const q = ctx.query;
    const companyId = q.get('companyId');
    const ofCompany = [...this.locations.values()]
      .filter((l) => l.companyId === companyId)
      .map((l) => l.id);
    if (ofCompany.length === 0) throw this.missing(ctx, 'Company');
    const locationId = q.get('locationId');
    if (locationId !== null) this.location(ctx, locationId);
    const text = q.get('query')?.toLowerCase();
    const ids = q.get('ids')?.split(',');
    const type = q.get('type');
    const role = q.get('role');
    const skip = Number(q.get('skip') ?? 0);
    const limit = Number(q.get('limit') ?? 25);
    if (!Number.isInteger(skip) || skip < 0 || !Number.isInteger(limit) || limit < 1) {
      throw this.unprocessable('skip and limit must be whole numbers');
    }
    const sort = q.get('sort');
    if (sort !== null && sort !== 'firstName' && sort !== 'lastName') {
      throw this.unprocessable(`the fake sorts users only by name, not by ${sort}`);
    }
    if (q.has('enabled2waySync')) {
      throw this.unprocessable(
        'the fake keeps no calendar sync, so enabled2waySync is not supported',
      );
    }
    const direction = q.get('sortDirection') === 'desc' ? -1 : 1;
    const byName = (u: User) => {
      const { firstName, lastName } = splitName(u.name);
      return sort === 'lastName' ? `${lastName} ${firstName}` : `${firstName} ${lastName}`;
    };
    // Every fake user is an account-level user with the role "user" (see userJson).
    const all = [...this.users.values()]
      .filter(
        (u) =>
          u.locationIds.some((l) => ofCompany.includes(l)) &&
          (!locationId || u.locationIds.includes(locationId)) &&
          (!text || u.name.toLowerCase().includes(text) || u.email.toLowerCase().includes(text)) &&
          (!ids || ids.includes(u.id)) &&
          (!type || type === 'account') &&
          (!role || role === 'user'),
      )
      .sort((a, b) => direction * (byName(a).localeCompare(byName(b)) || (a.id < b.id ? -1 : 1)));
    return json(200, {
      users: all.slice(skip, skip + limit).map((u) => this.userJson(u)),
      count: all.length,
    });
  }

  private contactsOf(locationId: string, text: string | undefined): Contact[] {
    const needle = text?.toLowerCase();
    const needleDigits = text ? digits(text) : '';
    return [...this.contacts.values()]
      .filter(
        (c) =>
          c.locationId === locationId &&
          (!needle ||
            c.name.toLowerCase().includes(needle) ||
            (c.email ?? '').toLowerCase().includes(needle) ||
            (needleDigits.length >= 3 && digits(c.phone ?? '').includes(needleDigits))),
      )
      .sort((a, b) => a.dateAddedMs - b.dateAddedMs || (a.id < b.id ? -1 : 1));
  }

  /** GET /contacts/: the deprecated list, paged by startAfter (ms) + startAfterId. */
  private listContacts(ctx: HandlerContext): FakeResponse {
    const q = ctx.query;
    const loc = this.location(ctx, q.get('locationId'));
    const limit = Number(q.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw this.unprocessable('limit must be 1..100');
    const all = this.contactsOf(loc.id, q.get('query') ?? undefined);
    const afterId = q.get('startAfterId');
    let from = 0;
    if (afterId) {
      const i = all.findIndex((c) => c.id === afterId);
      if (i < 0)
        throw this.unprocessable(`startAfterId ${afterId} is not a contact of this location`);
      from = i + 1;
    }
    const items = all.slice(from, from + limit);
    const last = items[items.length - 1];
    const more = from + limit < all.length;
    const currentPage = Math.floor(from / limit) + 1;
    const meta: Record<string, unknown> = {
      total: all.length,
      currentPage,
      nextPage: more ? currentPage + 1 : null,
      prevPage: currentPage > 1 ? currentPage - 1 : null,
    };
    if (more && last) {
      meta.startAfterId = last.id;
      meta.startAfter = last.dateAddedMs;
      meta.nextPageUrl = `${this.origin}/contacts/?locationId=${encodeURIComponent(loc.id)}&startAfter=${last.dateAddedMs}&startAfterId=${encodeURIComponent(last.id)}`;
    }
    return json(200, { contacts: items.map((c) => this.contactJson(c)), count: all.length, meta });
  }

  /** POST /contacts/search: HighLevel's search, paged by page/pageLimit or searchAfter. */
  private searchContacts(ctx: HandlerContext): FakeResponse {
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    if (typeof body.locationId !== 'string')
      throw this.unprocessable('locationId must be a string');
    const loc = this.location(ctx, body.locationId);
    const pageLimit = body.pageLimit ?? 20;
    if (
      typeof pageLimit !== 'number' ||
      !Number.isInteger(pageLimit) ||
      pageLimit < 1 ||
      pageLimit > 500
    ) {
      throw this.unprocessable('pageLimit must be an integer from 1 to 500');
    }
    const page = body.page ?? 1;
    if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) {
      throw this.unprocessable('page must be an integer >= 1');
    }
    let all = this.contactsOf(loc.id, typeof body.query === 'string' ? body.query : undefined);
    const filters = body.filters ?? [];
    if (!Array.isArray(filters)) throw this.unprocessable('filters must be an array');
    for (const f of filters as { field?: unknown; operator?: unknown; value?: unknown }[]) {
      if (f?.field !== 'phone' || f.operator !== 'eq' || typeof f.value !== 'string') {
        throw this.unprocessable(
          `the fake supports only {field: 'phone', operator: 'eq'} filters, got ${JSON.stringify(f)}`,
        );
      }
      const want = digits(f.value);
      all = all.filter((c) => c.phone !== undefined && digits(c.phone) === want);
    }
    let from = (page - 1) * pageLimit;
    if (body.searchAfter !== undefined) {
      const after = body.searchAfter;
      if (!Array.isArray(after) || typeof after[0] !== 'number' || typeof after[1] !== 'string') {
        throw this.unprocessable(
          'searchAfter must be [dateAddedMs, contactId] from a previous answer',
        );
      }
      const i = all.findIndex((c) => c.id === after[1]);
      from = i + 1;
    }
    const items = all.slice(from, from + pageLimit).map((c) => ({
      ...this.contactJson(c),
      searchAfter: [c.dateAddedMs, c.id],
    }));
    return json(200, { contacts: items, total: all.length });
  }

  private searchConversations(ctx: HandlerContext): FakeResponse {
    const q = ctx.query;
    const loc = this.location(ctx, q.get('locationId'));
    const contactId = q.get('contactId');
    const limit = Number(q.get('limit') ?? 20);
    const startAfter = q.get('startAfterDate');
    const lastAt = (c: Conversation) =>
      this.messagesOf.get(c.id)?.[0]?.dateAddedMs ?? c.dateAddedMs;
    const all = [...this.conversations.values()]
      .filter((c) => c.locationId === loc.id && (!contactId || c.contactId === contactId))
      .sort((a, b) => lastAt(b) - lastAt(a) || (a.id < b.id ? 1 : -1));
    const after = startAfter === null ? Number.POSITIVE_INFINITY : Number(startAfter);
    const items = all.filter((c) => lastAt(c) < after).slice(0, limit);
    return json(200, {
      conversations: items.map((c) => {
        const contact = this.contacts.get(c.contactId) as Contact;
        const last = this.messagesOf.get(c.id)?.[0];
        return {
          id: c.id,
          contactId: c.contactId,
          locationId: c.locationId,
          lastMessageBody: last?.body ?? '',
          lastMessageType: last?.messageType ?? 'TYPE_SMS',
          lastMessageDirection: last?.direction ?? 'outbound',
          lastMessageDate: lastAt(c),
          type: 'TYPE_PHONE',
          unreadCount: 0,
          fullName: contact.name,
          contactName: contact.name,
          email: contact.email ?? '',
          phone: contact.phone ?? '',
          dateAdded: c.dateAddedMs,
          dateUpdated: lastAt(c),
          sort: [lastAt(c)],
        };
      }),
      total: all.length,
    });
  }

  /** GET /conversations/{id}/messages: newest first, paged by lastMessageId. */
  private conversationMessages(ctx: HandlerContext): FakeResponse {
    const id = ctx.params.conversationId ?? '';
    if (!this.conversations.has(id)) throw this.missing(ctx, 'Conversation');
    const q = ctx.query;
    const limit = Number(q.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1)
      throw this.unprocessable('limit must be a positive integer');
    const type = q.get('type');
    const all = (this.messagesOf.get(id) ?? []).filter((m) => !type || m.messageType === type);
    const cursor = q.get('lastMessageId');
    let from = 0;
    if (cursor) {
      const i = all.findIndex((m) => m.id === cursor);
      if (i < 0)
        throw this.unprocessable(`lastMessageId ${cursor} is not a message of this conversation`);
      from = i + 1;
    }
    const page = all.slice(from, from + limit);
    const inner = {
      lastMessageId: page[page.length - 1]?.id ?? cursor ?? '',
      nextPage: from + limit < all.length,
      messages: page.map((m) => this.messageJson(m)),
    };
    return json(200, this.messageShape === 'nested' ? { messages: inner } : inner);
  }

  // --- sending ---------------------------------------------------------------

  /** POST /conversations/messages, SMS only: stores an outbound message, `pending`. */
  private sendMessage(ctx: HandlerContext): FakeResponse {
    // The contract has checked the body against SendMessageBodyDto already.
    const b = ctx.body as SendBody;
    if (b.type !== 'SMS') {
      const detail = `send-a-new-message with type ${b.type} is in the spec but the HighLevel fake sends only SMS`;
      this.violations.push({ method: 'POST', path: ctx.path, errors: [detail] });
      return this.errorResponse(501, 'not-implemented', detail);
    }
    const contact = this.contacts.get(b.contactId);
    if (!contact) throw this.badRequest(`Contact not found: contactId ${b.contactId}`);
    const attachments = b.attachments ?? [];
    const text = b.message ?? '';
    if (text === '' && attachments.length === 0) {
      throw this.badRequest('message or attachments is required for an SMS');
    }
    const from = this.senderNumber(contact.locationId, b.fromNumber);
    const to = b.toNumber ?? contact.phone;
    if (to === undefined) {
      throw this.badRequest(`Contact ${contact.id} has no phone number and no toNumber was given`);
    }
    if (!E164.test(to)) throw this.badRequest(`toNumber ${to} is not a valid phone number`);

    const conversation = this.conversationOf(contact);
    const list = this.messagesOf.get(conversation.id) as Message[];
    const message: Message = {
      id: this.newId(),
      conversationId: conversation.id,
      direction: 'outbound',
      body: text,
      dateAddedMs: this.now().getTime(),
      from,
      to,
      status: 'pending',
      source: 'api',
      messageType: 'TYPE_SMS',
    };
    if (attachments.length > 0) message.attachments = [...attachments];
    this.store(list, message);
    return json(200, { conversationId: conversation.id, messageId: message.id, status: 'pending' });
  }

  /** The number an SMS goes out from: the one asked for, else the location's default. */
  private senderNumber(locationId: string, asked: string | undefined): string {
    const numbers = this.numbers.get(locationId) ?? [];
    if (asked === undefined) {
      const fallback = numbers.find((n) => n.isDefault);
      if (!fallback) {
        throw this.badRequest('fromNumber is missing and the location has no default number');
      }
      return fallback.phoneNumber;
    }
    const n = numbers.find((x) => x.phoneNumber === asked);
    if (!n) throw this.badRequest(`fromNumber ${asked} is not a phone number of this location`);
    // Unknown capability (sms undefined) is let through, as HighLevel lists many numbers that way.
    if (n.sms === false) throw this.badRequest(`fromNumber ${asked} cannot send SMS`);
    return n.phoneNumber;
  }

  /** The contact's conversation, started on the first send as HighLevel does. */
  private conversationOf(contact: Contact): Conversation {
    for (const c of this.conversations.values()) if (c.contactId === contact.id) return c;
    const c: Conversation = {
      id: this.newId(),
      locationId: contact.locationId,
      contactId: contact.id,
      dateAddedMs: this.now().getTime(),
    };
    this.conversations.set(c.id, c);
    this.messagesOf.set(c.id, []);
    return c;
  }

  /** A 20-character id in HighLevel's style, unused so far. */
  private newId(): string {
    for (;;) {
      const id = this.ids.next('').slice(0, 20);
      if (!this.messageById.has(id) && !this.conversations.has(id)) return id;
    }
  }

  private badRequest(message: string): HttpAnswer {
    return new HttpAnswer(json(400, { statusCode: 400, message }));
  }
}

/** A stateful, spec-checked fake of the HighLevel API v2 endpoints the extension uses. */
export async function createFakeHighLevel(
  opts: CreateFakeHighLevelOptions = {},
): Promise<HighLevelFake> {
  const contract = await Contract.load(
    highLevelApps.map((app) => ({
      file: highLevelSpecPath(app),
      ajvOpts: { validateFormats: false },
      bodyNotRequired: app === 'conversations' ? BODY_NOT_REQUIRED : undefined,
    })),
  );
  return new HighLevelFake(contract, opts);
}
