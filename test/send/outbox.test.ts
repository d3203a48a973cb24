import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeTwilio } from '../fakes';
import { expectNoViolations } from '../fakes';
import { Clock, FROM, fakeTwilio, newFactory, newSend, Worker } from './harness';

let clock: Clock;
let twilio: FakeTwilio;
let to: string;
let contact = 0;

beforeAll(async () => {
  clock = new Clock();
  twilio = await fakeTwilio(clock);
});

beforeEach(() => {
  twilio.faults.clear();
  contact += 1;
  // A recipient of its own per test keeps lookups apart.
  to = `+1628555${(1000 + contact).toString()}`;
});

const deliverAll = () => {
  for (const m of twilio.createdMessages()) {
    if (m.status === 'queued') twilio.setMessageStatus(m.sid, 'delivered');
  }
};

describe('the outbox', () => {
  it('writes the send before posting, posts it once and polls it to delivered', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    const send = newSend(clock, { to });
    const { row, created } = await worker.outbox.enqueue(send);
    expect(created).toBe(true);
    expect(row.state).toBe('queued');
    await worker.drain(deliverAll);
    const done = await worker.store.outbox.get(send.id);
    expect(done).toMatchObject({ state: 'delivered', attempts: 1, providerStatus: 'delivered' });
    expect(done?.nextMs).toBeUndefined();
    const sent = twilio.createdMessages().filter((m) => m.to === to);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ from: FROM, body: send.body, sid: done?.providerId });
    expectNoViolations(twilio);
  });

  it('answers the stored send to a repeated request with the same key, and sends once', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    const send = newSend(clock, { to });
    const [a, b] = await Promise.all([worker.outbox.enqueue(send), worker.outbox.enqueue(send)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    await worker.drain(deliverAll);
    expect(twilio.createdMessages().filter((m) => m.to === to)).toHaveLength(1);
  });

  it('settles a post whose connection dropped after Twilio created the message, without posting again', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    const send = newSend(clock, { to });
    twilio.faults.drop(1, { afterHandling: true });
    await worker.outbox.enqueue(send);
    await worker.drain(deliverAll);
    const row = await worker.store.outbox.get(send.id);
    const sent = twilio.createdMessages().filter((m) => m.to === to);
    expect(sent).toHaveLength(1);
    expect(row).toMatchObject({
      state: 'delivered',
      attempts: 1,
      providerId: sent[0]?.sid,
      settledBy: 'lookup',
    });
  });

  it('calls a send unknown when the connection dropped before Twilio saw it, and sends it again only when asked', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    const send = newSend(clock, { to });
    twilio.faults.drop(1);
    await worker.outbox.enqueue(send);
    await worker.drain(deliverAll);
    const row = await worker.store.outbox.get(send.id);
    expect(row).toMatchObject({ state: 'unknown', attempts: 1, lookups: 3 });
    expect(twilio.createdMessages().filter((m) => m.to === to)).toHaveLength(0);

    const again = await worker.outbox.sendAgain(send.id, `${send.id}-again`);
    expect(again?.state).toBe('queued');
    // A second "send again" of the same unknown send does nothing.
    expect(await worker.outbox.sendAgain(send.id, `${send.id}-again2`)).toBeNull();
    await worker.drain(deliverAll);
    expect(await worker.store.outbox.get(`${send.id}-again`)).toMatchObject({ state: 'delivered' });
    expect((await worker.store.outbox.get(send.id))?.resentAs).toBe(`${send.id}-again`);
    expect(twilio.createdMessages().filter((m) => m.to === to)).toHaveLength(1);
  });

  it('retries a 429 after the wait Twilio asks for, and only a 429', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    const send = newSend(clock, { to });
    // The client retries twice itself; the fourth 429 reaches the outbox.
    twilio.faults.rateLimit(4, { retryAfterSeconds: 7 });
    const before = clock.ms;
    await worker.outbox.enqueue(send);
    await worker.drain(deliverAll);
    const row = await worker.store.outbox.get(send.id);
    expect(row).toMatchObject({ state: 'delivered', attempts: 2 });
    expect(row?.postedMs).toBeGreaterThanOrEqual(before + 7000);
    expect(twilio.createdMessages().filter((m) => m.to === to)).toHaveLength(1);
  });

  it('fails a send Twilio refuses, in plain words, and blocks the pair after 21610', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    twilio.addMessage({
      from: to,
      to: FROM,
      body: 'STOP',
      direction: 'inbound',
      dateSent: new Date(clock.ms - 1000),
    });
    const send = newSend(clock, { to });
    await worker.outbox.enqueue(send);
    await worker.drain();
    const row = await worker.store.outbox.get(send.id);
    expect(row).toMatchObject({ state: 'failed', errorCode: 21610 });
    expect(await worker.store.outbox.blockedSince('loc-1', FROM, to)).not.toBeNull();
  });

  it('settles, after a wake, a send whose worker was stopped mid-post', async () => {
    const factory = newFactory();
    const first = new Worker(factory, twilio, clock);
    const send = newSend(clock, { to });
    twilio.faults.slow(1, 50);
    await first.outbox.enqueue(send);
    // The post is on the wire (the fake holds it 50 ms) when the worker stops.
    await new Promise((r) => setTimeout(r, 10));
    expect((await first.store.outbox.get(send.id))?.state).toBe('sending');
    first.kill();
    await new Promise((r) => setTimeout(r, 60));
    const second = new Worker(factory, twilio, clock);
    await second.drain(deliverAll);
    const row = await second.store.outbox.get(send.id);
    const sent = twilio.createdMessages().filter((m) => m.to === to);
    expect(sent.length).toBeLessThanOrEqual(1);
    expect(row?.state).toBe(sent.length === 1 ? 'delivered' : 'unknown');
    expect(row?.attempts).toBe(1);
  });

  it('keeps a failed delivery’s code and polls no more', async () => {
    const worker = new Worker(newFactory(), twilio, clock);
    const send = newSend(clock, { to });
    await worker.outbox.enqueue(send);
    await worker.drain(() => {
      for (const m of twilio.createdMessages()) {
        if (m.to === to && m.status === 'queued')
          twilio.setMessageStatus(m.sid, 'undelivered', 30007);
      }
    });
    expect(await worker.store.outbox.get(send.id)).toMatchObject({
      state: 'undelivered',
      errorCode: 30007,
    });
  });
});
