/**
 * Turns the rows of one generation into the resolver's Snapshot. Pure, so it
 * can be measured and tested without a database.
 */
import type {
  Snapshot,
  SnapshotContact,
  SnapshotMessage,
  SnapshotNumber,
  SnapshotUser,
} from '../rules/types';
import { type ContactHistory, factsToMessages } from './facts';
import type { ContactRow, FactsRow, LocationRow, NumberRow, StaffRow } from './schema';

/** A number row without its key fields. */
export function toNumber(row: NumberRow): SnapshotNumber {
  const out: SnapshotNumber = { number: row.number };
  if (row.sms !== undefined) out.sms = row.sms;
  if (row.default !== undefined) out.default = row.default;
  if (row.name !== undefined) out.name = row.name;
  if (row.pool !== undefined) out.pool = row.pool;
  return out;
}

/** A staff row without its key fields. */
export function toUser(row: StaffRow): SnapshotUser {
  const out: SnapshotUser = { id: row.id };
  if (row.name !== undefined) out.name = row.name;
  if (row.number !== undefined) out.number = row.number;
  return out;
}

/** A contact row without its key fields. */
export function toContact(row: ContactRow): SnapshotContact {
  const out: SnapshotContact = { id: row.id };
  if (row.name !== undefined) out.name = row.name;
  if (row.phone !== undefined) out.phone = row.phone;
  if (row.smsDnd !== undefined) out.smsDnd = row.smsDnd;
  return out;
}

/** Snapshot messages of a contact's facts; the provider ids stay in the store. */
export function messagesOf(
  contactId: string,
  facts: ContactHistory | undefined,
): SnapshotMessage[] {
  if (facts === undefined) return [];
  return factsToMessages(contactId, facts).map(({ sid: _sid, ...message }) => message);
}

/**
 * The resolver's snapshot of one generation's rows. Contacts and facts must
 * both be in key order, as IndexedDB returns them: they are joined in one
 * pass, and facts of a contact that is not listed are left out.
 */
export function buildSnapshot(
  location: Pick<LocationRow, 'country'>,
  numbers: NumberRow[],
  staff: StaffRow[],
  contacts: ContactRow[],
  facts: FactsRow[],
): Snapshot {
  const messages: SnapshotMessage[] = [];
  let f = 0;
  for (const contact of contacts) {
    while (f < facts.length && (facts[f] as FactsRow).contactId < contact.id) f++;
    const row = facts[f];
    if (row?.contactId === contact.id) messages.push(...messagesOf(contact.id, row.facts));
  }
  return {
    country: location.country ?? 'US',
    numbers: numbers.map(toNumber),
    users: staff.map(toUser),
    contacts: contacts.map(toContact),
    messages,
  };
}
