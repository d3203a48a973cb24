/**
 * Turns the rows of one generation into the resolver's Snapshot, through the
 * packed form (packed.ts) so that there is one way a snapshot is made.
 * Pure, so it can be measured and tested without a database.
 */
import type { Snapshot, SnapshotContact, SnapshotNumber, SnapshotUser } from '../rules/types';
import { type PackedSnapshot, Packer, unpack } from './packed';
import type { ContactRow, FactsRow, LocationRow, NumberRow, StaffRow } from './schema';

/** A number row without its key fields. */
export function toNumber(row: NumberRow): SnapshotNumber {
  const out: SnapshotNumber = { number: row.number };
  if (row.sms !== undefined) out.sms = row.sms;
  if (row.default !== undefined) out.default = row.default;
  if (row.name !== undefined) out.name = row.name;
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

/**
 * Feeds contacts and their facts to a packer, joining the two lists in one
 * pass: both must be in key order, as IndexedDB returns them.
 */
export function packJoined(packer: Packer, contacts: ContactRow[], facts: FactsRow[]): void {
  let f = 0;
  for (const contact of contacts) {
    while (f < facts.length && (facts[f] as FactsRow).contactId < contact.id) f++;
    const row = facts[f];
    // Facts of a contact that is not listed are left out.
    packer.add(toContact(contact), row?.contactId === contact.id ? row.facts : undefined);
  }
}

/** The packed snapshot of one generation's rows (each list in key order). */
export function packRows(
  numbers: NumberRow[],
  staff: StaffRow[],
  contacts: ContactRow[],
  facts: FactsRow[],
): PackedSnapshot {
  const packer = new Packer();
  packJoined(packer, contacts, facts);
  return packer.finish(numbers.map(toNumber), staff.map(toUser));
}

/** The resolver's snapshot of one generation's rows (each list in key order). */
export function buildSnapshot(
  location: Pick<LocationRow, 'country'>,
  numbers: NumberRow[],
  staff: StaffRow[],
  contacts: ContactRow[],
  facts: FactsRow[],
): Snapshot {
  return unpack(packRows(numbers, staff, contacts, facts), location.country ?? 'US');
}
