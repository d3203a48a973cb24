/**
 * What the send action, the rows drawn in place and the send log show. Plain
 * data, as the other view models (./views.ts): numbers arrive formatted.
 */

/**
 * A send's life: `queued` (written, not yet on the wire), `sending` (posted,
 * answer pending or being settled), `sent` (the provider took it), then
 * `delivered`, `undelivered` or `failed`; `unknown` when the outcome of a
 * post could not be settled.
 */
export type SendState =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'unknown';

/** Straight through the user's Twilio account, or through HighLevel's own API. */
export type SendRoute = 'twilio' | 'highlevel';

/** One send as the page shows it. */
export interface SendView {
  /** The idempotency key the page made. */
  id: string;
  state: SendState;
  route: SendRoute;
  fromE164: string;
  /** E.g. '(415) 555-0111'. */
  fromDisplay: string;
  toDisplay: string;
  /** Empty when the log leaves bodies out. */
  body: string;
  mediaCount: number;
  /** ISO 8601. */
  createdAt: string;
  tone: 'ok' | 'pending' | 'bad' | 'neutral';
  /** E.g. 'Delivered', 'Sending…', 'Failed: the contact replied STOP (21610)'. */
  statusText: string;
  /** What to do or check, for failed, undelivered and unknown sends. */
  advice?: string;
  errorCode?: number;
  /** Twilio's message SID, or HighLevel's message id on the HighLevel route. */
  providerId?: string;
  /** Only an unknown send offers a deliberate "send again". */
  canSendAgain: boolean;
}

/** A send as the options page's log lists it. */
export interface SendLogEntry extends SendView {
  locationId: string;
  contactId: string;
  conversationId: string;
  /** The user the page reported, or the agent chose with "I am …". */
  userId?: string;
  /** Which of the two it was. */
  userIdFrom?: 'page' | 'i-am';
  /** The rule that chose the number, e.g. 'Your number'. */
  ruleLabel: string;
  /** The resolver's trace, one line a step. */
  trace: string[];
  attempts: number;
  /** The body was left out of the log by the setting. */
  bodyOmitted: boolean;
}

export interface SendSettings {
  /** Leave message bodies out of the send log once a send is settled. */
  omitBodies: boolean;
  /** Per sub-account; a sub-account not listed sends through Twilio. */
  routes: Record<string, SendRoute>;
}
