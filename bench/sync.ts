/**
 * Sync benchmark in Node: a full sync of 1,000 numbers, 200 staff and
 * 1,000,000 Twilio messages (pages of 1,000) from the in-process contract
 * fakes into fake-indexeddb, then an incremental sync of one new page.
 * The fakes' own work (building and validating every page) is timed apart;
 * the real-browser figure needs Chromium's IndexedDB and the fakes over HTTP.
 *
 *   node --expose-gc --import tsx bench/sync.ts
 *   MESSAGES=200000 CONTACTS=100000 node --expose-gc --import tsx bench/sync.ts
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { HighLevelClient } from '../lib/highlevel/index';
import { openStore } from '../lib/store/index';
import { runSync, type SyncProgress } from '../lib/sync/index';
import { TwilioClient } from '../lib/twilio/index';
import { createFakeHighLevel, createFakeTwilio, generateBulkHistory } from '../test/fakes/index';

const MESSAGES = Number(process.env.MESSAGES ?? 1_000_000);
const CONTACTS = process.env.CONTACTS === undefined ? undefined : Number(process.env.CONTACTS);
const NUMBERS = 1000;
const STAFF = 200;
const LOC = 'loc-bench';

const twilio = await createFakeTwilio();
const highlevel = await createFakeHighLevel();
highlevel.addLocation({ id: LOC, name: 'Bench', country: 'US' });
const numbers = Array.from({ length: NUMBERS }, (_, i) => `+1628300${String(i).padStart(4, '0')}`);
numbers.forEach((phoneNumber, i) => {
  const sid = twilio.addIncomingNumber({ phoneNumber, sms: i % 10 !== 0, voice: true });
  highlevel.addNumber(LOC, { phoneNumber, isDefault: i === 0, sid });
});
for (let i = 0; i < STAFF; i++) {
  highlevel.addUser(LOC, {
    id: `usr-${i}`,
    name: `Staff ${i}`,
    ...(i < 150 ? { lcPhone: numbers[i + 1] as string } : {}),
  });
}
const history = generateBulkHistory(twilio, {
  messages: MESSAGES,
  numbers,
  ...(CONTACTS === undefined ? {} : { contacts: CONTACTS }),
});

let fetchMs = 0;
const timed =
  (f: typeof fetch): typeof fetch =>
  async (input, init) => {
    const start = performance.now();
    try {
      return await f(input, init);
    } finally {
      fetchMs += performance.now() - start;
    }
  };
const twilioClient = new TwilioClient({
  fetch: timed(twilio.fetch),
  credentials: { kind: 'auth-token', accountSid: twilio.accountSid, authToken: twilio.authToken },
});
const highlevelClient = new HighLevelClient({
  fetch: timed(highlevel.fetch),
  credentials: { token: highlevel.token },
});
const store = await openStore({ factory: new IDBFactory() });
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => process.memoryUsage().heapUsed / 1e6;

gc?.();
const heapBefore = heap();
let peak = heapBefore;
const phaseStart = new Map<string, number>();
const onProgress = (p: SyncProgress) => {
  if (!phaseStart.has(p.phase)) phaseStart.set(p.phase, performance.now());
  // A full collection first, so the figure is what is alive, not garbage not yet collected.
  if (p.phase === 'messages' && p.pages % 100 === 0) {
    gc?.();
    peak = Math.max(peak, heap());
  }
};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const full = await runSync({
  store,
  locationId: LOC,
  kind: 'full',
  twilio: async () => twilioClient,
  highlevel: async () => highlevelClient,
  onProgress,
});
const fullMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
if (!full.ok) throw new Error(full.error);

const messagesAt = phaseStart.get('messages') ?? t0;
const committingAt = phaseStart.get('committing') ?? t0;
const rows: [string, string][] = [
  [
    `full sync: ${NUMBERS} numbers, ${STAFF} staff, ${full.messages.toLocaleString('en-US')} messages, ${full.contacts.toLocaleString('en-US')} contacts`,
    `${(fullMs / 1000).toFixed(1)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
  ],
  ['  of which numbers and staff', `${((messagesAt - t0) / 1000).toFixed(1)} s`],
  [
    '  of which listing and folding messages',
    `${((committingAt - messagesAt) / 1000).toFixed(1)} s`,
  ],
  [
    '  of which writing facts and committing',
    `${((t0 + fullMs - committingAt) / 1000).toFixed(1)} s`,
  ],
  [
    '  time inside the fakes’ fetch (building, validating pages)',
    `${(fetchMs / 1000).toFixed(1)} s`,
  ],
  [
    '  live JS heap before / peak while folding (after a GC every 100 pages; fakes included)',
    `${heapBefore.toFixed(0)} / ${peak.toFixed(0)} MB`,
  ],
];

// One new page of messages after the newest one.
for (let i = 0; i < 1000; i++) {
  twilio.addMessage({
    from: numbers[i % NUMBERS] as string,
    to: history.contactPhone(i),
    body: 'New since the last sync',
    direction: 'outbound-api',
    dateSent: new Date(history.newest.getTime() + (i + 1) * 1000),
  });
}
fetchMs = 0;
const t1 = performance.now();
const incremental = await runSync({
  store,
  locationId: LOC,
  kind: 'incremental',
  twilio: async () => twilioClient,
  highlevel: async () => highlevelClient,
});
const incMs = performance.now() - t1;
if (!incremental.ok) throw new Error(incremental.error);
rows.push([
  `incremental sync of one new page (${incremental.messages} messages read, overlap included)`,
  `${(incMs / 1000).toFixed(2)} s`,
]);
rows.push(['  time inside the fakes’ fetch', `${(fetchMs / 1000).toFixed(2)} s`]);

const width = Math.max(...rows.map(([label]) => label.length));
console.log(`Node ${process.version}, fake-indexeddb, in-process fakes`);
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value.padStart(20)}`);
