/**
 * Twilio's message history folded into per-contact facts, in memory.
 *
 * Why in memory: folding each page of 1,000 messages through the store costs
 * 0.3 to 0.45 s a page in Chromium's IndexedDB (five to eight minutes for a
 * million messages), while the facts themselves are tiny (at most four
 * messages a contact). So pages are folded here, one at a time and then
 * dropped, and the folded facts are written once at the end (Store's
 * SyncWriter.putFacts). Folding is order-independent and idempotent
 * (lib/store/facts.ts), so pages may come in any order and an overlap seen
 * twice changes nothing.
 */

import { E164 } from '../rules/formats';
import { type ContactHistory, FactInputError, foldMessage, phoneKey } from '../store';
import type { TwilioMessage } from '../twilio';

/** Which side of a message is the sub-account's, by Twilio's direction. */
export function sidesOf(message: Pick<TwilioMessage, 'direction' | 'from' | 'to'>): {
  ours: string | null;
  theirs: string | null;
  direction: 'inbound' | 'outbound';
} {
  // outbound-api, outbound-call and outbound-reply all leave from our number.
  if (message.direction === 'inbound') {
    return { ours: message.to, theirs: message.from, direction: 'inbound' };
  }
  return { ours: message.from, theirs: message.to, direction: 'outbound' };
}

/** Why a message was left out of the history. */
export type SkipReason = 'not-a-phone' | 'no-date' | 'other-sub-account' | 'unreadable';

/** Folds Twilio messages into facts keyed by the other party's phone (`tel:+1…`). */
export class HistoryFold {
  readonly facts = new Map<string, ContactHistory>();
  /** Messages read, folded or not. */
  messages = 0;
  readonly skipped: Record<SkipReason, number> = {
    'not-a-phone': 0,
    'no-date': 0,
    'other-sub-account': 0,
    unreadable: 0,
  };
  /** The latest date_sent seen, in ms: the next incremental sync starts from it. */
  newestSentMs: number | null = null;

  /**
   * @param foreign numbers of the Twilio account that belong to another
   *   sub-account: their messages are left out.
   */
  constructor(private readonly foreign: ReadonlySet<string> = new Set()) {}

  /** Folds one page; the page can be dropped afterwards. */
  addPage(messages: readonly TwilioMessage[]): void {
    for (const m of messages) this.add(m);
  }

  /** Folds one message, or counts why it was left out. */
  add(m: TwilioMessage): void {
    this.messages++;
    const sent = m.dateSent?.date.getTime();
    if (sent !== undefined && !Number.isNaN(sent)) {
      if (this.newestSentMs === null || sent > this.newestSentMs) this.newestSentMs = sent;
    }
    const { ours, theirs, direction } = sidesOf(m);
    // WhatsApp (`whatsapp:+1…`), short codes and alphanumeric senders are
    // not SMS between a sub-account number and a contact's phone.
    if (ours === null || theirs === null || !E164.test(ours) || !E164.test(theirs)) {
      this.skipped['not-a-phone']++;
      return;
    }
    if (this.foreign.has(ours)) {
      this.skipped['other-sub-account']++;
      return;
    }
    // A queued message has no date_sent yet; when it was created is the best we know.
    const atMs = sent ?? m.dateCreated?.date.getTime();
    if (atMs === undefined || Number.isNaN(atMs)) {
      this.skipped['no-date']++;
      return;
    }
    const key = phoneKey(theirs);
    try {
      this.facts.set(
        key,
        foldMessage(this.facts.get(key), {
          number: ours,
          direction,
          atMs,
          body: m.body,
          sid: m.sid,
        }),
      );
    } catch (error) {
      // One odd message (a date past year 9999, say) is not worth failing the sync.
      if (!(error instanceof FactInputError)) throw error;
      this.skipped.unreadable++;
    }
  }
}
