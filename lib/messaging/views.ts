/**
 * View models the background fills for the content script's views. Plain data
 * only (no functions, dates or class instances) so they cross the messaging
 * boundary unchanged. Numbers arrive already formatted: the content script
 * carries no phone parser.
 */

/** One step of the resolver's trace, in words. */
export interface TraceLine {
  rule: string;
  /** The rule in the user's words, e.g. 'Your number'. */
  label: string;
  outcome: 'applied' | 'skipped' | 'not-applicable';
  reason: string;
  inferred: boolean;
}

/** What the sender badge and its tooltip show for the open conversation. */
export interface SenderView {
  state: 'loading' | 'sender' | 'blocked' | 'not-synced' | 'error';
  /** Display form, e.g. '(415) 555-0111'. */
  numberDisplay?: string;
  numberE164?: string;
  /** E.g. "Jane's line". */
  friendlyName?: string;
  /** 'your number' | 'channel number' | 'default' | 'picked' | 'last pick' | 'workflow' | 'last used'. */
  ruleWord?: string;
  /** E.g. 'Pat Kim texted STOP on 2025-01-02'. */
  blockedReason?: string;
  /** For an opted-out contact: the number the rules would have used, display form. */
  wouldHaveBeen?: string;
  inferred: boolean;
  /** Human sentences. */
  warnings: string[];
  trace: TraceLine[];
  /** E.g. 'Synced 3 min ago' or 'Never synced'. */
  freshness: string;
  /** The synced data is more than a day old (a warning says so too). */
  stale?: boolean;
  /** How HighLevel's own From picker compares; the content script fills it from the page. */
  picker?: PickerView;
  /** For 'error' and 'not-synced'. */
  message?: string;
  /**
   * Who the agent said they are ("I am …") in this sub-account, by name, when
   * the page did not say who is logged in and that choice was used.
   */
  chosenUser?: string;
}

/** Why HighLevel's picker likely shows another number than the badge. */
export type PickerReason =
  /** The badge's number was picked in Sender Lens, not in HighLevel's picker on this page. */
  | 'pick-not-set'
  /** HighLevel's picker changed on this page without a pick Sender Lens saw. */
  | 'unseen-pick'
  /** The synced data is old. */
  | 'stale-sync'
  /** HighLevel follows a rule the synced data cannot show. */
  | 'unknown-rule';

/** HighLevel's own From picker against the badge. */
export type PickerView =
  /** No control in the composer shows one of the sub-account's numbers. */
  | { state: 'not-found' }
  | { state: 'agrees' }
  /** It shows another number (display form). */
  | { state: 'differs'; shown: string; reason: PickerReason }
  /** Sender Lens could not set it to the badge's number after the agent's pick. */
  | { state: 'not-set'; why: 'did-not-open' | 'not-listed' | 'did-not-change' };

export type SwitcherTag = 'yours' | 'channel' | 'default' | 'last pick' | 'current';

/** One number in the quick switcher. */
export interface SwitcherOption {
  e164: string;
  display: string;
  name?: string;
  tags: SwitcherTag[];
  /** Present when the number cannot send SMS; says why. */
  disabledReason?: string;
  /**
   * The staff member (name) the number is assigned to, when that is not the agent and
   * HighLevel's own picker will not offer it to them.
   */
  assignedTo?: string;
}

/** A staff member the agent can say they are, when the page did not tell us. */
export interface SwitcherUser {
  id: string;
  name: string;
}

/** Details of the Twilio message matched to a message row. */
export interface AuditDetailsView {
  sid: string;
  status: string;
  errorCode?: number;
  /** The error code in plain words. */
  errorText?: string;
  segments?: number;
  /** Display form, e.g. '$0.0079'. */
  price?: string;
  /** Display form of the time sent. */
  sentAt: string;
  from: string;
  to: string;
}

/** What the audit chip on one message row shows. */
export interface AuditView {
  state: 'loading' | 'exact' | 'inferred' | 'unmatched' | 'error';
  direction: 'inbound' | 'outbound';
  numberDisplay?: string;
  numberName?: string;
  /** Twilio status: queued, sent, delivered, undelivered, failed, received, ... */
  status?: string;
  tone: 'ok' | 'pending' | 'bad' | 'neutral';
  /** E.g. 'Sent from a released number' or "Not Jane Doe's number". */
  warning?: string;
  details?: AuditDetailsView;
  message?: string;
}

/** The phases of a sync, in the order they run. */
export type SyncPhase = 'numbers' | 'staff' | 'messages' | 'committing';

/**
 * Progress of a running sync, for the options page's progress bar. Phases
 * come in this order; within a phase the counts only grow, and a total is
 * null until it is known (Twilio never says how many messages there are).
 */
export interface SyncProgress {
  phase: SyncPhase;
  /** Items and pages done so far in this phase, and of how many where known. */
  items: number;
  itemsTotal: number | null;
  pages: number;
  pagesTotal: number | null;
}

/** What a sub-account on LC Phone (HighLevel's own phone system) cannot know, in words. */
export const LC_PHONE_MISSING =
  'This sub-account is on LC Phone, HighLevel’s own phone system: Sender Lens syncs it from HighLevel alone and cannot see which number each past message used or its delivery status. The channel number, the last used number and the last manual pick are unknown, and audit chips show only what HighLevel records.';
