/** Carrier and Twilio opt-out and opt-in keywords, as RULES.md lists them. */
const OPT_OUT = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit']);
const OPT_IN = new Set(['start', 'yes', 'unstop']);

export type Keyword = 'opt-out' | 'opt-in';

/** The keyword a message body is, matched on the whole trimmed body, or null. */
export function keywordOf(body: string | undefined): Keyword | null {
  if (body === undefined) return null;
  const word = body.trim();
  // No keyword is longer than 11 letters: skip lowercasing ordinary messages.
  if (word.length > 11) return null;
  const lower = word.toLowerCase();
  if (OPT_OUT.has(lower)) return 'opt-out';
  if (OPT_IN.has(lower)) return 'opt-in';
  return null;
}
