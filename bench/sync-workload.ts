/**
 * The store side of a sync, for real IndexedDB (bench/sync-browser.ts): a
 * million Twilio messages folded in memory page by page, the facts written
 * in bulk and committed, an incremental sync of one page, then the reads of
 * a worker that has just woken with contacts opened on demand. No network:
 * the messages are made here, so the figures are the extension's own work.
 */
import { openStore, phoneKey } from '../lib/store/index';
import { HistoryFold } from '../lib/sync/history';
import type { TwilioMessage } from '../lib/twilio/types';

export interface SyncWorkload {
  factory: IDBFactory;
  messages: number;
  contacts: number;
  heapBytes: () => number;
}

const LOC = 'loc-bench';
const PAGE = 1000;
const NUMBERS = Array.from({ length: 1000 }, (_, i) => `+1628300${String(i).padStart(4, '0')}`);
const phone = (k: number) => `+1628${String(2_000_000 + k)}`;

function page(start: number, count: number, contacts: number, newestMs: number): TwilioMessage[] {
  const out: TwilioMessage[] = [];
  for (let i = start; i < start + count; i++) {
    const k = (i * 7919) % contacts;
    const inbound = i % 5 < 2;
    const ours = NUMBERS[(k + (i % 7 === 0 ? i : 0)) % NUMBERS.length] as string;
    const sent = new Date(newestMs - i * 30_000);
    const dated = { text: sent.toUTCString(), date: sent };
    out.push({
      sid: `SM${String(i).padStart(32, '0')}`,
      from: inbound ? phone(k) : ours,
      to: inbound ? ours : phone(k),
      body: i % 997 === 0 ? 'STOP' : 'Thanks, see you on Tuesday at 3pm.',
      direction: inbound ? 'inbound' : 'outbound-api',
      status: inbound ? 'received' : 'delivered',
      errorCode: null,
      errorMessage: null,
      numSegments: 1,
      numMedia: 0,
      price: '-0.00790',
      priceUnit: 'USD',
      messagingServiceSid: null,
      dateSent: dated,
      dateCreated: dated,
      dateUpdated: dated,
    });
  }
  return out;
}

/** Runs the workload; returns [label, value] rows. */
export async function runSyncWorkload(w: SyncWorkload): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  const ms = (start: number) => `${(performance.now() - start).toFixed(0)} ms`;
  const newest = Date.UTC(2026, 0, 1);
  const store = await openStore({ factory: w.factory });

  const heapBefore = w.heapBytes();
  let peak = heapBefore;
  let start = performance.now();
  const fold = new HistoryFold();
  for (let i = 0; i < w.messages; i += PAGE) {
    fold.addPage(page(i, Math.min(PAGE, w.messages - i), w.contacts, newest));
    if (i % (PAGE * 100) === 0) peak = Math.max(peak, w.heapBytes());
  }
  peak = Math.max(peak, w.heapBytes());
  rows.push([`fold ${w.messages} messages in memory (pages made on the fly)`, ms(start)]);
  rows.push([
    `  JS heap before / peak (facts of ${fold.facts.size} contacts held)`,
    `${(heapBefore / 1e6).toFixed(0)} / ${(peak / 1e6).toFixed(0)} MB`,
  ]);

  start = performance.now();
  const writer = await store.beginSync(LOC, 'full');
  await writer.putNumbers(NUMBERS.map((number, i) => ({ number, sms: true, default: i === 0 })));
  await writer.putStaff(
    Array.from({ length: 200 }, (_, i) => ({ id: `usr-${i}`, number: NUMBERS[i + 1] })),
  );
  rows.push(['put 1,000 numbers and 200 staff', ms(start)]);
  start = performance.now();
  await writer.putFacts(fold.facts, { messages: fold.messages, pages: w.messages / PAGE });
  rows.push([`putFacts: ${fold.facts.size} contacts in bucket rows`, ms(start)]);
  start = performance.now();
  await writer.commit();
  rows.push(['full commit (packs, swaps generations)', ms(start)]);

  start = performance.now();
  for (let k = 0; k < 1000; k++) {
    await store.putCachedContact(LOC, { id: `ct-${k}`, phone: phone(k), smsDnd: false });
  }
  rows.push(['1,000 contacts fetched on demand, cached one by one', ms(start)]);
  store.close();

  const woken = await openStore({ factory: w.factory });
  start = performance.now();
  const one = await woken.getSnapshotForContacts(LOC, ['ct-42']);
  rows.push([
    `woken worker: one-contact snapshot (${one?.snapshot.messages.length} messages)`,
    ms(start),
  ]);
  start = performance.now();
  const all = await woken.getSnapshot(LOC);
  rows.push([
    `woken worker: getSnapshot with 1,000 cached contacts (${all?.snapshot.messages.length} messages)`,
    ms(start),
  ]);
  start = performance.now();
  await woken.putCachedContact(LOC, { id: 'ct-1000', phone: phone(1000) });
  rows.push(['one more contact cached (snapshot patched in memory)', ms(start)]);

  const incremental = new HistoryFold();
  incremental.addPage(page(0, PAGE, w.contacts, newest + PAGE * 30_000));
  start = performance.now();
  const inc = await woken.beginSync(LOC, 'incremental');
  await inc.putFacts(incremental.facts, { messages: PAGE, pages: 1 });
  await inc.setCursor('twilio:dateSent', new Date(newest + PAGE * 30_000).toISOString());
  await inc.commit();
  rows.push([
    `incremental: one page (${incremental.facts.size} contacts) staged and committed`,
    ms(start),
  ]);
  const check = await woken.getContactDetails(LOC, 'ct-0');
  if (check?.facts?.lastOutbound === undefined && check?.facts?.first === undefined) {
    throw new Error(`no facts for ${phoneKey(phone(0))}`);
  }
  woken.close();
  return rows;
}

/** The rows as an aligned two-column table. */
export function formatRows(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(14)}`).join('\n');
}
