/**
 * The outbox against a Twilio that misbehaves: seeded random runs mixing
 * connections dropped before and after the fake handled the request,
 * timeouts, 429 storms, 5xx, unreadable answers, slow answers, workers
 * stopped mid-send, double clicks and two tabs sending the same text at once.
 * Every run must end with no message created twice, no send lost, and an
 * outbox that a restarted worker finds settled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewSend, SendRow } from '../../lib/store';
import type { FakeTwilio, MalformedKind } from '../fakes';
import { Clock, fakeTwilio, newFactory, newSend, Worker } from './harness';

const RUNS = Number(process.env.SENDER_LENS_FAULT_RUNS ?? 1000);
// The client's time limit: long enough that a loaded machine never times out a
// normal answer (that would be an uncertainty the run did not inject), so the
// timeout fault is rarer than the others.
const TIMEOUT_MS = 150;
const FINAL = new Set(['delivered', 'undelivered', 'failed', 'unknown']);
const MALFORMED: MalformedKind[] = ['truncated-json', 'html', 'wrong-types', 'missing-fields'];

/** mulberry32: a small seeded generator, so a failing run can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Counts {
  runs: number;
  sends: number;
  created: number;
  duplicates: number;
  lost: number;
  killed: number;
  faults: Record<string, number>;
  states: Record<string, number>;
}

let clock: Clock;
let twilio: FakeTwilio;

beforeAll(async () => {
  clock = new Clock();
  twilio = await fakeTwilio(clock);
});

/** Queues this run's faults; answers whether any can leave a post's outcome uncertain. */
function injectFaults(rand: () => number, counts: Counts): boolean {
  let uncertain = false;
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) {
    const pick = rand();
    let name: string;
    if (pick < 0.2) {
      const after = rand() < 0.5;
      twilio.faults.drop(1, { afterHandling: after });
      name = after ? 'drop after handling' : 'drop before handling';
      uncertain = true;
    } else if (pick < 0.27) {
      twilio.faults.slow(1, TIMEOUT_MS + 30);
      name = 'timeout';
      uncertain = true;
    } else if (pick < 0.47) {
      twilio.faults.rateLimit(1 + Math.floor(rand() * 12), {
        retryAfterSeconds: Math.floor(rand() * 3),
      });
      name = '429 storm';
    } else if (pick < 0.62) {
      twilio.faults.serverError(1, rand() < 0.5 ? 500 : 503);
      name = '5xx';
      uncertain = true;
    } else if (pick < 0.75) {
      twilio.faults.malformed(1, MALFORMED[Math.floor(rand() * MALFORMED.length)] as MalformedKind);
      name = 'unreadable answer';
      uncertain = true;
    } else {
      twilio.faults.slow(1, Math.floor(rand() * 4));
      name = 'slow answer';
    }
    counts.faults[name] = (counts.faults[name] ?? 0) + 1;
  }
  return uncertain;
}

/** The carrier: moves queued messages of this run on, mostly to delivered. */
function carrier(rand: () => number, to: string): () => void {
  return () => {
    for (const m of twilio.createdMessages()) {
      if (m.to !== to || m.status !== 'queued') continue;
      const r = rand();
      if (r < 0.8) twilio.setMessageStatus(m.sid, 'delivered');
      else if (r < 0.9) twilio.setMessageStatus(m.sid, 'sent');
      else twilio.setMessageStatus(m.sid, 'undelivered', 30007);
    }
    for (const m of twilio.createdMessages()) {
      if (m.to === to && m.status === 'sent' && rand() < 0.5)
        twilio.setMessageStatus(m.sid, 'delivered');
    }
  };
}

async function allRows(worker: Worker, sends: NewSend[]): Promise<SendRow[]> {
  const rows = await Promise.all(sends.map((s) => worker.store.outbox.get(s.id)));
  return rows.filter((r): r is SendRow => r !== null);
}

async function oneRun(seed: number, counts: Counts): Promise<void> {
  const rand = random(seed);
  twilio.faults.clear();
  const to = `+1628${(2000000 + seed).toString().padStart(7, '0')}`;
  const factory = newFactory();
  const first = new Worker(factory, twilio, clock, { timeoutMs: TIMEOUT_MS });

  // The sends of this run: some double-clicked, some pairs from two tabs with the same text.
  const sends: NewSend[] = [];
  const clicks: NewSend[] = [];
  const howMany = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < howMany; i++) {
    const send = newSend(clock, { to });
    sends.push(send);
    clicks.push(send);
    if (rand() < 0.3) clicks.push(send);
    if (rand() < 0.2) {
      const otherTab = newSend(clock, { to, body: send.body });
      sends.push(otherTab);
      clicks.push(otherTab);
    }
  }
  let uncertain = injectFaults(rand, counts);
  const kill = rand() < 0.3;
  await Promise.all(clicks.map((send) => first.outbox.enqueue(send)));
  const move = carrier(rand, to);

  let second = first;
  if (kill) {
    uncertain = true;
    counts.killed += 1;
    const running = first.outbox.runDue().catch(() => undefined);
    await sleep(Math.floor(rand() * 4));
    first.kill();
    await running;
    // The browser starts a new worker on the next event: a new connection, client and outbox.
    second = new Worker(factory, twilio, clock, { timeoutMs: TIMEOUT_MS });
    await second.outbox.resume();
  }
  await second.drain(move);

  const rows = await allRows(second, sends);
  const created = twilio.createdMessages().filter((m) => m.to === to);
  const context = `seed ${seed}`;

  // Nothing lost: every send is stored and ended delivered, undelivered, failed or unknown.
  counts.lost += sends.length - rows.filter((r) => FINAL.has(r.state)).length;
  expect(rows.length, context).toBe(sends.length);
  for (const row of rows) {
    expect(FINAL.has(row.state), `${context}: ${row.id} ended ${row.state}`).toBe(true);
    expect(row.nextMs, `${context}: ${row.id} still has work`).toBeUndefined();
    counts.states[row.state] = (counts.states[row.state] ?? 0) + 1;
  }

  // Nothing twice: per text, no more messages than sends, and one message settles one send.
  for (const body of new Set(sends.map((s) => s.body))) {
    const ofBody = sends.filter((s) => s.body === body).length;
    const made = created.filter((m) => m.body === body).length;
    counts.duplicates += Math.max(0, made - ofBody);
    expect(
      made,
      `${context}: "${body}" created ${made} times for ${ofBody} sends`,
    ).toBeLessThanOrEqual(ofBody);
  }
  const held = rows.flatMap((r) => (r.providerId === undefined ? [] : [r.providerId]));
  expect(new Set(held).size, `${context}: a message settles two sends`).toBe(held.length);
  const sids = new Set(created.map((m) => m.sid));
  for (const sid of held)
    expect(sids.has(sid), `${context}: ${sid} is not a created message`).toBe(true);
  for (const row of rows) {
    // A send Twilio refused outright, or one never posted, holds no message; one holding a message was posted once.
    if (row.providerId !== undefined) expect(row.state === 'unknown', context).toBe(false);
    expect(row.attempts, context).toBeGreaterThanOrEqual(row.state === 'failed' ? 0 : 1);
  }
  // A message nobody holds belongs to an unknown send: the connection died and the log lookup missed it.
  const unknown = rows.filter((r) => r.state === 'unknown').length;
  expect(created.length - held.length, `${context}: unheld messages`).toBeLessThanOrEqual(unknown);
  // "Unknown" only where the outcome of a post really was uncertain.
  if (!uncertain) expect(unknown, `${context}: unknown without any uncertain fault`).toBe(0);

  // After a restart the outbox is settled: a new worker finds nothing to do and asks Twilio nothing.
  const requests = twilio.requests.length;
  const third = new Worker(factory, twilio, clock, { timeoutMs: TIMEOUT_MS });
  expect(await third.store.outbox.nextDueMs(), context).toBeNull();
  await third.drain();
  expect(twilio.requests.length, context).toBe(requests);
  expect(await allRows(third, sends), context).toEqual(rows);
  counts.sends += sends.length;
  counts.created += created.length;
  counts.runs += 1;
  for (const w of [first, second, third]) w.store.close();
}

describe('the outbox under faults', () => {
  it(`loses nothing and sends nothing twice in ${RUNS} seeded runs`, {
    timeout: 120_000,
  }, async () => {
    const counts: Counts = {
      runs: 0,
      sends: 0,
      created: 0,
      duplicates: 0,
      lost: 0,
      killed: 0,
      faults: {},
      states: {},
    };
    const started = Date.now();
    for (let seed = 1; seed <= RUNS; seed++) await oneRun(seed, counts);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      [
        `fault suite: ${counts.runs} runs in ${seconds} s, ${counts.sends} sends, ${counts.created} messages created`,
        `  duplicates ${counts.duplicates}, lost ${counts.lost}, workers killed mid-send ${counts.killed}`,
        `  end states ${JSON.stringify(counts.states)}`,
        `  faults ${JSON.stringify(counts.faults)}`,
      ].join('\n'),
    );
    expect(counts.runs).toBe(RUNS);
    expect(counts.duplicates).toBe(0);
    expect(counts.lost).toBe(0);
    // The mix reached every kind of fault and outcome, or the suite proves less than it says.
    expect(Object.keys(counts.faults).length).toBe(7);
    expect(counts.killed).toBeGreaterThan(0);
    expect(counts.states.unknown ?? 0).toBeGreaterThan(0);
    expect(counts.states.delivered ?? 0).toBeGreaterThan(counts.sends / 2);
  });
});
