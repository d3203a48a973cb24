/**
 * Every CSS selector the extension uses on HighLevel's Conversations page, in
 * one table. Each name lists its alternates in the order they are tried:
 * the one seen in the audit of 2026-05-26 first, then others seen elsewhere
 * (see ../../../shared/PAGE.md for sources). The page can change any of them
 * without notice; test/page/selectors.test.ts counts each one's matches on
 * the dated fixture pages in test/fixtures.
 */
export const SELECTORS = {
  appRoot: ['#conversations-new-app'],
  layout: ['#conversations-layout'],

  // Left list of conversations.
  conversationList: ['#conversations-list'],
  conversationCheckbox: ['[id^="conversation-card-checkbox-"]'],
  conversationPreview: ['[data-testid="ASSERT_LC_LEFTPANEL"]'],
  // The open conversation's card (PAGE.md, 2026-12-02): a second source for the
  // contact id, through CARD_ATTRIBUTES below, when the contact link is missing.
  activeConversationCard: ['[data-conversation-id][data-is-active="true"]'],

  // Centre: header, messages, composer.
  centralPanel: ['#conversations-central-panel-viewer', '#central-panel-conversations-mount'],
  contactName: [
    '[data-testid="CENTRALPANEL_NAME"]',
    '[data-testid="conversation-header-name"]',
    '.conversation-header-title',
  ],
  messageScroller: ['#conversation-panel'],
  dateChip: ['[id^="date-label-"]'],
  messageRow: ['[data-index]'],
  // Despite its name, ASSERT_SENT_MSG sits on every message, inbound ones too:
  // it finds messages and must never be read as their direction.
  messageItem: ['.message-item[data-message-id]', '[data-testid="ASSERT_SENT_MSG"]'],
  outbound: ['.message-container.ml-auto', '.chat-bubble-outbound'],
  // Not a bare `.mr-auto`: that Tailwind class also sits on headers, cards and
  // parts of outbound bubbles, which would all read as inbound.
  inbound: ['.message-container.mr-auto', '.chat-bubble-inbound'],
  // The brackets of Tailwind's `text-[14px]` must be escaped: unescaped, they
  // read as an attribute test, and querySelector throws on the whole selector.
  // The last alternate is our own broader guess, not from an audit.
  messageText: [
    '.chat-message .font-inter.text-gray-900',
    '.chat-message .text-\\[14px\\]',
    '.chat-message',
  ],
  composerFooter: ['#conv-composer-footer', '#composer-deferred-footer'],
  // The CHANNEL picker (SMS, Email, WhatsApp, internal comment), never the From-number
  // picker (PAGE.md, corrected 2026-12-02); lib/page/from-picker.ts finds that one by content.
  channelPicker: ['#conv-provider-select-trigger', '#conv-channel-bar-provider-trigger'],
  composerInput: ['[id^="composer-input-"]'],
  // The expanded composer (PAGE.md, 2026-12-02), opened from the collapsed input.
  composerTextarea: ['textarea#conv-composer-textarea-input', 'textarea#composer-textarea'],
  sendButton: ['#conv-send-button-simple'],
  // Naive UI renders dropdowns at the end of <body>, outside the panel.
  dropdownOption: ['.hr-dropdown-option', '.n-dropdown-option'],
  // Naive UI handles a click on the option's body, not on its wrapper.
  dropdownOptionBody: ['.n-dropdown-option-body'],

  // Right panel: the contact.
  contactDetails: ['#conversations-contact-details'],
  contactLink: ['a[aria-label="View contact details"]'],
  ownerTrigger: ['#owner-dropdown-trigger'],
  recordTabs: ['#record-details-tabs'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The attributes whose changes can change what the selectors above find: a
 * conversation switch re-uses elements and rewrites these in place.
 */
export const WATCHED_ATTRIBUTES: readonly string[] = [
  'href',
  'id',
  'data-message-id',
  'data-index',
  // The list marks another card active, or gives the card another contact.
  'data-is-active',
  'contactid',
];

/**
 * Attributes of the active conversation card: which conversation it is, and
 * its contact. A card is only trusted for the conversation it names, since the
 * list may still mark the previous one active while the app switches.
 */
export const CARD_ATTRIBUTES = {
  conversationId: 'data-conversation-id',
  contactId: 'contactid',
} as const;

export type SelectorName = keyof typeof SELECTORS;

/** Every selector name, in table order. */
export const SELECTOR_NAMES = Object.keys(SELECTORS) as SelectorName[];

/** Which alternate of a named selector found something. */
export interface Matched {
  name: SelectorName;
  /** Position in the alternates list; 0 is the primary. */
  alternate: number;
  selector: string;
}

/** The first element an alternate matches, with which alternate it was. */
export interface Match<E extends Element = Element> extends Matched {
  element: E;
}

/** All elements of the first alternate that matches anything. */
export interface MatchAll<E extends Element = Element> {
  name: SelectorName;
  /** -1 when no alternate matched. */
  alternate: number;
  selector: string | null;
  elements: E[];
}

function alternatesOf(name: SelectorName): readonly string[] {
  const alternates: readonly string[] | undefined = SELECTORS[name];
  if (!alternates) throw new Error(`Unknown selector name "${String(name)}"`);
  return alternates;
}

/** First element under `root` matched by the named selector, trying alternates in order. */
export function query<E extends Element = Element>(
  root: ParentNode,
  name: SelectorName,
): Match<E> | null {
  const alternates = alternatesOf(name);
  for (let alternate = 0; alternate < alternates.length; alternate++) {
    const selector = alternates[alternate] as string;
    const element = root.querySelector<E>(selector);
    if (element) return { name, alternate, selector, element };
  }
  return null;
}

/** Like `query`, but also accepts `el` itself when it matches. */
export function querySelf<E extends Element = Element>(
  el: Element,
  name: SelectorName,
): Match<E> | null {
  const alternates = alternatesOf(name);
  for (let alternate = 0; alternate < alternates.length; alternate++) {
    const selector = alternates[alternate] as string;
    const element = el.matches(selector) ? (el as E) : el.querySelector<E>(selector);
    if (element) return { name, alternate, selector, element };
  }
  return null;
}

/**
 * Every element under `root` matched by the first alternate that matches
 * anything; alternates are not mixed, so a half-migrated page does not
 * count twice.
 */
export function queryAll<E extends Element = Element>(
  root: ParentNode,
  name: SelectorName,
): MatchAll<E> {
  const alternates = alternatesOf(name);
  for (let alternate = 0; alternate < alternates.length; alternate++) {
    const selector = alternates[alternate] as string;
    const elements = Array.from(root.querySelectorAll<E>(selector));
    if (elements.length > 0) return { name, alternate, selector, elements };
  }
  return { name, alternate: -1, selector: null, elements: [] };
}

/** One line of the popup's diagnosis: which alternate matched and how often. */
export interface SelectorReport {
  name: SelectorName;
  alternate: number;
  selector: string | null;
  count: number;
}

/** Match counts of every named selector under `root`; meant for the popup, not for hot paths. */
export function diagnose(root: ParentNode): SelectorReport[] {
  return SELECTOR_NAMES.map((name) => {
    const { alternate, selector, elements } = queryAll(root, name);
    return { name, alternate, selector, count: elements.length };
  });
}
