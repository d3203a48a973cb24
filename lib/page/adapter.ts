/**
 * Reads what the extension needs from HighLevel's Conversations page: the
 * open conversation, its contact, the composer, and the message rows. Every
 * DOM fact comes from ./selectors.ts; nothing here parses phone numbers
 * (numbers shown on the page go to the background as they are).
 */
import { type ConversationRoute, parseRoute } from './route';
import {
  CARD_ATTRIBUTES,
  type Match,
  type Matched,
  query,
  queryAll,
  querySelf,
  type SelectorName,
} from './selectors';

export interface ComposerParts {
  footer: HTMLElement;
  input: HTMLElement;
  sendButton: HTMLElement;
  /** The channel picker (SMS, Email, …): never the From-number picker, see ./from-picker.ts. */
  channelPicker: HTMLElement | null;
}

/** Where the contact id was read: the right panel's contact link, or the list's active card. */
export type ContactIdSource = 'contactLink' | 'activeConversationCard';

export interface ConversationViewOk {
  status: 'ok';
  locationId: string;
  conversationId: string;
  contactId: string;
  /** Which part of the page gave the contact id; `matched` lists that part too. */
  contactIdFrom: ContactIdSource;
  /** As the header shows it; null when the header has no name. */
  contactName: string | null;
  composer: ComposerParts;
  scroller: HTMLElement;
  /** Which alternate each found selector used, for the popup's diagnosis. */
  matched: Matched[];
}

export type ConversationView =
  | ConversationViewOk
  /** Not on a conversation: another CRM page, or the list with nothing open. */
  | { status: 'no-conversation'; route: ConversationRoute | null }
  /** On a conversation, but required parts of the page were not found. */
  | { status: 'unrecognised'; missing: string[] };

// Without these the extension has nothing to attach to. The contact is needed
// too, but has two sources (see readContactId).
const REQUIRED: readonly SelectorName[] = [
  'messageScroller',
  'composerFooter',
  'composerInput',
  'sendButton',
];

const MAX_NAME = 200;
const MAX_BODY = 2000;
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const CONTACT_PATH = /\/contacts\/detail\/([^/?#]+)\/*$/;

/** The contact id at the end of a `/contacts/detail/{contactId}` link, or null. */
export function contactIdFromHref(href: string, base: string): string | null {
  let path: string;
  try {
    path = new URL(href, base).pathname;
  } catch {
    return null;
  }
  const match = CONTACT_PATH.exec(path);
  if (!match) return null;
  let id: string;
  try {
    id = decodeURIComponent(match[1] as string);
  } catch {
    return null;
  }
  return ID.test(id) ? id : null;
}

type ContactRead =
  | { contactId: string; from: ContactIdSource; match: Match<HTMLElement> }
  /** What the diagnosis names: no link at all, or a link whose address names no contact. */
  | { missing: 'contactLink' | 'contactId' };

/**
 * The open conversation's contact id: from the contact link first (the audit's
 * source), else from the active card of the conversation list, which the app
 * keeps even when the right panel is closed or shows a link without the id.
 */
function readContactId(doc: Document, conversationId: string): ContactRead {
  const link = query<HTMLElement>(doc, 'contactLink');
  const fromLink = link
    ? contactIdFromHref(link.element.getAttribute('href') ?? '', doc.baseURI)
    : null;
  if (link && fromLink) return { contactId: fromLink, from: 'contactLink', match: link };

  const cards = queryAll<HTMLElement>(doc, 'activeConversationCard');
  // Only the card of this conversation: while the app switches, the list may
  // still mark the previous conversation active, with the previous contact.
  const card = cards.elements.find(
    (el) => el.getAttribute(CARD_ATTRIBUTES.conversationId) === conversationId,
  );
  const fromCard = card?.getAttribute(CARD_ATTRIBUTES.contactId) ?? '';
  if (card && cards.selector !== null && ID.test(fromCard)) {
    const { name, alternate, selector } = cards;
    const match = { name, alternate, selector, element: card };
    return { contactId: fromCard, from: 'activeConversationCard', match };
  }
  return { missing: link ? 'contactId' : 'contactLink' };
}

function cleanText(text: string | null | undefined, max: number): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** Reads the open conversation: ids from the route, contact and composer from the DOM. */
export function readConversationView(doc: Document): ConversationView {
  const route = parseRoute(doc.location?.href ?? '');
  if (!route || route.conversationId === null) return { status: 'no-conversation', route };

  const found = new Map<SelectorName, Match<HTMLElement>>();
  const missing: string[] = [];
  for (const name of REQUIRED) {
    const match = query<HTMLElement>(doc, name);
    if (match) found.set(name, match);
    else missing.push(name);
  }
  const contact = readContactId(doc, route.conversationId);
  if ('missing' in contact) missing.push(contact.missing);
  if (missing.length > 0 || 'missing' in contact) return { status: 'unrecognised', missing };

  const nameMatch = query<HTMLElement>(doc, 'contactName');
  const triggerMatch = query<HTMLElement>(doc, 'channelPicker');
  const matched: Matched[] = [...found.values(), contact.match, nameMatch, triggerMatch]
    .filter((m): m is Match<HTMLElement> => m !== null)
    .map(({ name, alternate, selector }) => ({ name, alternate, selector }));
  const element = (name: SelectorName) => found.get(name)?.element as HTMLElement;
  return {
    status: 'ok',
    locationId: route.locationId,
    conversationId: route.conversationId,
    contactId: contact.contactId,
    contactIdFrom: contact.from,
    contactName: cleanText(nameMatch?.element.textContent, MAX_NAME) || null,
    composer: {
      footer: element('composerFooter'),
      input: element('composerInput'),
      sendButton: element('sendButton'),
      channelPicker: triggerMatch?.element ?? null,
    },
    scroller: element('messageScroller'),
    matched,
  };
}

export type Direction = 'inbound' | 'outbound' | 'unknown';

export interface MessageRow {
  messageId: string;
  direction: Direction;
  bodyText: string;
  /** The row's position in the virtual list, when it has a numeric `data-index`. */
  index: number | null;
}

function rowIndex(row: Element): number | null {
  const raw = row.getAttribute('data-index');
  if (raw === null || !/^\d{1,9}$/.test(raw)) return null;
  return Number(raw);
}

/**
 * Reads one row of the message list; null for rows that hold no message
 * (date chips, loaders). Rows are recycled while scrolling, so read a row
 * again whenever it changes: the same element may now show another message.
 */
export function readMessageRow(row: Element): MessageRow | null {
  const item = querySelf(row, 'messageItem')?.element;
  if (!item) return null;
  const messageId =
    item.getAttribute('data-message-id') ??
    item.querySelector('[data-message-id]')?.getAttribute('data-message-id') ??
    null;
  if (messageId === null || !ID.test(messageId)) return null;
  // Outbound first: its alternates are the more specific ones, and an outbound
  // bubble may hold a `.mr-auto` of its own.
  let direction: Direction = 'unknown';
  if (querySelf(item, 'outbound')) direction = 'outbound';
  else if (querySelf(item, 'inbound')) direction = 'inbound';
  const text = querySelf(item, 'messageText')?.element.textContent;
  return { messageId, direction, bodyText: cleanText(text, MAX_BODY), index: rowIndex(row) };
}

/**
 * The rows of the message list now in the DOM, in list order (a virtual list
 * may keep its rows in any DOM order). Only about a screenful exists at once.
 */
export function listMessageRows(scroller: ParentNode): Element[] {
  const rows = queryAll(scroller, 'messageRow').elements.filter(
    // A `data-index` inside a row (a gallery, say) is not a row of its own.
    (row) => !row.parentElement?.closest('[data-index]'),
  );
  return rows
    .map((row, order) => ({ row, order, index: rowIndex(row) }))
    .sort((a, b) => (a.index ?? a.order) - (b.index ?? b.order) || a.order - b.order)
    .map(({ row }) => row);
}

/** The field the agent types the message in: the expanded textarea when open, else the collapsed input. */
export function composerField(
  doc: Document,
  composer: ComposerParts,
): HTMLInputElement | HTMLTextAreaElement | null {
  // The expanded composer, when open, holds what the agent is typing.
  const expanded = query<HTMLTextAreaElement>(doc, 'composerTextarea')?.element;
  if (expanded?.isConnected) return expanded;
  const input = composer.input;
  if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) return input;
  return input.querySelector<HTMLTextAreaElement | HTMLInputElement>('textarea, input');
}

/** The message the agent is typing, from the expanded textarea or the collapsed input. */
export function readComposerText(doc: Document, composer: ComposerParts): string {
  return composerField(doc, composer)?.value ?? '';
}

/**
 * Empties the composer after the extension sent its text, so HighLevel's own
 * send button cannot send it a second time. The app's input binding listens
 * for `input` events, so one is dispatched as typing would.
 */
export function clearComposerText(doc: Document, composer: ComposerParts): void {
  const field = composerField(doc, composer);
  if (field === null || field.value === '') return;
  field.value = '';
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
