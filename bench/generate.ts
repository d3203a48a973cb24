/**
 * A deterministic generator of sub-account snapshots and sends for the
 * resolver benchmark. The snapshot is raw input as a caller would hand it:
 * phone numbers in E.164 and national formats, ISO 8601 dates with a share of
 * Twilio's RFC 2822 ones, opt-out and opt-in keywords among the bodies.
 */
import type {
  Send,
  Snapshot,
  SnapshotContact,
  SnapshotMessage,
  SnapshotNumber,
  SnapshotUser,
} from '../lib/rules/types';

/** `shuffled`: history in random contact order; `grouped`: each contact's messages together, as lib/store builds it. */
export type MessageOrder = 'shuffled' | 'grouped';

export interface GenerateOptions {
  seed: number;
  order: MessageOrder;
  numbers: number;
  staff: number;
  contacts: number;
  messages: number;
}

/** What the send generator needs to know about a generated snapshot. */
export interface Generated {
  snapshot: Snapshot;
  /** Every format of each active number; index 0 is E.164. */
  activeForms: string[][];
  /** Forms of the active numbers that cannot send SMS. */
  voiceOnlyForms: string[][];
  /** Forms of numbers that appear in history and staff but are no longer active. */
  removedForms: string[][];
  staffIds: string[];
  contactIds: string[];
}

/** A small, fast, seedable PRNG (mulberry32); returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

function int(rng: Rng, below: number): number {
  return Math.floor(rng() * below);
}

function pickOne<T>(rng: Rng, list: readonly T[]): T {
  return list[int(rng, list.length)] as T;
}

// Real US area codes: libphonenumber-js/max accepts every one of them with any
// exchange 200-999 other than N11 (checked against all combinations once).
const AREA_CODES = (
  '201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 229 231 ' +
  '234 239 240 248 251 252 253 254 256 260 262 267 269 270 276 281 301 302 303 304 305 307 ' +
  '308 309 310 312 313 314 315 316 317 318 319 320 321 323 325 330 331 334 336 337 339 347 ' +
  '351 352 360 361 386 401 402 404 405 406 407 408 409 410 412 413 414 415 417 419 423 424 ' +
  '425 430 432 434 435 440 443 469 478 479 480 484 501 502 503 504 505 507 508 509 510 512 ' +
  '513 515 516 517 518 520 530 540 541 551 559 561 562 563 567 570 571 573 574 575 580 585 ' +
  '586 601 602 603 605 606 607 608 609 610 612 614 615 616 617 618 619 620 623 626 630 631 ' +
  '636 641 646 650 651 660 661 662 678 682 701 702 703 704 706 707 708 712 713 714 715 716 ' +
  '717 718 719 720 724 727 731 732 734 740 754 757 760 762 763 765 770 772 773 774 775 781 ' +
  '785 786 801 802 803 804 805 806 808 810 812 813 814 815 816 817 818 828 830 831 832 843 ' +
  '845 847 848 850 856 857 858 859 860 862 863 864 865 870 878 901 903 904 906 907 908 909 ' +
  '910 912 913 914 915 916 917 918 919 920 925 928 931 936 937 940 941 949 951 952 954 956 ' +
  '970 971 972 973 978 979 980 985 989'
).split(' ');

/** The ten digits of a random valid US number: real area code, exchange 2-9xx but not N11. */
function usDigits(rng: Rng): string {
  let exchange = 200 + int(rng, 800);
  if (exchange % 100 === 11) exchange += 1;
  const line = String(int(rng, 10_000)).padStart(4, '0');
  return `${pickOne(rng, AREA_CODES)}${exchange}${line}`;
}

/**
 * A flat copy of a string. Concatenation makes V8 rope strings, which the
 * resolver would flatten on first use; strings read from JSON or IndexedDB
 * arrive flat, so generated ones should too.
 */
function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

const FORM_COUNT = 5;

/** Form k of a number: 0 is E.164, then the national formats people type and HighLevel shows. */
function formOf(digits: string, k: number): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  switch (k) {
    case 0:
      return flat(`+1${digits}`);
    case 1:
      return flat(`(${a}) ${b}-${c}`);
    case 2:
      return flat(`${a}-${b}-${c}`);
    case 3:
      return flat(`${a}.${b}.${c}`);
    default:
      return flat(`+1 ${a} ${b} ${c}`);
  }
}

function formsOf(digits: string): string[] {
  return Array.from({ length: FORM_COUNT }, (_, k) => formOf(digits, k));
}

/** Mostly E.164, as the APIs return; sometimes a national format, as people type. */
function someForm(rng: Rng, forms: string[], e164Share: number): string {
  return rng() < e164Share
    ? (forms[0] as string)
    : (forms[1 + int(rng, forms.length - 1)] as string);
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const idCodes: number[] = new Array(20);

/** A HighLevel-like id: 20 base62 characters. */
function hlId(rng: Rng): string {
  for (let i = 0; i < idCodes.length; i++)
    idCodes[i] = ID_CHARS.charCodeAt(int(rng, ID_CHARS.length));
  return String.fromCharCode(...idCodes);
}

function personName(rng: Rng): string {
  return flat(`${pickOne(rng, FIRST)} ${pickOne(rng, LAST)}`);
}

const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Grace', 'Hugo', 'Ines', 'Jamal'];
const LAST = ['Ortiz', 'Nguyen', 'Smith', 'Kowalski', 'Okafor', 'Haddad', 'Lee', 'Rossi'];

const OPT_OUT_BODIES = [
  'STOP',
  'Stop',
  ' stop ',
  'UNSUBSCRIBE',
  'Cancel',
  'QUIT',
  'end',
  'STOPALL',
];
const OPT_IN_BODIES = ['START', 'Start', 'yes', 'UNSTOP'];
const INBOUND_BODIES = [
  'Hi, is this still available?',
  'Yes please call me tomorrow',
  'Thanks!',
  'Can we move the appointment to 3pm?',
  'stop by the office later?',
  'Who is this?',
  'ok',
  'What are your hours on Saturday?',
];
const OUTBOUND_BODIES = [
  'Hi {{contact.first_name}}, thanks for reaching out!',
  'Your appointment is confirmed for tomorrow at 10am.',
  'Reminder: reply STOP to opt out.',
  'Just checking in, do you have any questions?',
  'Here is the link to book a call: https://example.com/book',
  'Thanks for your payment.',
];
const OUTBOUND_SOURCES = ['workflow', 'bulk_actions', 'api', 'campaign', 'app'];

// History spans two years before a fixed instant, so output does not depend on the clock.
const HISTORY_END = Date.UTC(2026, 0, 1);
const HISTORY_SPAN = 2 * 365 * 24 * 3600 * 1000;

/** ISO 8601 as HighLevel sends it, sometimes with an offset, or RFC 2822 as Twilio's `date_sent`. */
function dateText(rng: Rng, at: number): string {
  const r = rng();
  if (r < 0.88) return new Date(at).toISOString();
  if (r < 0.9) return flat(`${new Date(at - 5 * 3600_000).toISOString().slice(0, 19)}-05:00`);
  return new Date(at).toUTCString().replace('GMT', '+0000');
}

/** Generates a snapshot; the same options give the same snapshot. */
export function generate(options: GenerateOptions): Generated {
  const rng = mulberry32(options.seed);
  const seen = new Set<string>();
  const freshForms = (): string[] => {
    for (;;) {
      const digits = usDigits(rng);
      if (!seen.has(digits)) {
        seen.add(digits);
        return formsOf(digits);
      }
    }
  };

  // Numbers: the first is the default and can send SMS; about 5% are
  // voice-only and 10% have an unknown capability.
  const activeForms: string[][] = [];
  const voiceOnlyForms: string[][] = [];
  const numbers: SnapshotNumber[] = [];
  for (let i = 0; i < options.numbers; i++) {
    const forms = freshForms();
    activeForms.push(forms);
    const entry: SnapshotNumber = { number: someForm(rng, forms, 0.8) };
    const r = rng();
    if (i === 0) {
      entry.sms = true;
      entry.default = true;
    } else if (r < 0.05) {
      entry.sms = false;
      voiceOnlyForms.push(forms);
    } else if (r >= 0.15) {
      entry.sms = true;
    }
    if (rng() < 0.5) entry.name = `Line ${i + 1}`;
    numbers.push(entry);
  }
  const removedForms: string[][] = [];
  const removedCount = Math.max(1, Math.round(options.numbers * 0.05));
  for (let i = 0; i < removedCount; i++) removedForms.push(freshForms());
  // Every number history can mention: active ones, then removed ones.
  const allForms = activeForms.concat(removedForms);

  // Staff: about a third without a number; of those with one, some removed and
  // some voice-only.
  const staffIds: string[] = [];
  const users: SnapshotUser[] = [];
  for (let i = 0; i < options.staff; i++) {
    const id = hlId(rng);
    staffIds.push(id);
    const user: SnapshotUser = { id, name: personName(rng) };
    const r = rng();
    if (r < 0.07) user.number = someForm(rng, pickOne(rng, removedForms), 0.7);
    else if (r < 0.14 && voiceOnlyForms.length > 0)
      user.number = someForm(rng, pickOne(rng, voiceOnlyForms), 0.7);
    else if (r < 0.65) user.number = someForm(rng, pickOne(rng, activeForms), 0.7);
    users.push(user);
  }

  // Contacts: valid phones in varied formats, a few without or with a junk
  // phone, about 2% with SMS DND. Each talks mostly to one or two numbers,
  // stored as indexes into allForms.
  const contactIds: string[] = [];
  const contacts: SnapshotContact[] = [];
  const primary = new Int32Array(options.contacts);
  const secondary = new Int32Array(options.contacts);
  for (let i = 0; i < options.contacts; i++) {
    const id = hlId(rng);
    contactIds.push(id);
    const contact: SnapshotContact = { id, name: personName(rng) };
    const r = rng();
    if (r < 0.003) {
      // No phone at all.
    } else if (r < 0.005) contact.phone = rng() < 0.5 ? '12345' : 'n/a';
    else contact.phone = formOf(usDigits(rng), rng() < 0.6 ? 0 : 1 + int(rng, FORM_COUNT - 1));
    if (rng() < 0.02) contact.smsDnd = true;
    else if (rng() < 0.5) contact.smsDnd = false;
    contacts.push(contact);
    // About 3% first talked on a number that has since been removed.
    primary[i] =
      rng() < 0.03
        ? activeForms.length + int(rng, removedForms.length)
        : int(rng, activeForms.length);
    secondary[i] = int(rng, allForms.length);
  }

  // Messages: 85% of contacts have history, skewed so a few contacts have
  // thousands of messages and most have a handful. Times are in random order.
  const owner = new Int32Array(options.messages);
  const withHistory = Math.max(1, Math.floor(options.contacts * 0.85));
  for (let i = 0; i < owner.length; i++) {
    const u = rng();
    owner[i] = Math.min(options.contacts - 1, Math.floor(withHistory * u * u));
  }
  if (options.order === 'grouped') owner.sort();
  const messages: SnapshotMessage[] = new Array(options.messages);
  for (let i = 0; i < options.messages; i++) {
    const c = owner[i] as number;
    const n = rng();
    const which =
      n < 0.8
        ? (primary[c] as number)
        : n < 0.95
          ? (secondary[c] as number)
          : int(rng, allForms.length);
    const number = someForm(rng, allForms[which] as string[], 0.9);
    const at = dateText(rng, HISTORY_END - Math.floor(rng() * HISTORY_SPAN));
    const contactId = contactIds[c] as string;
    if (rng() < 0.4) {
      const k = rng();
      const body =
        k < 0.012
          ? pickOne(rng, OPT_OUT_BODIES)
          : k < 0.018
            ? pickOne(rng, OPT_IN_BODIES)
            : pickOne(rng, INBOUND_BODIES);
      messages[i] = { contactId, number, direction: 'inbound', at, body };
    } else if (rng() < 0.12) {
      messages[i] = {
        contactId,
        number,
        direction: 'outbound',
        at,
        body: pickOne(rng, OUTBOUND_BODIES),
        source: 'app',
        manual: true,
      };
    } else {
      messages[i] = {
        contactId,
        number,
        direction: 'outbound',
        at,
        body: pickOne(rng, OUTBOUND_BODIES),
        source: pickOne(rng, OUTBOUND_SOURCES),
      };
    }
  }

  return {
    snapshot: { country: 'US', numbers, users, contacts, messages },
    activeForms,
    voiceOnlyForms,
    removedForms,
    staffIds,
    contactIds,
  };
}

/** A number a send fixes: mostly usable, sometimes voice-only or removed. */
function fixedNumber(rng: Rng, generated: Generated): string {
  const r = rng();
  const list =
    r < 0.1 && generated.voiceOnlyForms.length > 0
      ? generated.voiceOnlyForms
      : r < 0.2
        ? generated.removedForms
        : generated.activeForms;
  return someForm(rng, pickOne(rng, list), 0.7);
}

/** A sending user: mostly staff, sometimes an agency user who is not in My Staff. */
function userId(rng: Rng, generated: Generated): string {
  if (generated.staffIds.length === 0 || rng() < 0.05) return 'agency-user-not-in-staff';
  return pickOne(rng, generated.staffIds);
}

/**
 * Random sends to random contacts, about a third of each kind, with and
 * without a pick or From Number and a sending user.
 */
export function generateSends(generated: Generated, count: number, seed: number): Send[] {
  const rng = mulberry32(seed);
  const sends: Send[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const contactId = pickOne(rng, generated.contactIds);
    const kind = rng();
    if (kind < 1 / 3) {
      const send: Send = { via: 'conversation', contactId };
      if (rng() < 0.7) send.userId = userId(rng, generated);
      if (rng() < 0.2) send.pick = fixedNumber(rng, generated);
      sends[i] = send;
    } else if (kind < 2 / 3) {
      const send: Send = { via: 'workflow', contactId };
      if (rng() < 0.5) send.userId = userId(rng, generated);
      if (rng() < 0.3) send.fromNumber = fixedNumber(rng, generated);
      sends[i] = send;
    } else {
      const send: Send = { via: 'bulk', contactId };
      if (rng() < 0.3) send.fromNumber = fixedNumber(rng, generated);
      sends[i] = send;
    }
  }
  return sends;
}
