/**
 * A thin client for HighLevel's API v2 over fetch: a sub-account's numbers
 * and number pools, staff, a contact's phone and DND, conversations and their
 * messages. Every
 * call carries the `Version` its area of the API requires. The token lives in
 * a private field and is scrubbed from anything an error could show. Sending
 * an SMS is the one write: it is never repeated unless HighLevel turned it away
 * with a 429.
 */

import { type ApiError, InputError, isApiError } from '../http/errors';
import type { Page } from '../http/page';
import { type HttpOptions, Transport } from '../http/transport';
import { describeHighLevelFailure } from './errors';
import { checkId, isId, positive, readToken, sendPayload } from './input';
import {
  readContact,
  readConversation,
  readConversations,
  readLocation,
  readMessagesPage,
  readNumberPools,
  readPhoneNumbers,
  readSentMessage,
  readSingleMessage,
  readUsersPage,
} from './parse';
import type {
  HighLevelContact,
  HighLevelConversation,
  HighLevelCredentials,
  HighLevelLocation,
  HighLevelMessage,
  HighLevelNumberPool,
  HighLevelPhoneNumber,
  HighLevelUser,
  SendMessageInput,
  SentMessage,
} from './types';

export const HIGHLEVEL_BASE_URL = 'https://services.leadconnectorhq.com';

/** The `Version` header each area of the API accepts (the enum in its spec). */
export const HIGHLEVEL_VERSIONS = {
  users: '2021-07-28',
  phoneSystem: '2021-07-28',
  locations: '2021-07-28',
  contacts: '2021-07-28',
  conversations: '2021-04-15',
} as const;

export type HighLevelArea = keyof typeof HIGHLEVEL_VERSIONS;

const SCOPES: Record<HighLevelArea, string> = {
  users: 'the users.readonly scope',
  phoneSystem: 'the phonenumbers.read scope',
  locations: 'the locations.readonly scope',
  contacts: 'the contacts.readonly scope',
  conversations: 'the conversations.readonly scope',
};
const MESSAGE_SCOPE = 'the conversations/message.readonly scope';
// The spec gives number pools a scope of their own, apart from phonenumbers.read.
const POOL_SCOPE = 'the numberpools.read scope';
/** Staff per page of GET /users/search; the spec's default is 25 and it documents no maximum. */
const STAFF_PAGE_SIZE = 100;
const SEND_SCOPE = 'the conversations/message.write scope';

export interface HighLevelClientOptions extends HttpOptions {
  credentials: HighLevelCredentials;
}

export type CredentialCheck = { ok: true } | { ok: false; error: ApiError };

export interface ListMessagesOptions {
  /** Messages per page; HighLevel's default is 20. */
  limit?: number;
  /** Only this kind, e.g. `TYPE_SMS`. */
  type?: string;
}

interface Call {
  area: HighLevelArea;
  path: string;
  query?: URLSearchParams;
  operation: string;
  needs?: string;
}

/** Talks to HighLevel with one sub-account's token. */
export class HighLevelClient {
  readonly #transport: Transport;
  readonly #authorization: string;
  /** Each sub-account's company, from GET /locations/{id}, so a sync reads it once. */
  readonly #companies = new Map<string, string>();

  constructor(options: HighLevelClientOptions) {
    const token = readToken(options.credentials);
    this.#authorization = `Bearer ${token}`;
    this.#transport = new Transport(
      options,
      {
        provider: 'highlevel',
        label: 'HighLevel',
        secrets: [token],
        describeFailure: describeHighLevelFailure,
      },
      HIGHLEVEL_BASE_URL,
    );
  }

  /** What may be logged about the client: never the token. */
  toJSON(): { provider: 'highlevel'; baseUrl: string } {
    return { provider: 'highlevel', baseUrl: this.#transport.baseUrl.href };
  }

  /** `[object HighLevelClient]`, so string conversion shows no token either. */
  toString(): string {
    return '[object HighLevelClient]';
  }

  /**
   * Checks the token against a sub-account by reading one of its numbers and
   * one of its staff, the two things sync needs first. Failures come back as `ok: false`.
   */
  async checkCredentials(locationId: string): Promise<CredentialCheck> {
    checkId(locationId, 'locationId');
    try {
      for (const pages of [
        this.listPhoneNumbers(locationId, { pageSize: 1 }),
        this.listStaff(locationId, { pageSize: 1 }),
      ]) {
        await pages.next();
        await pages.return(undefined);
      }
      return { ok: true };
    } catch (e) {
      if (isApiError(e)) return { ok: false, error: e };
      throw e;
    }
  }

  /** The sub-account's company, name, country and time zone. */
  async getLocation(locationId: string): Promise<HighLevelLocation> {
    checkId(locationId, 'locationId');
    const location = await this.#get(
      {
        area: 'locations',
        path: `/locations/${locationId}`,
        operation: `read sub-account ${locationId}`,
      },
      readLocation,
    );
    if (location.companyId !== undefined) this.#companies.set(locationId, location.companyId);
    return location;
  }

  /**
   * Pages of the sub-account's active numbers with capabilities, default and
   * assigned user, numbers in number pools included.
   */
  listPhoneNumbers(
    locationId: string,
    options: { pageSize?: number } = {},
  ): AsyncGenerator<Page<HighLevelPhoneNumber>, void> {
    checkId(locationId, 'locationId');
    const size = options.pageSize ?? 1000;
    if (!Number.isInteger(size) || size < 1 || size > 1000) {
      throw new InputError('pageSize', `must be a whole number from 1 to 1000, got ${size}`);
    }
    return this.#numberPages(locationId, size);
  }

  async *#numberPages(
    locationId: string,
    size: number,
  ): AsyncGenerator<Page<HighLevelPhoneNumber>, void> {
    const operation = 'list the sub-account’s phone numbers';
    const seen = new Set<string>();
    let itemsSoFar = 0;
    for (let page = 0; ; page++) {
      const numbers = await this.#get(
        {
          area: 'phoneSystem',
          path: `/phone-system/numbers/location/${locationId}`,
          // skipNumberPool defaults to true, which leaves pool numbers out: they
          // would then look removed to the rules, though they send every day.
          query: new URLSearchParams({
            pageSize: String(size),
            page: String(page),
            skipNumberPool: 'false',
          }),
          operation,
        },
        readPhoneNumbers,
      );
      if (numbers.length > 0 && numbers.every((n) => seen.has(n.phoneNumber))) {
        // A server that ignores `page` would otherwise be read forever.
        throw this.#transport.malformed(operation, `page ${page} repeats numbers already listed`);
      }
      for (const n of numbers) seen.add(n.phoneNumber);
      itemsSoFar += numbers.length;
      const hasMore = numbers.length === size;
      yield { items: numbers, index: page, itemsSoFar, hasMore };
      if (!hasMore) return;
    }
  }

  /**
   * The sub-account's number pools with their numbers. The active-numbers
   * list has no pool field, so this is the one place a number's pool is named.
   */
  async listNumberPools(locationId: string): Promise<HighLevelNumberPool[]> {
    checkId(locationId, 'locationId');
    return this.#get(
      {
        area: 'phoneSystem',
        path: '/phone-system/number-pools',
        query: new URLSearchParams({ locationId }),
        operation: 'list the sub-account’s number pools',
        needs: POOL_SCOPE,
      },
      readNumberPools,
    );
  }

  /**
   * Pages of the sub-account's staff, each with their `lcPhone` numbers,
   * through GET /users/search (the list by location is deprecated). The
   * search needs the sub-account's company: read with the location, once.
   */
  listStaff(
    locationId: string,
    options: { pageSize?: number } = {},
  ): AsyncGenerator<Page<HighLevelUser>, void> {
    checkId(locationId, 'locationId');
    const size = positive(options.pageSize ?? STAFF_PAGE_SIZE, 'pageSize');
    return this.#staffPages(locationId, size);
  }

  async *#staffPages(locationId: string, size: number): AsyncGenerator<Page<HighLevelUser>, void> {
    const operation = 'list the sub-account’s staff';
    const companyId = await this.#companyOf(locationId);
    const seen = new Set<string>();
    let itemsSoFar = 0;
    for (let index = 0; ; index++) {
      const page = await this.#get(
        {
          area: 'users',
          path: '/users/search',
          query: new URLSearchParams({
            companyId,
            locationId,
            skip: String(itemsSoFar),
            limit: String(size),
          }),
          operation,
        },
        readUsersPage,
      );
      const { users } = page;
      if (users.length > 0 && users.every((u) => seen.has(u.id))) {
        // A server that ignores `skip` would otherwise be read forever.
        throw this.#transport.malformed(operation, `page ${index} repeats staff already listed`);
      }
      for (const u of users) seen.add(u.id);
      itemsSoFar += users.length;
      // `count` is the total matched; without it a short page is the last.
      // Skipping by what came back, not by `limit`, loses no one to a server
      // that caps pages below what was asked.
      const hasMore =
        users.length > 0 &&
        (page.count === undefined ? users.length >= size : itemsSoFar < page.count);
      yield { items: users, index, itemsSoFar, hasMore };
      if (!hasMore) return;
    }
  }

  /** The company of a sub-account, read with the location unless already known. */
  async #companyOf(locationId: string): Promise<string> {
    const companyId =
      this.#companies.get(locationId) ?? (await this.getLocation(locationId)).companyId;
    const operation = `read sub-account ${locationId}`;
    if (companyId === undefined) {
      throw this.#transport.malformed(
        operation,
        'response.location.companyId is missing, and the staff search needs it',
      );
    }
    if (!isId(companyId)) {
      throw this.#transport.malformed(operation, 'response.location.companyId is not an id');
    }
    return companyId;
  }

  /** A contact's name, phone and DND state. */
  async getContact(contactId: string): Promise<HighLevelContact> {
    checkId(contactId, 'contactId');
    return this.#get(
      { area: 'contacts', path: `/contacts/${contactId}`, operation: `read contact ${contactId}` },
      readContact,
    );
  }

  /** One conversation. */
  async getConversation(conversationId: string): Promise<HighLevelConversation> {
    checkId(conversationId, 'conversationId');
    return this.#get(
      {
        area: 'conversations',
        path: `/conversations/${conversationId}`,
        operation: `read conversation ${conversationId}`,
      },
      (body) => readConversation(body, 'response'),
    );
  }

  /** Conversations of a sub-account, optionally only a contact's (one page). */
  async searchConversations(query: {
    locationId: string;
    contactId?: string;
    limit?: number;
  }): Promise<HighLevelConversation[]> {
    checkId(query.locationId, 'query.locationId');
    const params = new URLSearchParams({ locationId: query.locationId });
    if (query.contactId !== undefined) {
      checkId(query.contactId, 'query.contactId');
      params.set('contactId', query.contactId);
    }
    if (query.limit !== undefined)
      params.set('limit', String(positive(query.limit, 'query.limit')));
    return this.#get(
      {
        area: 'conversations',
        path: '/conversations/search',
        query: params,
        operation: 'search conversations',
      },
      readConversations,
    );
  }

  /** Pages of a conversation's messages, newest first; break out of the loop to stop early. */
  listMessages(
    conversationId: string,
    options: ListMessagesOptions = {},
  ): AsyncGenerator<Page<HighLevelMessage>, void> {
    checkId(conversationId, 'conversationId');
    const base = new URLSearchParams();
    if (options.limit !== undefined) base.set('limit', String(positive(options.limit, 'limit')));
    if (options.type !== undefined) {
      if (!/^TYPE_[A-Z_]+$/.test(options.type)) {
        throw new InputError(
          'type',
          `must be a message type like TYPE_SMS, got ${JSON.stringify(options.type)}`,
        );
      }
      base.set('type', options.type);
    }
    return this.#messagePages(conversationId, base);
  }

  async *#messagePages(
    conversationId: string,
    base: URLSearchParams,
  ): AsyncGenerator<Page<HighLevelMessage>, void> {
    const operation = `list the messages of conversation ${conversationId}`;
    const seen = new Set<string>();
    let lastMessageId: string | undefined;
    let itemsSoFar = 0;
    for (let index = 0; ; index++) {
      const query = new URLSearchParams(base);
      if (lastMessageId !== undefined) query.set('lastMessageId', lastMessageId);
      const page = await this.#get(
        {
          area: 'conversations',
          path: `/conversations/${conversationId}/messages`,
          query,
          operation,
          needs: MESSAGE_SCOPE,
        },
        readMessagesPage,
      );
      itemsSoFar += page.messages.length;
      const cursor = page.lastMessageId ?? page.messages.at(-1)?.id;
      const hasMore = page.nextPage;
      if (hasMore && (cursor === undefined || seen.has(cursor))) {
        throw this.#transport.malformed(
          operation,
          'nextPage is true but lastMessageId is missing or repeats an earlier page',
        );
      }
      yield { items: page.messages, index, itemsSoFar, hasMore };
      if (!hasMore || cursor === undefined) return;
      seen.add(cursor);
      lastMessageId = cursor;
    }
  }

  /** One message by id, in either the documented or the wrapped shape. */
  async getMessage(messageId: string): Promise<HighLevelMessage> {
    checkId(messageId, 'messageId');
    return this.#get(
      {
        area: 'conversations',
        path: `/conversations/messages/${messageId}`,
        operation: `read message ${messageId}`,
        needs: MESSAGE_SCOPE,
      },
      readSingleMessage,
    );
  }

  /**
   * Sends an SMS from one of the sub-account's numbers through HighLevel,
   * which files it in the contact's conversation (starting one if needed).
   * Not repeated after a lost connection, a time-out or a 5xx, since HighLevel
   * may have sent it already; the caller must find out (e.g. by listing the
   * conversation) before trying again.
   */
  async sendMessage(input: SendMessageInput): Promise<SentMessage> {
    const payload = sendPayload(input);
    const operation = `send an SMS to contact ${payload.contactId}`;
    const body = await this.#transport.json({
      method: 'POST',
      url: this.#transport.url('/conversations/messages'),
      headers: { ...this.#headers('conversations'), 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      operation,
      idempotent: false,
      needs: SEND_SCOPE,
    });
    return this.#transport.read(operation, body, readSentMessage);
  }

  #headers(area: HighLevelArea): Record<string, string> {
    return {
      Authorization: this.#authorization,
      Version: HIGHLEVEL_VERSIONS[area],
      Accept: 'application/json',
    };
  }

  async #get<T>(call: Call, read: (body: unknown) => T): Promise<T> {
    const text = call.query?.toString() ?? '';
    const query = text === '' ? '' : `?${text}`;
    const body = await this.#transport.json({
      method: 'GET',
      url: this.#transport.url(`${call.path}${query}`),
      headers: this.#headers(call.area),
      operation: call.operation,
      idempotent: true,
      needs: call.needs ?? SCOPES[call.area],
    });
    return this.#transport.read(call.operation, body, read);
  }
}
