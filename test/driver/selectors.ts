// The extension's own elements as tests, benches and the demo find them. The host tags are
// the content script's (lib/content), the classes its views' (components/); written out here
// so that a test reads as what a person sees, and a renamed class breaks every driver at once.
// Playwright's CSS locators pierce the open shadow roots of test builds.

/** The sender badge's shadow host, one by the composer. */
export const BADGE_HOST = 'sender-lens-badge';
/** The badge's button inside its host's shadow root. */
export const BADGE_BUTTON = 'button.sl-badge';
/** The badge itself: "From (415) 555-0102 Jane Doe · your number". */
export const BADGE = `${BADGE_HOST} ${BADGE_BUTTON}`;
/** "Why this number", opened by hovering or focusing the badge. */
export const TOOLTIP = `${BADGE_HOST} [role="tooltip"]`;
/** The tooltip's rule-by-rule trace, one list item a rule. */
export const TOOLTIP_TRACE_STEP = '.sl-trace li';
/** The quick switcher, opened by a click on the badge. */
export const SWITCHER = `${BADGE_HOST} .sl-switcher`;
/** Its scrolling list of numbers. */
export const SWITCHER_LIST = '.sl-list';
/** One number in the switcher (inside SWITCHER). */
export const SWITCHER_OPTION = '[role="option"]';

/** The audit chip's shadow host, one in each message row. */
export const AUDIT_HOST = 'sender-lens-audit';
/** The chip inside an audit host: the number the message really used. */
export const AUDIT_CHIP = 'button.sl-chip';
/** The details a chip opens: SID, status, price (inside an audit host). */
export const AUDIT_DETAILS = '.sl-audit-details';
/** One "term: value" row of the details. */
export const AUDIT_DETAILS_ROW = '.sl-row';

/** The options page's "Saved: AC…" line of the Twilio form. */
export const OPTIONS_SAVED = '.saved';
/** A sub-account's sync state line: "Synced just now", "Syncing: …". */
export const OPTIONS_SYNC_STATE = '.sync-state';
/** A failed sync's message in its sub-account's row. */
export const OPTIONS_SYNC_ALERT = '.sync-row [role="alert"]';

/** The send action's shadow host, beside the badge by the composer. */
export const SEND_HOST = 'sender-lens-send';
/** "Send via Twilio" (or via HighLevel). */
export const SEND_BUTTON = `${SEND_HOST} button.sl-send-button`;
/** The live counter: "1 segment · GSM-7 · 12/1600". */
export const SEND_COUNTER = `${SEND_HOST} .sl-count`;
/** The latest send's state next to the button. */
export const SEND_LAST = `${SEND_HOST} .sl-last`;
/** The rows of sends drawn in place above the composer, one list item a send. */
export const SENT_ROW = 'sender-lens-sent .sl-sent-row';
/** One send in the options page's send log. */
export const OPTIONS_SEND_ENTRY = '.send-log .send-entry';
