/**
 * How many SMS segments a body costs, and why. Pure and table-free: it ships
 * in the content script, so the GSM 03.38 alphabet is two strings, not a map.
 */

// The GSM 03.38 default alphabet in code order (LF and CR included; ESC, which
// only introduces the extension table, left out).
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// The extension table: each costs an escape septet plus its own.
const EXTENDED = '^{}\\[~]|€';

export interface Segments {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** What Twilio's 1,600-character limit counts: UTF-16 code units. */
  characters: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) one segment holds, single or multipart. */
  unitsPerSegment: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the whole body takes. */
  units: number;
  /** The characters that force UCS-2, distinct, in order of first appearance. */
  ucs2Characters: string[];
}

/** The encoding, segment count and size of an SMS body, as Twilio sends it (no smart-quote replacement). */
export function segmentsOf(body: string): Segments {
  // Code points, so a surrogate pair is one piece and is never split.
  const pieces = [...body];
  // A Set keeps first-appearance order and stays fast on a long pasted text.
  const forcing = new Set<string>();
  for (const piece of pieces) {
    if (!BASIC.includes(piece) && !EXTENDED.includes(piece)) forcing.add(piece);
  }
  const gsm = forcing.size === 0;
  // A GSM escape pair or a UTF-16 surrogate pair costs two units and must stay in one segment.
  const cost = (piece: string) => (gsm ? (EXTENDED.includes(piece) ? 2 : 1) : piece.length);
  const single = gsm ? 160 : 70;
  // Multipart segments give 6 octets to the concatenation header.
  const multi = gsm ? 153 : 67;

  let units = 0;
  for (const piece of pieces) units += cost(piece);

  let segments = units === 0 ? 0 : 1;
  if (units > single) {
    segments = 1;
    let used = 0;
    for (const piece of pieces) {
      const size = cost(piece);
      if (used + size > multi) {
        segments++;
        used = 0;
      }
      used += size;
    }
  }

  return {
    encoding: gsm ? 'GSM-7' : 'UCS-2',
    segments,
    characters: body.length,
    unitsPerSegment: units > single ? multi : single,
    units,
    ucs2Characters: [...forcing],
  };
}
