/**
 * The store benchmark's workload, shared by the Node runner (fake-indexeddb)
 * and the Chromium runner (real IndexedDB): a full sync of `contacts`
 * contacts and `messages` messages in pages of 1,000, then the reads a
 * woken worker does.
 */
import { buildIndex, isIndex, resolve } from '../lib/rules/index';
import { openStore, type PageMessage } from '../lib/store/index';
import { generationRange } from '../lib/store/schema';
import { buildSnapshot } from '../lib/store/snapshot';

export interface Workload {
  factory: IDBFactory;
  contacts: number;
  messages: number;
  /** Bytes of JS heap in use, after a collection where the runtime allows one. */
  heapBytes: () => number;
}

const PAGE = 1000;
const LOC = 'loc-bench';
const NUMBERS = Array.from({ length: 20 }, (_, i) => `+1415555${String(100 + i).padStart(4, '0')}`);

/** Runs the workload; returns [label, value] rows for the table. */
export async function runStoreWorkload(w: Workload): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  let start = performance.now();
  const elapsed = () => `${(performance.now() - start).toFixed(0)} ms`;
  const id = (n: number) => `c-${String(n).padStart(6, '0')}`;

  const store = await openStore({ factory: w.factory });
  const writer = await store.beginSync(LOC, 'full');
  await writer.putNumbers(NUMBERS.map((number, i) => ({ number, sms: true, default: i === 0 })));
  await writer.putStaff([{ id: 'u-1', name: 'Jane', number: NUMBERS[1] }]);
  start = performance.now();
  for (let i = 0; i < w.contacts; i += PAGE) {
    const page = [];
    for (let j = i; j < Math.min(i + PAGE, w.contacts); j++) {
      page.push({
        id: id(j),
        name: `Contact ${j}`,
        phone: `+1212555${String(j % 10000).padStart(4, '0')}`,
      });
    }
    await writer.putContacts(page);
  }
  rows.push([`put ${w.contacts} contacts (pages of ${PAGE})`, elapsed()]);

  // mulberry32: a small seeded generator, so runs are comparable.
  let seed = 1;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const heapBefore = w.heapBytes();
  let peak = heapBefore;
  start = performance.now();
  for (let i = 0; i < w.messages; i += PAGE) {
    const page: PageMessage[] = [];
    for (let j = i; j < Math.min(i + PAGE, w.messages); j++) {
      const inbound = random() < 0.4;
      page.push({
        contactId: id(Math.floor(random() * w.contacts)),
        number: NUMBERS[Math.floor(random() * NUMBERS.length)] as string,
        direction: inbound ? 'inbound' : 'outbound',
        atMs: Date.UTC(2024, 0, 1) + j * 1000,
        manual: !inbound && random() < 0.1,
        body: inbound && random() < 0.01 ? 'STOP' : 'Thanks, see you on Tuesday at 3pm.',
        sid: `SM${String(j).padStart(32, '0')}`,
      });
    }
    await writer.foldMessages(page);
    if (i % (PAGE * 50) === 0) peak = Math.max(peak, w.heapBytes());
  }
  const foldMs = performance.now() - start;
  rows.push([`fold ${w.messages} messages (pages of ${PAGE})`, `${foldMs.toFixed(0)} ms`]);
  rows.push(['  per page', `${((foldMs / w.messages) * PAGE).toFixed(1)} ms`]);
  rows.push([
    '  JS heap before folding / peak while folding',
    `${(heapBefore / 1e6).toFixed(0)} / ${(peak / 1e6).toFixed(0)} MB`,
  ]);
  start = performance.now();
  await writer.commit();
  rows.push(['full commit (packs the snapshot, swaps generations)', elapsed()]);
  store.close();

  // A fresh store: the worker has just woken, nothing is cached.
  const woken = await openStore({ factory: w.factory });
  start = performance.now();
  const small = await woken.getSnapshotForContacts(LOC, [id(42)]);
  const smallIndex = buildIndex(small?.snapshot);
  if (!isIndex(smallIndex)) throw new Error(smallIndex.message);
  resolve(smallIndex, { via: 'conversation', contactId: id(42), userId: 'u-1' });
  rows.push(['first resolution after wake (one-contact snapshot)', elapsed()]);

  start = performance.now();
  const cold = await woken.getSnapshot(LOC);
  rows.push([
    `getSnapshot, cold, from the packed copy (${w.contacts} contacts, ${cold?.snapshot.messages.length} messages)`,
    elapsed(),
  ]);
  start = performance.now();
  await woken.getSnapshot(LOC);
  rows.push(['getSnapshot, cached in memory', elapsed()]);
  woken.close();

  // Without the packed copy: built from the rows (after a migration, say).
  const db = await (await openStore({ factory: w.factory })).db();
  const saved = await db.get('snapshotCache', LOC);
  rows.push(['  packed copy size', `${((saved?.packed.length ?? 0) / 1e6).toFixed(1)} MB`]);
  await db.delete('snapshotCache', LOC);
  const rebuilt = await openStore({ factory: w.factory });
  start = performance.now();
  await rebuilt.getSnapshot(LOC);
  rows.push(['getSnapshot, cold, built from rows (and saved)', elapsed()]);
  const range = generationRange(LOC, cold?.generation as number);
  const tx = db.transaction(['numbers', 'staff', 'contacts', 'contactFacts']);
  start = performance.now();
  const [n, s, c, f] = await Promise.all([
    tx.objectStore('numbers').getAll(range),
    tx.objectStore('staff').getAll(range),
    tx.objectStore('contacts').getAll(range),
    tx.objectStore('contactFacts').getAll(range),
  ]);
  rows.push([`  of which reading rows (${c.length} contacts, ${f.length} facts)`, elapsed()]);
  start = performance.now();
  buildSnapshot({ country: 'US' }, n, s, c, f);
  rows.push(['  of which building the snapshot (pure)', elapsed()]);
  rebuilt.close();

  // An incremental sync of one page: the packed copy is patched in the commit.
  const again = await openStore({ factory: w.factory });
  const incremental = await again.beginSync(LOC, 'incremental');
  const page: PageMessage[] = [];
  for (let j = 0; j < PAGE; j++) {
    page.push({
      contactId: id(Math.floor(random() * w.contacts)),
      number: NUMBERS[0] as string,
      direction: 'outbound',
      atMs: Date.UTC(2026, 0, 1) + j,
      sid: `SMnew${j}`,
    });
  }
  await incremental.foldMessages(page);
  start = performance.now();
  await incremental.commit();
  rows.push([`incremental commit of ${PAGE} messages (patches the packed copy)`, elapsed()]);
  again.close();

  start = performance.now();
  const index = buildIndex(cold?.snapshot);
  rows.push(['resolver buildIndex on it (lib/rules)', elapsed()]);
  if (!isIndex(index)) throw new Error(index.message);
  return rows;
}

/** The rows as an aligned two-column table. */
export function formatTable(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value.padStart(10)}`).join('\n');
}
