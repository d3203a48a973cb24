/**
 * A send as the page and the options page show it, and the send log as CSV.
 * What a content script gets is built from the state, the code table and
 * fixed sentences only: `errorText` may quote a provider and stays in the
 * log, which only extension pages read.
 */
import type { SendLogEntry, SendView } from '../messaging/send-views';
import type { SendRow } from '../store';
import { explainCode } from './status';

const UNKNOWN_ADVICE =
  'Check the conversation, or the message log in Twilio Console, for this message. If it is not there, use “Send again”.';

const ROUTE_NAMES = { twilio: 'Twilio', highlevel: 'HighLevel' } as const;

/** Display form of an E.164 number, given by the caller (a phone book of the sub-account's country). */
export type Display = (e164: string) => string;

/** What the page shows of a send. */
export function sendView(row: SendRow, display: Display): SendView {
  const view: SendView = {
    id: row.id,
    state: row.state,
    route: row.route,
    fromE164: row.from,
    fromDisplay: display(row.from),
    toDisplay: display(row.to),
    body: row.body,
    mediaCount: row.mediaUrls.length,
    createdAt: row.createdAt,
    tone: toneOf(row),
    statusText: statusText(row),
    canSendAgain: row.state === 'unknown' && row.resentAs === undefined,
  };
  if (row.providerId !== undefined) view.providerId = row.providerId;
  if (row.errorCode !== undefined) view.errorCode = row.errorCode;
  const advice = adviceOf(row);
  if (advice !== undefined) view.advice = advice;
  return view;
}

/** What the send log shows of a send: the page's view and who, how and why. */
export function sendLogEntry(
  row: SendRow,
  display: Display,
  ruleLabel: (rule: string) => string,
): SendLogEntry {
  const entry: SendLogEntry = {
    ...sendView(row, display),
    locationId: row.locationId,
    contactId: row.contactId,
    conversationId: row.conversationId,
    ruleLabel: ruleLabel(row.rule),
    trace: row.trace,
    attempts: row.attempts,
    bodyOmitted: row.bodyOmitted === true,
  };
  if (row.userId !== undefined) entry.userId = row.userId;
  if (row.userIdFrom !== undefined) entry.userIdFrom = row.userIdFrom;
  // The log is read on extension pages only: the provider's own words may help there.
  if (row.state === 'failed' && row.errorText !== undefined && row.errorCode === undefined) {
    entry.statusText = `Failed: ${row.errorText}`;
  }
  return entry;
}

function toneOf(row: SendRow): SendView['tone'] {
  switch (row.state) {
    case 'delivered':
      return 'ok';
    case 'failed':
    case 'undelivered':
      return 'bad';
    case 'unknown':
      return 'neutral';
    default:
      return 'pending';
  }
}

function statusText(row: SendRow): string {
  const via = ROUTE_NAMES[row.route];
  switch (row.state) {
    case 'queued':
      return row.attempts === 0 ? 'Queued' : `Waiting for ${via} (it asked to slow down)`;
    case 'sending':
      return row.lookups > 0 || (row.postedMs !== undefined && row.nextMs === row.postedMs)
        ? `Checking with ${via} whether it went out…`
        : 'Sending…';
    case 'sent':
      return `Sent via ${via}${row.providerStatus ? ` (${row.providerStatus})` : ''}`;
    case 'delivered':
      return 'Delivered';
    case 'undelivered':
    case 'failed': {
      const word = row.state === 'failed' ? 'Failed' : 'Not delivered';
      if (row.errorCode !== undefined) {
        return `${word}: ${explainCode(row.errorCode).reason} (${row.errorCode})`;
      }
      return row.errorText === undefined ? word : `${word}: ${fixedReason(row.errorText)}`;
    }
    case 'unknown':
      return 'Unknown: it may or may not have gone out';
  }
}

/**
 * Failures without a code carry the outbox's own sentences; anything else
 * (a provider's wording) is not repeated to the page.
 */
function fixedReason(text: string): string {
  return text.startsWith('Sender Lens') || text.startsWith('The ')
    ? text
    : 'the provider refused it';
}

function adviceOf(row: SendRow): string | undefined {
  if (row.state === 'unknown') return UNKNOWN_ADVICE;
  if ((row.state === 'failed' || row.state === 'undelivered') && row.errorCode !== undefined) {
    return explainCode(row.errorCode).advice;
  }
  return undefined;
}

const CSV_COLUMNS = [
  'created_at',
  'sub_account',
  'user_id',
  'user_from',
  'contact_id',
  'conversation_id',
  'from',
  'to',
  'route',
  'rule',
  'trace',
  'state',
  'status',
  'error_code',
  'provider_id',
  'attempts',
  'body',
] as const;

/** The send log as CSV (RFC 4180), one line a send, newest first. */
export function sendLogCsv(rows: readonly SendRow[], ruleLabel: (rule: string) => string): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const cells = [
      row.createdAt,
      row.locationId,
      row.userId ?? '',
      row.userIdFrom === 'i-am' ? 'i am' : (row.userIdFrom ?? ''),
      row.contactId,
      row.conversationId,
      row.from,
      row.to,
      row.route,
      ruleLabel(row.rule),
      row.trace.join(' | '),
      row.state,
      row.providerStatus ?? '',
      row.errorCode === undefined ? '' : String(row.errorCode),
      row.providerId ?? '',
      String(row.attempts),
      row.bodyOmitted ? '' : row.body,
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^(=|@|\t|\r|[+-](?!\d))/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
