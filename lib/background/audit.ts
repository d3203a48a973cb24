/**
 * The audit of a conversation's past messages: which number each one went out
 * from or came in on, per Twilio's log. HighLevel's message carries the
 * Twilio SID in `altId` (an exact match); without one, a Twilio message of the
 * same direction and text within two minutes is taken as an inferred match.
 * Both logs are read once per conversation and kept in memory briefly.
 */

import type { HighLevelClient, HighLevelMessage } from '../highlevel';
import type { AuditDetailsView, AuditView } from '../messaging/views';
import type { RulesIndex } from '../rules';
import {
  explainTwilioCode,
  SUBACCOUNT_KEY_REFUSAL,
  SubaccountKeyError,
  type TwilioClient,
  type TwilioMessage,
} from '../twilio';
import { OVER_BUDGET } from './budget';

/** How far apart HighLevel's and Twilio's times of one message may be for an inferred match. */
export const INFERRED_WINDOW_MS = 2 * 60_000;

const SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

export type MatchKind = 'exact' | 'inferred';

export interface MessageMatch {
  kind: MatchKind;
  twilio: TwilioMessage;
}

function normaliseBody(body: string): string {
  return body.replace(/\s+/g, ' ').trim();
}

function twilioTime(message: TwilioMessage): number | null {
  const date = message.dateSent?.date ?? message.dateCreated?.date;
  return date ? date.getTime() : null;
}

function twilioDirection(message: TwilioMessage): 'inbound' | 'outbound' {
  return message.direction === 'inbound' ? 'inbound' : 'outbound';
}

/**
 * Matches HighLevel messages to Twilio messages: exact by SID (`altId`), else
 * inferred by direction, identical text and a time within ±2 minutes, the
 * closest one winning. A Twilio message is matched to at most one message.
 */
export function matchMessages(
  highlevel: readonly HighLevelMessage[],
  twilio: readonly TwilioMessage[],
): Map<string, MessageMatch> {
  const bySid = new Map(twilio.map((m) => [m.sid, m]));
  const matches = new Map<string, MessageMatch>();
  const used = new Set<string>();
  for (const message of highlevel) {
    const found = message.altId ? bySid.get(message.altId) : undefined;
    if (found && !used.has(found.sid)) {
      matches.set(message.id, { kind: 'exact', twilio: found });
      used.add(found.sid);
    }
  }
  // Candidates for inference, keyed by direction and text, so each lookup is a few items.
  const byText = new Map<string, TwilioMessage[]>();
  for (const m of twilio) {
    if (used.has(m.sid)) continue;
    const key = `${twilioDirection(m)}\n${normaliseBody(m.body)}`;
    const list = byText.get(key);
    if (list) list.push(m);
    else byText.set(key, [m]);
  }
  for (const message of highlevel) {
    if (matches.has(message.id)) continue;
    const candidates = byText.get(`${message.direction}\n${normaliseBody(message.body)}`);
    if (!candidates) continue;
    const at = message.dateAdded.date.getTime();
    let best: TwilioMessage | undefined;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      const time = twilioTime(candidate);
      if (time === null || used.has(candidate.sid)) continue;
      const gap = Math.abs(time - at);
      if (gap <= INFERRED_WINDOW_MS && gap < bestGap) {
        best = candidate;
        bestGap = gap;
      }
    }
    if (best) {
      matches.set(message.id, { kind: 'inferred', twilio: best });
      used.add(best.sid);
    }
  }
  return matches;
}

/** A delivery status's tone: settled well, still moving, failed, or neither. */
export function statusTone(status: string): AuditView['tone'] {
  switch (status) {
    case 'delivered':
    case 'received':
    case 'read':
      return 'ok';
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
    case 'sent':
    case 'receiving':
      return 'pending';
    case 'failed':
    case 'undelivered':
    case 'canceled':
      return 'bad';
    default:
      return 'neutral';
  }
}

/** Twilio's price ('-0.00790', 'USD') as a person reads it: '$0.0079'. */
export function formatPrice(price: string | null, unit: string | null): string | undefined {
  if (price === null) return undefined;
  const value = Math.abs(Number(price));
  if (!Number.isFinite(value)) return undefined;
  // At least cents, at most Twilio's own precision, no trailing zeros beyond cents.
  let text = value.toFixed(5).replace(/0+$/, '');
  const decimals = text.length - text.indexOf('.') - 1;
  if (decimals < 2) text = value.toFixed(2);
  if (unit === null || unit.toUpperCase() === 'USD') return `$${text}`;
  return `${text} ${unit.toUpperCase()}`;
}

/** A Twilio error code in plain words, or undefined when the table does not know it. */
export function explainErrorCode(code: number): string | undefined {
  const info = explainTwilioCode(code);
  if (!info) return undefined;
  return `${info.what.charAt(0).toUpperCase()}${info.what.slice(1)}. ${info.action}`;
}

const TIME_FORMAT = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export interface AuditContext {
  /** The sub-account's synced data, for display forms, names, active numbers and staff; null when not synced. */
  index: RulesIndex | null;
  /** Asked before each API request the audit would make; false means do not make it. */
  mayFetch?: (kind: 'conversation-log' | 'message-lookup') => boolean;
}

function display(index: RulesIndex | null, e164: string | null): string {
  if (e164 === null) return 'unknown';
  return index ? index.phones.display(e164) : e164;
}

/** Where an audited message differs from what the rules say now, in a few words. */
function warningFor(
  message: HighLevelMessage,
  ours: string | null,
  index: RulesIndex | null,
): string | undefined {
  if (index === null || ours === null) return undefined;
  if (!index.numbers.has(ours)) {
    return message.direction === 'outbound'
      ? 'Sent from a released number'
      : 'Received on a released number';
  }
  if (message.direction !== 'outbound' || message.userId === undefined) return undefined;
  const staff = index.staff.get(message.userId);
  const assigned = staff?.number === undefined ? undefined : index.numbers.get(staff.number);
  // A voice-only or removed assigned number sends nothing; the rules then pick another.
  if (!staff || !assigned || assigned.sms === false) return undefined;
  return assigned.e164 === ours ? undefined : `Not ${staff.name}'s number`;
}

/**
 * The audit chip's view of a message of a sub-account on LC Phone, from what
 * HighLevel's own record carries (its from/to, when it gives them, and its
 * status), marked as such: there is no Twilio log to check it against.
 */
export function highLevelOnlyView(message: HighLevelMessage, context: AuditContext): AuditView {
  const direction = message.direction;
  const raw = direction === 'outbound' ? message.from : message.to;
  const ours = raw === undefined ? null : (context.index?.phones.normalise(raw) ?? null);
  const view: AuditView = {
    state: 'inferred',
    direction,
    tone: message.status ? statusTone(message.status) : 'neutral',
    message: 'From HighLevel’s record: LC Phone has no Twilio log to check it against',
  };
  if (message.status) view.status = message.status;
  if (ours !== null) {
    view.numberDisplay = display(context.index, ours);
    const name = context.index?.numbers.get(ours)?.name;
    if (name) view.numberName = name;
    const warning = warningFor(message, ours, context.index);
    if (warning) view.warning = warning;
  }
  return view;
}

/** The audit chip's view of one HighLevel message and its Twilio match, if any. */
export function buildAuditView(
  message: HighLevelMessage,
  match: MessageMatch | undefined,
  context: AuditContext,
): AuditView {
  const direction = message.direction;
  if (!match) {
    return {
      state: 'unmatched',
      direction,
      tone: 'neutral',
      message: message.messageType === 'TYPE_SMS' ? 'No Twilio match' : 'Not an SMS',
    };
  }
  const { index } = context;
  const twilio = match.twilio;
  const ours = direction === 'outbound' ? twilio.from : twilio.to;
  const details: AuditDetailsView = {
    sid: twilio.sid,
    status: twilio.status,
    sentAt: TIME_FORMAT.format(
      twilio.dateSent?.date ?? twilio.dateCreated?.date ?? message.dateAdded.date,
    ),
    from: display(index, twilio.from),
    to: display(index, twilio.to),
  };
  if (twilio.errorCode !== null) {
    details.errorCode = twilio.errorCode;
    const text = explainErrorCode(twilio.errorCode);
    if (text) details.errorText = text;
  }
  if (twilio.numSegments !== null) details.segments = twilio.numSegments;
  const price = formatPrice(twilio.price, twilio.priceUnit);
  if (price) details.price = price;

  const view: AuditView = {
    state: match.kind,
    direction,
    status: twilio.status,
    tone: statusTone(twilio.status),
    details,
  };
  if (ours !== null) view.numberDisplay = display(index, ours);
  const name = ours === null ? undefined : index?.numbers.get(ours)?.name;
  if (name) view.numberName = name;
  const warning = warningFor(message, ours, index);
  if (warning) view.warning = warning;
  return view;
}

/** The view of every row when the audit cannot run at all. */
export function auditFailure(message: string): AuditView {
  return { state: 'error', direction: 'outbound', tone: 'neutral', message };
}

/** Both logs of one conversation, matched. */
interface ConversationLog {
  loadedAt: number;
  messages: Map<string, HighLevelMessage>;
  matches: Map<string, MessageMatch>;
  /** For reading single messages the listed pages did not reach; null on LC Phone. */
  twilio: TwilioClient | null;
  /** SIDs already read one by one, found or not, so a miss is not asked again. */
  lookedUp: Set<string>;
}

export interface AuditServiceOptions {
  /** The client of the sub-account's Twilio account (its subaccount, else the main one). */
  twilio(locationId: string): Promise<TwilioClient | null>;
  highlevel(locationId: string): Promise<HighLevelClient | null>;
  /** Whether the sub-account is on LC Phone: no Twilio log, only HighLevel's record. */
  lcPhone?(locationId: string): Promise<boolean>;
  now(): number;
  /** How long a conversation's logs are reused; default 60 s. */
  ttlMs?: number;
  /** A requested message missing from logs older than this makes them load again; default 10 s. */
  refreshMissingAfterMs?: number;
  /** Conversations kept in memory; default 20. */
  maxConversations?: number;
  /** Most messages read from each log per conversation; default 2,000. */
  maxMessages?: number;
  /** Most single Twilio messages fetched by SID per request (beyond the listed ones); default 20. */
  maxLookups?: number;
}

export interface AuditRequest {
  locationId: string;
  conversationId: string;
  /** The contact's phone in E.164; null when unknown (only exact matches by SID are possible). */
  contactPhone: string | null;
  messageIds: readonly string[];
}

/** A reason the audit cannot run, written for the user. */
export class AuditUnavailable extends Error {
  override name = 'AuditUnavailable';
}

async function collect<T>(pages: AsyncGenerator<{ items: T[] }, void>, max: number): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(...page.items);
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}

/**
 * Audits message rows against Twilio's log, reading each conversation's logs
 * once per `ttlMs` and sharing a load between concurrent requests.
 */
export class AuditService {
  private readonly logs = new Map<string, Promise<ConversationLog>>();
  private readonly options: Required<AuditServiceOptions>;

  constructor(options: AuditServiceOptions) {
    this.options = {
      ttlMs: 60_000,
      refreshMissingAfterMs: 10_000,
      maxConversations: 20,
      maxMessages: 2000,
      maxLookups: 20,
      lcPhone: async () => false,
      ...options,
    };
  }

  /** The audit view of each requested message id. */
  async audit(request: AuditRequest, context: AuditContext): Promise<Record<string, AuditView>> {
    const mayFetch = context.mayFetch ?? (() => true);
    let log = await this.log(request, false, mayFetch);
    const missing = request.messageIds.some((id) => !log.messages.has(id));
    if (
      missing &&
      this.options.now() - log.loadedAt > this.options.refreshMissingAfterMs &&
      mayFetch('conversation-log')
    ) {
      // Rows for messages sent since the logs were read: read them again, once.
      log = await this.log(request, true, () => true);
    }
    await this.lookUpUnlisted(log, request.messageIds, mayFetch);
    // No prototype: a message id such as `__proto__` is a key like any other.
    const out: Record<string, AuditView> = Object.create(null);
    for (const id of request.messageIds) {
      const message = log.messages.get(id);
      out[id] = message
        ? log.twilio === null
          ? highLevelOnlyView(message, context)
          : buildAuditView(message, log.matches.get(id), context)
        : {
            state: 'unmatched',
            direction: 'outbound',
            tone: 'neutral',
            message: 'Not in HighLevel yet',
          };
    }
    return out;
  }

  private log(
    request: AuditRequest,
    reload: boolean,
    mayFetch: NonNullable<AuditContext['mayFetch']>,
  ): Promise<ConversationLog> {
    const key = `${request.locationId}/${request.conversationId}`;
    const cached = this.logs.get(key);
    const now = this.options.now();
    if (cached && !reload) {
      return cached.then((log) =>
        now - log.loadedAt <= this.options.ttlMs ? log : this.log(request, true, mayFetch),
      );
    }
    if (!mayFetch('conversation-log')) return Promise.reject(new AuditUnavailable(OVER_BUDGET));
    const loading = this.load(request);
    this.logs.delete(key);
    this.logs.set(key, loading);
    // A failed load is not kept: the next request tries again.
    loading.catch(() => {
      if (this.logs.get(key) === loading) this.logs.delete(key);
    });
    while (this.logs.size > this.options.maxConversations) {
      const oldest = this.logs.keys().next().value;
      if (oldest === undefined) break;
      this.logs.delete(oldest);
    }
    return loading;
  }

  private async load(request: AuditRequest): Promise<ConversationLog> {
    const loadedAt = this.options.now();
    const lcPhone = await this.options.lcPhone(request.locationId);
    const [highlevel, twilio] = await Promise.all([
      this.options.highlevel(request.locationId),
      this.options.twilio(request.locationId).catch((error: unknown) => {
        // A fixed sentence the page may show, instead of the generic failure.
        if (error instanceof SubaccountKeyError) throw new AuditUnavailable(SUBACCOUNT_KEY_REFUSAL);
        throw error;
      }),
    ]);
    if (!highlevel) {
      throw new AuditUnavailable('Connect HighLevel for this sub-account to audit messages.');
    }
    if (!twilio && !lcPhone)
      throw new AuditUnavailable('Connect Twilio in Sender Lens options to audit messages.');
    const max = this.options.maxMessages;
    if (!twilio) {
      // LC Phone: HighLevel's own record is all there is.
      const messages = await collect(
        highlevel.listMessages(request.conversationId, { limit: 100 }),
        max,
      );
      return {
        loadedAt,
        messages: new Map(messages.map((m) => [m.id, m])),
        matches: new Map(),
        twilio: null,
        lookedUp: new Set(),
      };
    }
    const phone = request.contactPhone;
    const [messages, sentTo, receivedFrom] = await Promise.all([
      collect(highlevel.listMessages(request.conversationId, { limit: 100 }), max),
      phone ? collect(twilio.listMessages({ to: phone }), max) : Promise.resolve([]),
      phone ? collect(twilio.listMessages({ from: phone }), max) : Promise.resolve([]),
    ]);
    const twilioMessages = [...sentTo, ...receivedFrom];
    return {
      loadedAt,
      messages: new Map(messages.map((m) => [m.id, m])),
      matches: matchMessages(messages, twilioMessages),
      twilio,
      lookedUp: new Set(),
    };
  }

  /**
   * Messages whose SID is known but which fell outside the listed pages (a
   * long history): read one by one, a few per request.
   */
  private async lookUpUnlisted(
    log: ConversationLog,
    ids: readonly string[],
    mayFetch: NonNullable<AuditContext['mayFetch']>,
  ): Promise<void> {
    const { twilio } = log;
    if (twilio === null) return;
    const wanted = ids
      .map((id) => log.messages.get(id))
      .filter(
        (m): m is HighLevelMessage & { altId: string } =>
          m !== undefined &&
          !log.matches.has(m.id) &&
          m.altId !== undefined &&
          SID.test(m.altId) &&
          !log.lookedUp.has(m.altId),
      )
      .slice(0, this.options.maxLookups)
      .filter(() => mayFetch('message-lookup'));
    await Promise.all(
      wanted.map(async (message) => {
        log.lookedUp.add(message.altId);
        try {
          const found = await twilio.getMessage(message.altId);
          log.matches.set(message.id, { kind: 'exact', twilio: found });
        } catch {
          // Not in this account (or deleted): the row stays unmatched.
        }
      }),
    );
  }
}
