/**
 * Strict date reading for message history: ISO 8601 (HighLevel) and RFC 2822
 * (Twilio's `date_sent`). Anything else is unreadable rather than guessed, so
 * Date.parse's lenient, engine-specific fallbacks are never used.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const RFC2822 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|UT|UTC|GMT|Z|[ECMP][SD]T)$/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

// RFC 2822 section 4.3 obsolete zones, which some senders still write.
const NAMED_ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromParts(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offsetMinutes: number,
): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  // A leap second is read as the last second of its minute.
  const s = Math.min(second, 59);
  return Date.UTC(year, month - 1, day, hour, minute, s, ms) - offsetMinutes * 60_000;
}

function numericOffset(zone: string): number | null {
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

const DIGIT_0 = 48;

/** Two or more ASCII digits at `at`, as a number, or -1. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The form HighLevel and JavaScript write, `2025-03-01T10:00:00.000Z` or
 * without milliseconds, read without a regular expression: history holds a
 * million of them. Returns undefined for any other shape.
 */
function canonicalIso(text: string): number | null | undefined {
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */)
    return undefined;
  if (
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':'
  ) {
    return undefined;
  }
  if (length === 24 && text[19] !== '.') return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const ms = length === 24 ? digits(text, 20, 3) : 0;
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || ms < 0)
    return undefined;
  return fromParts(year, month, day, hour, minute, second, ms, 0);
}

/**
 * Milliseconds since the epoch for an ISO 8601 or RFC 2822 date, or null.
 * An ISO date without an offset is read as UTC.
 */
export function parseMessageDate(text: string): number | null {
  const fast = canonicalIso(text);
  if (fast !== undefined) return fast;
  const value = text.trim();
  const m = ISO.exec(value);
  if (m) {
    const zone = m[8];
    const offset = zone === undefined || zone === 'Z' || zone === 'z' ? 0 : numericOffset(zone);
    if (offset === null) return null;
    const fraction = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
    return fromParts(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      fraction,
      offset,
    );
  }
  return parseRfc2822Date(value);
}

/** Milliseconds since the epoch for an RFC 2822 date (Twilio's `date_sent`), or null. */
export function parseRfc2822Date(text: string): number | null {
  const m = RFC2822.exec(text.trim());
  if (m) {
    const zone = (m[8] as string).toLowerCase();
    const offset = zone[0] === '+' || zone[0] === '-' ? numericOffset(zone) : NAMED_ZONES[zone];
    if (offset === null || offset === undefined) return null;
    return fromParts(
      Number(m[4]),
      MONTHS.indexOf((m[3] as string).toLowerCase()) + 1,
      Number(m[2]),
      Number(m[5]),
      Number(m[6]),
      Number(m[7] ?? 0),
      0,
      offset,
    );
  }
  return null;
}
