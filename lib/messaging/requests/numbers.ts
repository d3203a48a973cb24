/**
 * The options page's question about one sub-account's numbers and staff: the
 * two tables, with the problems the sender rules (../shared/RULES.md) will
 * hit flagged in words. Extension pages only; computed in the background
 * (lib/background/numbers-view.ts) so the page carries no phone parser.
 */

import { type Catalogue, request } from '../request';
import { object, type Schema, string } from '../schema';
import { LOCATION_ID } from './settings';

/** What a number can do, as far as HighLevel says. */
export type SmsCapability = 'sms' | 'voice-only' | 'unknown';

/** A problem the rules will hit, by code; the words are in `message`. */
export type NumbersProblemCode =
  | 'no-default'
  | 'default-not-sms'
  | 'staff-number-voice-only'
  | 'staff-number-removed'
  | 'staff-no-number'
  | 'number-shared';

export interface NumbersProblem {
  code: NumbersProblemCode;
  /** One sentence a person can read, naming the numbers and people involved. */
  message: string;
  /** The number it is about, in E.164, if any. */
  number?: string;
  /** The staff it is about, by id, if any. */
  userIds?: string[];
}

/** One active number of the sub-account. */
export interface NumberRowView {
  e164: string;
  /** As a person in the sub-account's country writes it. */
  display: string;
  /** The friendly name HighLevel shows. */
  name?: string;
  sms: SmsCapability;
  isDefault: boolean;
  /** The number pool it is in. */
  pool?: string;
  /** Staff it is assigned to, by name, in table order. */
  assignedTo: string[];
  /** The problems of this row, in words (also in the summary). */
  problems: string[];
}

/** One staff member (My Staff). */
export interface StaffRowView {
  id: string;
  name: string;
  /**
   * The assigned number: `active` (listed in the sub-account today) or
   * `removed` (no longer listed: the rules treat them as having none).
   */
  number?: { e164: string; display: string; name?: string; state: 'active' | 'removed' };
  problems: string[];
}

/** The numbers and staff of one sub-account, or why they cannot be shown. */
export type NumbersStaffView =
  | { state: 'not-synced'; locationId: string; message: string }
  | { state: 'error'; locationId: string; message: string; syncedAt: string | null }
  | {
      state: 'ready';
      locationId: string;
      syncedAt: string | null;
      /** 'Synced 3 min ago', as the badge says it. */
      freshness: string;
      numbers: NumberRowView[];
      staff: StaffRowView[];
      /** Every problem, sub-account-wide ones first. */
      problems: NumbersProblem[];
    };

export interface NumbersStaffPayload {
  locationId: string;
}

const locationId: Schema<string> = {
  read(input, path) {
    const read = string({ maxLength: 64 }).read(input, path);
    if (!read.ok) return read;
    return LOCATION_ID.test(read.value)
      ? read
      : {
          ok: false,
          issue: {
            path,
            message: 'expected a HighLevel location id: letters, digits, "-" and "_"',
          },
        };
  },
};

export const numbersRequests = {
  /** A sub-account's numbers and staff as tables, with the rules' problems flagged. */
  'numbers-staff': request<NumbersStaffView>()({
    from: ['extension-page'],
    frames: 'top',
    payload: object({ locationId }, 'a numbers and staff request') as Schema<NumbersStaffPayload>,
  }),
} satisfies Catalogue;

export type NumbersRequests = typeof numbersRequests;
