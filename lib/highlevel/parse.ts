/**
 * Reads HighLevel API v2 JSON (specs/highlevel/apps/*.json) into ./types.
 * Where the live API differs from the specification (conversation messages
 * nested one level deeper, a single message wrapped as `{message, traceId}`),
 * both shapes are read.
 */

import { Fields, ShapeError } from '../http/check';
import type {
  HighLevelContact,
  HighLevelConversation,
  HighLevelLocation,
  HighLevelMessage,
  HighLevelNumberPool,
  HighLevelPhoneNumber,
  HighLevelUser,
  SentMessage,
} from './types';

/** Copies `key` from `f` into `out` when present; keeps optional fields truly absent. */
function optional<T extends object, K extends keyof T>(
  out: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) out[key] = value;
}

/** Reads `{location: {...}}` of GET /locations/{locationId}. */
export function readLocation(body: unknown): HighLevelLocation {
  const f = Fields.of(body, 'response').object('location');
  const out: HighLevelLocation = { id: f.id('id') };
  // The spec marks no field of the location required; the staff search checks it is there.
  optional(out, 'companyId', f.optionalString('companyId'));
  optional(out, 'name', f.optionalString('name'));
  optional(out, 'country', f.optionalString('country'));
  optional(out, 'timezone', f.optionalString('timezone'));
  return out;
}

/** Reads one `DetailedPhoneNumberDto`. */
export function readPhoneNumber(value: unknown, path: string): HighLevelPhoneNumber {
  const f = Fields.of(value, path);
  const caps = f.object('capabilities');
  const out: HighLevelPhoneNumber = {
    phoneNumber: f.id('phoneNumber'),
    friendlyName: f.optionalString('friendlyName') ?? null,
    isDefault: f.boolean('isDefaultNumber'),
  };
  optional(out, 'sid', f.optionalString('sid'));
  optional(out, 'sms', caps.optionalBoolean('sms'));
  optional(out, 'mms', caps.optionalBoolean('mms'));
  optional(out, 'voice', caps.optionalBoolean('voice'));
  optional(out, 'linkedUserId', f.optionalString('linkedUser'));
  optional(out, 'type', f.optionalString('type'));
  return out;
}

/** Reads the active-numbers response: `{numbers: [...], page, pageSize, ...}`. */
export function readPhoneNumbers(body: unknown): HighLevelPhoneNumber[] {
  return Fields.of(body, 'response').array('numbers', readPhoneNumber);
}

/** Reads one `NumberPoolDto`. */
export function readNumberPool(value: unknown, path: string): HighLevelNumberPool {
  const f = Fields.of(value, path);
  const out: HighLevelNumberPool = {
    id: f.id('id'),
    numbers: f.optionalArray('numbers', (item, p) => Fields.of(item, p).id('phoneNumber')),
  };
  optional(out, 'name', f.optionalString('name'));
  optional(out, 'locationId', f.optionalString('locationId'));
  optional(out, 'isActive', f.optionalBoolean('isActive'));
  return out;
}

/** Reads `{success, data: [...], total}` of GET /phone-system/number-pools. */
export function readNumberPools(body: unknown): HighLevelNumberPool[] {
  return Fields.of(body, 'response').array('data', readNumberPool);
}

/** Reads one `UserSchema`. */
export function readUser(value: unknown, path: string): HighLevelUser {
  const f = Fields.of(value, path);
  const lcPhone: Record<string, string> = {};
  const phones = f.optionalObject('lcPhone');
  if (phones !== undefined) {
    const raw = f.raw('lcPhone') as Record<string, unknown>;
    for (const locationId of Object.keys(raw)) {
      const number = phones.optionalString(locationId);
      if (number !== undefined && number !== '') lcPhone[locationId] = number;
    }
  }
  const out: HighLevelUser = { id: f.id('id'), lcPhone };
  optional(out, 'name', f.optionalString('name'));
  optional(out, 'firstName', f.optionalString('firstName'));
  optional(out, 'lastName', f.optionalString('lastName'));
  optional(out, 'email', f.optionalString('email'));
  optional(out, 'deleted', f.optionalBoolean('deleted'));
  return out;
}

export interface UsersPage {
  users: HighLevelUser[];
  /** How many users the search matched in all, when HighLevel says. */
  count?: number;
}

/** Reads `{users: [...], count}` of GET /users/search (`SearchUserSuccessfulResponseDto`). */
export function readUsersPage(body: unknown): UsersPage {
  const f = Fields.of(body, 'response');
  const out: UsersPage = { users: f.array('users', readUser) };
  optional(out, 'count', f.optionalInteger('count'));
  return out;
}

const BLOCKING_DND = new Set(['active', 'permanent']);

/** Reads `{contact: {...}}` of GET /contacts/{contactId}. */
export function readContact(body: unknown): HighLevelContact {
  const f = Fields.of(body, 'response').object('contact');
  const dnd = f.optionalBoolean('dnd') ?? false;
  const sms = f.optionalObject('dndSettings')?.optionalObject('SMS');
  const smsDndStatus = sms?.string('status');
  const out: HighLevelContact = {
    id: f.id('id'),
    dnd,
    smsDnd: dnd || (smsDndStatus !== undefined && BLOCKING_DND.has(smsDndStatus)),
  };
  optional(out, 'smsDndStatus', smsDndStatus);
  optional(out, 'locationId', f.optionalString('locationId'));
  const first = f.optionalString('firstName');
  const last = f.optionalString('lastName');
  const joined = [first, last].filter((s) => s !== undefined && s !== '').join(' ');
  // HighLevel's `name` is stored lower-cased ("dev shah"); the first and last
  // names keep the case the contact was entered with.
  optional(out, 'name', joined === '' ? f.optionalString('name') : joined);
  const phone = f.optionalString('phone');
  optional(out, 'phone', phone === '' ? undefined : phone);
  return out;
}

/** Reads a conversation, as GET /conversations/{id} or a search result item sends it. */
export function readConversation(value: unknown, path: string): HighLevelConversation {
  const f = Fields.of(value, path);
  const out: HighLevelConversation = {
    id: f.id('id'),
    contactId: f.id('contactId'),
    locationId: f.id('locationId'),
  };
  optional(out, 'assignedTo', f.optionalString('assignedTo'));
  const type = f.raw('type');
  if (typeof type === 'number' || typeof type === 'string') out.type = type;
  else if (type !== undefined && type !== null) {
    throw new ShapeError(f.at('type'), 'should be a number or a string');
  }
  optional(out, 'lastMessageType', f.optionalString('lastMessageType'));
  return out;
}

/** Reads `{conversations: [...], total}` of GET /conversations/search. */
export function readConversations(body: unknown): HighLevelConversation[] {
  return Fields.of(body, 'response').array('conversations', readConversation);
}

const DIRECTIONS = ['inbound', 'outbound'] as const;

/** Reads one `GetMessageResponseDto`. */
export function readMessage(value: unknown, path: string): HighLevelMessage {
  const f = Fields.of(value, path);
  const out: HighLevelMessage = {
    id: f.id('id'),
    direction: f.oneOf('direction', DIRECTIONS),
    body: f.optionalString('body') ?? '',
    dateAdded: f.date('dateAdded'),
    messageType: f.string('messageType'),
  };
  for (const key of [
    'altId',
    'userId',
    'from',
    'to',
    'status',
    'source',
    'contactId',
    'conversationId',
    'locationId',
  ] as const) {
    optional(out, key, f.optionalString(key));
  }
  if (f.has('attachments')) {
    out.attachments = f.array('attachments', (item, p) => {
      if (typeof item !== 'string') throw new ShapeError(p, 'should be a string');
      return item;
    });
  }
  return out;
}

export interface MessagesPage {
  messages: HighLevelMessage[];
  nextPage: boolean;
  lastMessageId?: string;
  /** Which shape the body had, so a change in the live API can be noticed. */
  shape: 'documented' | 'nested';
}

/**
 * Reads GET /conversations/{id}/messages: the documented
 * `{lastMessageId, nextPage, messages: [...]}` or the observed
 * `{messages: {lastMessageId, nextPage, messages: [...]}}`.
 */
export function readMessagesPage(body: unknown): MessagesPage {
  const root = Fields.of(body, 'response');
  const inner = root.raw('messages');
  let container: Fields;
  let shape: MessagesPage['shape'];
  if (Array.isArray(inner)) {
    container = root;
    shape = 'documented';
  } else if (typeof inner === 'object' && inner !== null) {
    container = root.object('messages');
    shape = 'nested';
  } else if (inner === undefined) {
    throw new ShapeError(root.at('messages'), 'is missing');
  } else {
    throw new ShapeError(root.at('messages'), 'should be an array or an object holding one');
  }
  const out: MessagesPage = {
    messages: container.array('messages', readMessage),
    nextPage: container.boolean('nextPage'),
    shape,
  };
  optional(out, 'lastMessageId', container.optionalString('lastMessageId'));
  return out;
}

/** Reads GET /conversations/messages/{id}: the message itself or `{message, traceId}`. */
export function readSingleMessage(body: unknown): HighLevelMessage {
  const root = Fields.of(body, 'response');
  const wrapped = root.raw('message');
  if (!root.has('id') && typeof wrapped === 'object' && wrapped !== null) {
    return readMessage(wrapped, 'response.message');
  }
  return readMessage(body, 'response');
}

/**
 * Reads the answer to POST /conversations/messages (`SendMessageResponseDto`).
 * The status must be present, as the spec requires, but may be any text:
 * HighLevel's messages carry more statuses than this answer's enum, and
 * refusing the answer to a send that went through helps nobody.
 */
export function readSentMessage(body: unknown): SentMessage {
  const f = Fields.of(body, 'response');
  return {
    conversationId: f.id('conversationId'),
    messageId: f.id('messageId'),
    status: f.id('status'),
  };
}
