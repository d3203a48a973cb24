/**
 * Defence in depth for text that is stored or shown (sync errors, audit
 * entries): masks anything shaped like a credential, in case an upstream
 * error message echoed one. Secrets should never get this far; this is the
 * net under that rule, not the rule.
 */

const PATTERNS: [RegExp, string][] = [
  // Authorization header values, as some HTTP errors echo them.
  [/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]+/gi, '$1 [redacted]'],
  // Credentials in a URL: https://user:password@host
  [/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@'],
  // HighLevel Private Integration tokens.
  [/\bpit-[0-9a-f-]{8,}/gi, '[redacted]'],
  // JWTs (HighLevel OAuth access tokens).
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]'],
  // Twilio Auth Tokens and API key secrets are 32 characters; SIDs are 34
  // (two letters and 32 hex digits), so they stay readable.
  [/\b[A-Za-z0-9]{32}\b/g, '[redacted]'],
];

/** The text with anything shaped like a credential replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
