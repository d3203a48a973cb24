/** Carrier and Twilio opt-out and opt-in keywords, as RULES.md lists them. */
const OPT_OUT = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
// 2025-05-14, read as UTC midnight: Twilio added REVOKE and OPTOUT after the FCC's
// revocation rule. RULES.md gives the day, not the hour or zone (docs/rules-notes.md).
const REVOKE_DAY = Date.UTC(2025, 4, 14);
/** Opt-out keywords Twilio's default STOP filtering honours only from REVOKE_DAY. */
const OPT_OUT_SINCE = new Map([
  ['revoke', REVOKE_DAY],
  ['optout', REVOKE_DAY],
]);
const OPT_IN = new Set(['start', 'yes', 'unstop']);

export type Keyword = 'opt-out' | 'opt-in';

/**
 * The keyword a message body sent at `atMs` is, matched on the whole trimmed body, or null.
 * REVOKE or OPTOUT sent before Twilio honoured them is an ordinary message.
 */
export function keywordOf(body: string | undefined, atMs: number): Keyword | null {
  if (body === undefined) return null;
  const word = body.trim();
  // No keyword is longer than 11 letters: skip lowercasing ordinary messages.
  if (word.length > 11) return null;
  const lower = word.toLowerCase();
  if (OPT_OUT.has(lower)) return 'opt-out';
  const since = OPT_OUT_SINCE.get(lower);
  if (since !== undefined) return atMs >= since ? 'opt-out' : null;
  if (OPT_IN.has(lower)) return 'opt-in';
  return null;
}
