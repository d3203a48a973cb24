/**
 * The outbox's rows: every send, written before anything goes on the wire,
 * moved from state to state by compare-and-set, and kept afterwards as the
 * send log. Also the pairs Twilio blocked after a STOP, and what a send
 * teaches a contact's facts at once (lib/send decides when).
 */

import type { IDBPTransaction } from 'idb';
import { E164, MAX_ID_LENGTH } from '../rules/formats';
import { redactSecrets } from '../secrets/redact';
import {
  type FactMessage,
  type FoldableMessage,
  factsOfMessage,
  mergeFacts,
  toFactMessage,
} from './facts';
import { within } from './rows';
import type { BlockedPairRow, Db, OutboxState, SenderLensDB, SendRow } from './schema';
import { requireId, StoreInputError } from './validate';

export type { OutboxState, SendRow } from './schema';

const STATES: readonly OutboxState[] = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'unknown',
];

/** What the outbox may change on a row: never its id, sub-account, addresses or body. */
export type SendChange = Partial<
  Pick<
    SendRow,
    | 'state'
    | 'attempts'
    | 'postedMs'
    | 'nextMs'
    | 'lookups'
    | 'polls'
    | 'providerId'
    | 'providerStatus'
    | 'errorCode'
    | 'errorText'
    | 'resentAs'
  >
>;

/** A send the rules have accepted, as lib/send hands it to the outbox. */
export type NewSend = Omit<
  SendRow,
  'state' | 'attempts' | 'createdAt' | 'updatedMs' | 'lookups' | 'polls' | 'nextMs'
>;

/** The outbox over the store's connection. */
export class OutboxRows {
  constructor(private readonly host: { db(): Promise<Db>; now(): number }) {}

  /**
   * Writes a new send as queued and due now, unless a send with its id is
   * already there: then that one is answered and nothing is written, so a
   * double click or a repeated request is the same send.
   */
  async add(send: NewSend): Promise<{ row: SendRow; created: boolean }> {
    checkNewSend(send);
    const now = this.host.now();
    const row: SendRow = {
      ...send,
      mediaUrls: [...send.mediaUrls],
      trace: send.trace.map((line) => redactSecrets(line)),
      state: 'queued',
      attempts: 0,
      createdAt: new Date(send.createdMs).toISOString(),
      updatedMs: now,
      lookups: 0,
      polls: 0,
      nextMs: now,
    };
    const db = await this.host.db();
    const tx = db.transaction('sends', 'readwrite');
    return within(tx, async () => {
      const existing = await tx.store.get(send.id);
      if (existing !== undefined) return { row: existing, created: false };
      await tx.store.add(row);
      return { row, created: true };
    });
  }

  async get(id: string): Promise<SendRow | null> {
    return (await (await this.host.db()).get('sends', id)) ?? null;
  }

  /**
   * Applies `change` if the send is in one of `from`; answers the new row, or
   * null when it was not (another step moved it first). `nextMs: undefined`
   * in the change removes the field: nothing is left to do.
   */
  async transition(
    id: string,
    from: readonly OutboxState[],
    change: SendChange | ((row: SendRow) => SendChange),
  ): Promise<SendRow | null> {
    const db = await this.host.db();
    const tx = db.transaction('sends', 'readwrite');
    return within(tx, async () => {
      const row = await tx.store.get(id);
      if (row === undefined || !from.includes(row.state)) return null;
      const next = applyChange(
        { ...row, updatedMs: this.host.now() },
        typeof change === 'function' ? change(row) : change,
      );
      await tx.store.put(next);
      return next;
    });
  }

  /** Sends with work due at or before `atMs`, soonest first. */
  async due(atMs: number, limit = 100): Promise<SendRow[]> {
    const db = await this.host.db();
    return db.getAllFromIndex('sends', 'byDue', IDBKeyRange.upperBound(atMs), limit);
  }

  /** When the next send has work due; null when none has. */
  async nextDueMs(): Promise<number | null> {
    const db = await this.host.db();
    const cursor = await db.transaction('sends').store.index('byDue').openKeyCursor();
    return cursor === null ? null : (cursor.key as number);
  }

  /** The sends of a conversation created at or after `sinceMs`, oldest first. */
  async ofConversation(
    locationId: string,
    conversationId: string,
    sinceMs: number,
  ): Promise<SendRow[]> {
    const db = await this.host.db();
    return db.getAllFromIndex(
      'sends',
      'byConversation',
      IDBKeyRange.bound(
        [locationId, conversationId, sinceMs],
        [locationId, conversationId, Number.POSITIVE_INFINITY],
      ),
    );
  }

  /**
   * A page of the log, newest first: of one sub-account, or of all. Pass the
   * last row's `createdMs` and `id` as `beforeMs` and `beforeId` for the next
   * page: sends of the same millisecond come in id order (an index orders
   * equal keys by primary key), so none is skipped or repeated at a page's edge.
   */
  async list(
    options: { locationId?: string; beforeMs?: number; beforeId?: string; limit?: number } = {},
  ): Promise<SendRow[]> {
    const limit = options.limit ?? 50;
    const before = options.beforeMs ?? Number.POSITIVE_INFINITY;
    const { beforeId } = options;
    // With an id, the edge millisecond is read again and its rows up to the id skipped.
    const openEnd = beforeId === undefined;
    const db = await this.host.db();
    const tx = db.transaction('sends');
    const cursorOf =
      options.locationId === undefined
        ? tx.store.index('byTime').openCursor(IDBKeyRange.upperBound(before, openEnd), 'prev')
        : tx.store
            .index('byLocationTime')
            .openCursor(
              IDBKeyRange.bound(
                [options.locationId, Number.NEGATIVE_INFINITY],
                [options.locationId, before],
                false,
                openEnd,
              ),
              'prev',
            );
    const out: SendRow[] = [];
    let cursor = await cursorOf;
    while (cursor !== null && out.length < limit) {
      const row = cursor.value;
      if (openEnd || row.createdMs !== before || row.id < beforeId) out.push(row);
      cursor = await cursor.continue();
    }
    return out;
  }

  /** The send that holds a provider's message id, if any: one message settles one send. */
  async byProviderId(providerId: string): Promise<SendRow | null> {
    const db = await this.host.db();
    return (await db.getFromIndex('sends', 'byProvider', providerId)) ?? null;
  }

  /**
   * Settles a send with the provider's message. One message settles one
   * send: when another send holds it, this one is refused (null), unless
   * this one is the provider's own answer to the post and the other found it
   * by a lookup: then the answer wins and the other goes back to `sending`,
   * to look again. Null as well when the send's state moved on.
   *
   * In the same transaction, the message teaches the contact's facts what a
   * sync would (see `teach`), so a settled send and what it taught are
   * written together or not at all; and `mark`, the next queued send the
   * caller is about to post, is marked as posting, which saves that send a
   * transaction of its own. Answers the settled row (null as above) and the
   * marked one (null when it was no longer queued).
   */
  async claim(
    id: string,
    from: readonly OutboxState[],
    providerId: string,
    change: SendChange,
    how: 'answer' | 'lookup',
    message?: FoldableMessage,
    mark?: { id: string; change: (row: SendRow) => SendChange },
  ): Promise<{ row: SendRow | null; marked: SendRow | null }> {
    const fact = message === undefined ? undefined : toFactMessage(message);
    const db = await this.host.db();
    const tx = db.transaction(['sends', 'locations', 'contactFacts', 'picks'], 'readwrite');
    return within(tx, async () => {
      const now = this.host.now();
      const sends = tx.objectStore('sends');
      let marked: SendRow | null = null;
      if (mark !== undefined) {
        const queued = await sends.get(mark.id);
        if (queued?.state === 'queued') {
          marked = applyChange({ ...queued, updatedMs: now }, mark.change(queued));
          await sends.put(marked);
        }
      }
      const holder = await sends.index('byProvider').get(providerId);
      if (holder !== undefined && holder.id !== id) {
        if (how === 'lookup' || holder.settledBy !== 'lookup') return { row: null, marked };
        const back: SendRow = { ...holder, state: 'sending', nextMs: now, updatedMs: now };
        for (const key of [
          'providerId',
          'providerStatus',
          'settledBy',
          'errorCode',
          'errorText',
        ] as const) {
          delete back[key];
        }
        await sends.put(back);
      }
      const row = await sends.get(id);
      if (row === undefined || !from.includes(row.state)) return { row: null, marked };
      const next: SendRow = { ...row, ...change, providerId, updatedMs: now };
      if (change.nextMs === undefined) delete next.nextMs;
      if (how === 'lookup') next.settledBy = 'lookup';
      await sends.put(next);
      if (fact !== undefined) await teach(tx, row.locationId, row.contactId, fact);
      return { row: next, marked };
    });
  }

  /** Erases a settled send's body, for the "leave bodies out of the log" setting. */
  async omitBody(id: string): Promise<void> {
    const db = await this.host.db();
    const tx = db.transaction('sends', 'readwrite');
    await within(tx, async () => {
      const row = await tx.store.get(id);
      if (row === undefined || row.bodyOmitted) return;
      await tx.store.put({ ...row, body: '', mediaUrls: [], bodyOmitted: true });
    });
  }

  /** Twilio answered 21610: this number may not text this contact until they opt back in. */
  async blockPair(locationId: string, from: string, to: string): Promise<void> {
    const row: BlockedPairRow = {
      locationId,
      from,
      to,
      at: new Date(this.host.now()).toISOString(),
    };
    await (await this.host.db()).put('blockedPairs', row);
  }

  /** When Twilio blocked the pair, or null when it has not. */
  async blockedSince(locationId: string, from: string, to: string): Promise<string | null> {
    const row = await (await this.host.db()).get('blockedPairs', [locationId, from, to]);
    return row?.at ?? null;
  }
}

/**
 * What a send teaches at once, without waiting for the next sync: the
 * message joins the contact's facts in the active data (so it is the last
 * used number, the channel number if it is the first, and the last manual
 * pick when it was picked), and a pick it was sent with stops being pending.
 * Folding is idempotent, so the same message arriving later from a sync
 * changes nothing. Does nothing before the first full sync.
 */
async function teach(
  tx: IDBPTransaction<
    SenderLensDB,
    ('sends' | 'locations' | 'contactFacts' | 'picks')[],
    'readwrite'
  >,
  locationId: string,
  contactId: string,
  fact: FactMessage,
): Promise<void> {
  const location = await tx.objectStore('locations').get(locationId);
  if (location === undefined || location.activeGeneration === null) return;
  const generation = location.activeGeneration;
  const facts = tx.objectStore('contactFacts');
  const existing = await facts.get([locationId, generation, contactId]);
  await facts.put({
    locationId,
    generation,
    contactId,
    facts: mergeFacts(existing?.facts, factsOfMessage(fact)),
  });
  if (fact.manual) await tx.objectStore('picks').delete([locationId, contactId]);
  // The location's revision stays: nothing caches a snapshot any more, and
  // rewriting the location row would cost every send a write of its own.
}

/** `row` with `change` applied; a field set to undefined is removed. */
function applyChange(row: SendRow, change: SendChange): SendRow {
  for (const [key, value] of Object.entries(change) as [keyof SendChange, unknown][]) {
    if (value === undefined) delete row[key];
    else (row as unknown as Record<string, unknown>)[key] = value;
  }
  if (!STATES.includes(row.state)) throw new StoreInputError('state', 'not a send state');
  if (row.errorText !== undefined) row.errorText = redactSecrets(row.errorText);
  return row;
}

function checkNewSend(send: NewSend): void {
  if (typeof send !== 'object' || send === null)
    throw new StoreInputError('send', 'expected an object');
  requireId(send.id, 'id');
  requireId(send.locationId, 'locationId', MAX_ID_LENGTH);
  requireId(send.conversationId, 'conversationId');
  requireId(send.contactId, 'contactId');
  for (const field of ['from', 'to'] as const) {
    if (typeof send[field] !== 'string' || !E164.test(send[field])) {
      throw new StoreInputError(field, 'expected an E.164 number like +14155550101');
    }
  }
  if (send.route !== 'twilio' && send.route !== 'highlevel') {
    throw new StoreInputError('route', 'expected "twilio" or "highlevel"');
  }
  if (typeof send.body !== 'string') throw new StoreInputError('body', 'expected a string');
  if (!Array.isArray(send.mediaUrls) || send.mediaUrls.some((u) => typeof u !== 'string')) {
    throw new StoreInputError('mediaUrls', 'expected an array of URLs');
  }
  if (!Number.isFinite(send.createdMs)) throw new StoreInputError('createdMs', 'expected a time');
}
