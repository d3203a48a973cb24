/**
 * A thin client for the Twilio REST API (2010-04-01) over fetch: the account's
 * incoming numbers, its messages (paged), one message, sending one, and the
 * main account's subaccounts. The Authorization header is built here and kept
 * in a private field, so no error, log line or JSON of the client can carry
 * the secret.
 *
 * The account a client acts on (the `{AccountSid}` of every path) may be a
 * subaccount of the account whose credentials it sends: Twilio lets the main
 * account's SID and Auth Token act on its subaccounts, and refuses API keys
 * of the main account there.
 */

import { type ApiError, InputError, isApiError } from '../http/errors';
import { e164, httpUrl } from '../http/input';
import type { Page } from '../http/page';
import { type HttpOptions, Transport } from '../http/transport';
import { describeTwilioFailure, SubaccountKeyError } from './errors';
import { readAccount, readIncomingNumber, readListPage, readMessage } from './parse';
import type {
  CreateMessageInput,
  ListMessagesFilter,
  TwilioAccount,
  TwilioCredentials,
  TwilioIncomingNumber,
  TwilioMessage,
} from './types';

export const TWILIO_BASE_URL = 'https://api.twilio.com';
const API = '/2010-04-01';

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const API_KEY_SID = /^SK[0-9a-fA-F]{32}$/;
const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
// Basic auth is base64 of Latin-1; printable ASCII covers every real secret.
const SECRET_TEXT = /^[\x21-\x7e]+$/;
const MAX_MEDIA = 10;

export interface TwilioClientOptions extends HttpOptions {
  credentials: TwilioCredentials;
  /**
   * The account the requests act on: the credentials' own by default, or a
   * subaccount of it. An API key may act only on its own account.
   */
  accountSid?: string;
}

export type CredentialCheck = { ok: true } | { ok: false; error: ApiError };

/**
 * Whether Twilio refuses these credentials on `accountSid`'s resources: an
 * API key reaches only the account it was made in, while the main account's
 * Auth Token also reaches its subaccounts.
 */
export function apiKeyRefusedFor(
  credentials: { kind: 'auth-token' | 'api-key'; accountSid: string },
  accountSid: string,
): boolean {
  return (
    credentials.kind === 'api-key' &&
    credentials.accountSid.toLowerCase() !== accountSid.toLowerCase()
  );
}

/** Talks to one Twilio account, the credentials' own or one of its subaccounts. */
export class TwilioClient {
  /** The account every request acts on (the path's `{AccountSid}`). */
  readonly accountSid: string;
  /** The account whose credentials authenticate: the main account when acting on a subaccount. */
  readonly credentialsAccountSid: string;
  readonly #transport: Transport;
  readonly #authorization: string;

  constructor(options: TwilioClientOptions) {
    const { user, secret, accountSid } = readCredentials(options.credentials);
    const actingOn = options.accountSid ?? accountSid;
    if (typeof actingOn !== 'string' || !ACCOUNT_SID.test(actingOn)) {
      throw new InputError('accountSid', 'must be AC followed by 32 hex digits');
    }
    // Refused here, before any request: Twilio would only answer 20003,
    // which reads as if the key were wrong.
    if (apiKeyRefusedFor(options.credentials, actingOn)) throw new SubaccountKeyError();
    this.accountSid = actingOn;
    this.credentialsAccountSid = accountSid;
    this.#authorization = `Basic ${btoa(`${user}:${secret}`)}`;
    this.#transport = new Transport(
      options,
      {
        provider: 'twilio',
        label: 'Twilio',
        secrets: [secret, this.#authorization.slice('Basic '.length)],
        describeFailure: describeTwilioFailure,
      },
      TWILIO_BASE_URL,
    );
  }

  /** What may be logged about the client: never the secret. */
  toJSON(): {
    provider: 'twilio';
    accountSid: string;
    credentialsAccountSid: string;
    baseUrl: string;
  } {
    return {
      provider: 'twilio',
      accountSid: this.accountSid,
      credentialsAccountSid: this.credentialsAccountSid,
      baseUrl: this.#transport.baseUrl.href,
    };
  }

  /** `[object TwilioClient AC…]`, so string conversion shows no secret either. */
  toString(): string {
    return `[object TwilioClient ${this.accountSid}]`;
  }

  /**
   * Checks the credentials with a one-item list of incoming numbers (standard
   * API keys may not read /Accounts). Failures come back as `ok: false`.
   */
  async checkCredentials(): Promise<CredentialCheck> {
    try {
      const pages = this.listIncomingNumbers({ pageSize: 1 });
      await pages.next();
      await pages.return(undefined);
      return { ok: true };
    } catch (e) {
      if (isApiError(e)) return { ok: false, error: e };
      throw e;
    }
  }

  /** Pages of the account's incoming phone numbers with their capabilities. */
  listIncomingNumbers(
    options: { pageSize?: number } = {},
  ): AsyncGenerator<Page<TwilioIncomingNumber>, void> {
    const query = new URLSearchParams({ PageSize: String(pageSize(options.pageSize, 1000)) });
    return this.#pages(
      `${this.#accountPath()}/IncomingPhoneNumbers.json?${query}`,
      `${this.#accountPath()}/`,
      'incoming_phone_numbers',
      readIncomingNumber,
      'list the account’s phone numbers',
    );
  }

  /** Pages of messages, newest first, filtered by To, From and `DateSent>`. */
  listMessages(filter: ListMessagesFilter = {}): AsyncGenerator<Page<TwilioMessage>, void> {
    const query = new URLSearchParams();
    if (filter.to !== undefined) query.set('To', e164(filter.to, 'filter.to'));
    if (filter.from !== undefined) query.set('From', e164(filter.from, 'filter.from'));
    if (filter.sentOnOrAfter !== undefined) {
      query.set('DateSent>', isoSeconds(filter.sentOnOrAfter, 'filter.sentOnOrAfter'));
    }
    query.set('PageSize', String(pageSize(filter.pageSize, 500)));
    return this.#pages(
      `${this.#accountPath()}/Messages.json?${query}`,
      `${this.#accountPath()}/`,
      'messages',
      readMessage,
      'list messages',
    );
  }

  /**
   * Pages of the accounts the credentials own: the main account and its
   * subaccounts (`GET /Accounts.json`). Twilio answers it only to an Auth
   * Token or a Main API key; a standard API key gets 20003.
   */
  listAccounts(options: { pageSize?: number } = {}): AsyncGenerator<Page<TwilioAccount>, void> {
    const query = new URLSearchParams({ PageSize: String(pageSize(options.pageSize, 1000)) });
    return this.#pages(
      `${API}/Accounts.json?${query}`,
      `${API}/Accounts.json?`,
      'accounts',
      readAccount,
      'list the Twilio subaccounts',
    );
  }

  /** One message by its SID (`SM…` or `MM…`). */
  async getMessage(sid: string): Promise<TwilioMessage> {
    if (typeof sid !== 'string' || !MESSAGE_SID.test(sid)) {
      throw new InputError(
        'sid',
        'must be a Twilio message SID: SM or MM followed by 32 hex digits',
      );
    }
    const operation = `read message ${sid}`;
    const body = await this.#transport.json({
      method: 'GET',
      url: this.#transport.url(`${this.#accountPath()}/Messages/${sid}.json`),
      headers: this.#headers(),
      operation,
      idempotent: true,
    });
    return this.#transport.read(operation, body, (b) => readMessage(b, 'response'));
  }

  /**
   * Sends one message. Never repeated after a lost connection or a 5xx (the
   * first try may have gone out); only a 429 is retried.
   */
  async createMessage(input: CreateMessageInput): Promise<TwilioMessage> {
    const form = messageForm(input);
    const operation = 'send the message';
    const body = await this.#transport.json({
      method: 'POST',
      url: this.#transport.url(`${this.#accountPath()}/Messages.json`),
      headers: { ...this.#headers(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      operation,
      idempotent: false,
    });
    return this.#transport.read(operation, body, (b) => readMessage(b, 'response'));
  }

  #accountPath(): string {
    return `${API}/Accounts/${this.accountSid}`;
  }

  #headers(): Record<string, string> {
    return { Authorization: this.#authorization, Accept: 'application/json' };
  }

  /** Follows `next_page_uri` while it stays under `prefix`, the list's own path. */
  async *#pages<T>(
    firstPath: string,
    prefix: string,
    key: string,
    readItem: (item: unknown, path: string) => T,
    operation: string,
  ): AsyncGenerator<Page<T>, void> {
    const seen = new Set<string>();
    let path: string | null = firstPath;
    let index = 0;
    let itemsSoFar = 0;
    while (path !== null) {
      seen.add(path);
      const body = await this.#transport.json({
        method: 'GET',
        url: this.#pageUrl(path, prefix, operation),
        headers: this.#headers(),
        operation,
        idempotent: true,
      });
      const page = this.#transport.read(operation, body, (b) => readListPage(b, key, readItem));
      const next = page.nextPageUri;
      if (next !== null && seen.has(next)) {
        throw this.#transport.malformed(
          operation,
          'next_page_uri points back to a page already read',
        );
      }
      itemsSoFar += page.items.length;
      yield { items: page.items, index, itemsSoFar, hasMore: next !== null };
      index += 1;
      path = next;
    }
  }

  /** Resolves a page path, refusing one that would leave this list (its account) or host. */
  #pageUrl(path: string, prefix: string, operation: string): URL {
    const url = this.#transport.url(path);
    if (!path.startsWith(prefix) || url.origin !== this.#transport.baseUrl.origin) {
      // Following it would send the credentials somewhere else.
      throw this.#transport.malformed(
        operation,
        `next_page_uri "${path}" is not a page of this account`,
      );
    }
    return url;
  }
}

function readCredentials(credentials: TwilioCredentials): {
  user: string;
  secret: string;
  accountSid: string;
} {
  if (typeof credentials !== 'object' || credentials === null) {
    throw new InputError('credentials', 'must be an object');
  }
  const { accountSid } = credentials;
  if (typeof accountSid !== 'string' || !ACCOUNT_SID.test(accountSid)) {
    throw new InputError('credentials.accountSid', 'must be AC followed by 32 hex digits');
  }
  if (credentials.kind === 'auth-token') {
    secretText(credentials.authToken, 'credentials.authToken');
    return { user: accountSid, secret: credentials.authToken, accountSid };
  }
  if (credentials.kind === 'api-key') {
    if (typeof credentials.apiKeySid !== 'string' || !API_KEY_SID.test(credentials.apiKeySid)) {
      throw new InputError('credentials.apiKeySid', 'must be SK followed by 32 hex digits');
    }
    secretText(credentials.apiKeySecret, 'credentials.apiKeySecret');
    return { user: credentials.apiKeySid, secret: credentials.apiKeySecret, accountSid };
  }
  throw new InputError('credentials.kind', "must be 'auth-token' or 'api-key'");
}

// The message never quotes the value: it is a secret.
function secretText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '') throw new InputError(field, 'is missing');
  if (!SECRET_TEXT.test(value)) {
    throw new InputError(field, 'contains spaces or characters a Twilio secret never has');
  }
}

function pageSize(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new InputError('pageSize', `must be a whole number from 1 to 1000, got ${value}`);
  }
  return value;
}

/** `2025-03-01T00:00:00Z`: the form Twilio's own libraries send for DateSent. */
function isoSeconds(value: Date, field: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InputError(field, 'must be a valid Date');
  }
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function messageForm(input: CreateMessageInput): URLSearchParams {
  if (typeof input !== 'object' || input === null)
    throw new InputError('input', 'must be an object');
  const form = new URLSearchParams();
  form.append('To', e164(input.to, 'input.to'));
  if (input.from === undefined && input.messagingServiceSid === undefined) {
    throw new InputError('input.from', 'is required unless messagingServiceSid is given');
  }
  if (input.from !== undefined) form.append('From', e164(input.from, 'input.from'));
  if (input.messagingServiceSid !== undefined) {
    if (!SERVICE_SID.test(input.messagingServiceSid)) {
      throw new InputError('input.messagingServiceSid', 'must be MG followed by 32 hex digits');
    }
    form.append('MessagingServiceSid', input.messagingServiceSid);
  }
  const media = input.mediaUrls ?? [];
  if (!Array.isArray(media)) throw new InputError('input.mediaUrls', 'must be an array of URLs');
  if (media.length > MAX_MEDIA) {
    throw new InputError(
      'input.mediaUrls',
      `holds ${media.length} URLs; Twilio takes at most ${MAX_MEDIA}`,
    );
  }
  const body = input.body;
  if (body !== undefined && typeof body !== 'string')
    throw new InputError('input.body', 'must be a string');
  if ((body === undefined || body === '') && media.length === 0) {
    throw new InputError('input.body', 'is empty and there is no media: nothing to send');
  }
  if (body !== undefined && body !== '') form.append('Body', body);
  // Twilio reads several media as the same key repeated, not as an indexed list.
  media.forEach((url, i) => {
    form.append('MediaUrl', httpUrl(url, `input.mediaUrls[${i}]`));
  });
  if (input.statusCallback !== undefined) {
    form.append('StatusCallback', httpUrl(input.statusCallback, 'input.statusCallback'));
  }
  return form;
}
