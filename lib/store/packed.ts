/**
 * The snapshot in a compact form, kept in one IndexedDB row per sub-account.
 *
 * Why: reading 100,000 contact rows and as many fact rows costs seconds in a
 * real browser (each row is its own record to fetch and clone), while one
 * row holding a single string and one JSON.parse cost a fraction of that.
 * The rows stay the source of truth, written page by page during a sync; this
 * form is derived from them, written in the same transaction that makes a
 * sync's data visible, and rebuilt from the rows whenever it is missing or
 * stale.
 *
 * Each contact is one flat array: id, name, phone, DND, then four entries per
 * message carrying a fact (sender index, flags, date, keyword body). Sender
 * numbers repeat across contacts, so they are listed once in `senders`.
 */
import type {
  Snapshot,
  SnapshotContact,
  SnapshotMessage,
  SnapshotNumber,
  SnapshotUser,
} from '../rules/types';
import { type ContactFacts, carriersOf } from './facts';

/** [id, name, phone, smsDnd (1, 0 or null), then per message: sender index, flags, at, body]. */
export type PackedContact = (string | number | null)[];

export interface PackedSnapshot {
  v: 1;
  numbers: SnapshotNumber[];
  users: SnapshotUser[];
  /** Sub-account numbers seen in messages, referred to by index. */
  senders: string[];
  /** In contact id order, as IndexedDB keys sort. */
  contacts: PackedContact[];
}

/** What an incremental sync changed, to apply to the previous packed snapshot. */
export interface PackedDelta {
  /** The complete new lists, when the sync wrote them. */
  numbers?: SnapshotNumber[];
  users?: SnapshotUser[];
  /** Contacts added or changed. */
  contacts: SnapshotContact[];
  removed: string[];
  /** The contacts' facts as they now stand (after merging), for every contact whose facts or row changed. */
  facts: Map<string, ContactFacts | undefined>;
}

const OUTBOUND = 1;
const MANUAL = 2;
const HEADER = 4;
const PER_MESSAGE = 4;

class Senders {
  readonly list: string[];
  private readonly index = new Map<string, number>();

  constructor(list: string[] = []) {
    this.list = [...list];
    this.list.forEach((number, i) => {
      this.index.set(number, i);
    });
  }

  of(number: string): number {
    let i = this.index.get(number);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(number);
      this.index.set(number, i);
    }
    return i;
  }
}

function header(contact: SnapshotContact): PackedContact {
  return [
    contact.id,
    contact.name ?? null,
    contact.phone ?? null,
    contact.smsDnd === undefined ? null : contact.smsDnd ? 1 : 0,
  ];
}

function appendMessages(tuple: PackedContact, facts: ContactFacts, senders: Senders): void {
  for (const m of carriersOf(facts)) {
    tuple.push(
      senders.of(m.number),
      (m.direction === 'outbound' ? OUTBOUND : 0) | (m.manual ? MANUAL : 0),
      m.at,
      m.keyword ?? null,
    );
  }
}

function compareIds(a: PackedContact, b: PackedContact): number {
  const x = a[0] as string;
  const y = b[0] as string;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Builds a packed snapshot from contacts fed in id order with their facts. */
export class Packer {
  private readonly senders = new Senders();
  private readonly contacts: PackedContact[] = [];

  /** Adds a contact; contacts must come in id order. */
  add(contact: SnapshotContact, facts: ContactFacts | undefined): void {
    const tuple = header(contact);
    if (facts !== undefined) appendMessages(tuple, facts, this.senders);
    this.contacts.push(tuple);
  }

  /** The packed snapshot of everything added. */
  finish(numbers: SnapshotNumber[], users: SnapshotUser[]): PackedSnapshot {
    return { v: 1, numbers, users, senders: this.senders.list, contacts: this.contacts };
  }
}

/** Applies an incremental sync's changes to a packed snapshot; returns a new one. */
export function patchPacked(base: PackedSnapshot, delta: PackedDelta): PackedSnapshot {
  const senders = new Senders(base.senders);
  const byId = new Map<string, PackedContact>();
  for (const tuple of base.contacts) byId.set(tuple[0] as string, tuple);
  let added = false;
  for (const contact of delta.contacts) {
    const old = byId.get(contact.id);
    if (old === undefined) added = true;
    // Keep the old messages unless the facts changed too (handled below).
    byId.set(contact.id, [...header(contact), ...(old?.slice(HEADER) ?? [])]);
  }
  for (const [contactId, facts] of delta.facts) {
    const tuple = byId.get(contactId);
    // Facts of a contact that is not listed are left out, as when building.
    if (tuple === undefined) continue;
    const fresh = tuple.slice(0, HEADER);
    if (facts !== undefined) appendMessages(fresh, facts, senders);
    byId.set(contactId, fresh);
  }
  for (const id of delta.removed) byId.delete(id);
  const contacts = [...byId.values()];
  // A Map keeps insertion order: only added contacts can be out of place.
  if (added) contacts.sort(compareIds);
  return {
    v: 1,
    numbers: delta.numbers ?? base.numbers,
    users: delta.users ?? base.users,
    senders: senders.list,
    contacts,
  };
}

/** The resolver's snapshot from a packed one. */
export function unpack(packed: PackedSnapshot, country: string): Snapshot {
  const contacts: SnapshotContact[] = new Array(packed.contacts.length);
  const messages: SnapshotMessage[] = [];
  const senders = packed.senders;
  packed.contacts.forEach((tuple, i) => {
    const id = tuple[0] as string;
    const contact: SnapshotContact = { id };
    if (tuple[1] !== null) contact.name = tuple[1] as string;
    if (tuple[2] !== null) contact.phone = tuple[2] as string;
    if (tuple[3] !== null) contact.smsDnd = tuple[3] === 1;
    contacts[i] = contact;
    for (let j = HEADER; j < tuple.length; j += PER_MESSAGE) {
      const flags = tuple[j + 1] as number;
      const message: SnapshotMessage = {
        contactId: id,
        number: senders[tuple[j] as number] as string,
        direction: flags & OUTBOUND ? 'outbound' : 'inbound',
        at: tuple[j + 2] as string,
      };
      if (flags & MANUAL) message.manual = true;
      if (tuple[j + 3] !== null) message.body = tuple[j + 3] as string;
      messages.push(message);
    }
  });
  return {
    country,
    numbers: packed.numbers.map((n) => ({ ...n })),
    users: packed.users.map((u) => ({ ...u })),
    contacts,
    messages,
  };
}

/** A parsed packed snapshot, or null when the text is not one this code wrote. */
export function parsePacked(text: string): PackedSnapshot | null {
  try {
    const value = JSON.parse(text) as Partial<PackedSnapshot>;
    const ok =
      value.v === 1 &&
      Array.isArray(value.numbers) &&
      Array.isArray(value.users) &&
      Array.isArray(value.senders) &&
      Array.isArray(value.contacts);
    return ok ? (value as PackedSnapshot) : null;
  } catch {
    return null;
  }
}
