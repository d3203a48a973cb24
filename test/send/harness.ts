import 'fake-indexeddb/auto';
/**
 * An outbox over fake-indexeddb and the contract fake of Twilio, on a clock
 * the test moves: `drain` works on everything due, then jumps the clock to
 * the next due send, until nothing is left.
 */
import { IDBFactory } from 'fake-indexeddb';
import { Outbox, type OutboxTiming, twilioChannel } from '../../lib/send';
import { type NewSend, Store } from '../../lib/store';
import { TwilioClient } from '../../lib/twilio';
import { createFakeTwilio, type FakeTwilio } from '../fakes';

export const START_MS = Date.parse('2026-12-02T12:00:00Z');
export const FROM = '+14155550101';

/** One clock for the outbox, the store and the fake. */
export class Clock {
  constructor(public ms = START_MS) {}
  now = () => this.ms;
}

export async function fakeTwilio(clock: Clock): Promise<FakeTwilio> {
  const twilio = await createFakeTwilio({ now: () => new Date(clock.ms) });
  twilio.addIncomingNumber({ phoneNumber: FROM, sms: true });
  twilio.addIncomingNumber({ phoneNumber: '+14155550102', sms: false, voice: true });
  return twilio;
}

/** One "worker": its own store connection, client and outbox; `kill` stops it dead. */
export class Worker {
  readonly store: Store;
  readonly outbox: Outbox;
  private readonly abort = new AbortController();

  constructor(
    factory: IDBFactory,
    readonly twilio: FakeTwilio,
    readonly clock: Clock,
    options: { timeoutMs?: number; timing?: Partial<OutboxTiming>; concurrency?: number } = {},
  ) {
    this.store = new Store({ factory, now: clock.now });
    const client = new TwilioClient({
      credentials: {
        kind: 'auth-token',
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
      },
      fetch: twilio.fetch,
      sleep: async () => {},
      random: () => 0,
      maxRetries: 2,
      timeoutMs: options.timeoutMs ?? 1000,
      signal: this.abort.signal,
    });
    const channel = twilioChannel(client);
    this.outbox = new Outbox({
      rows: this.store.outbox,
      channel: async () => channel,
      now: clock.now,
      ...(options.timing ? { timing: options.timing } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
  }

  /** What Chrome does to a worker: it stops, mid-request or not, and writes nothing more. */
  kill(): void {
    this.outbox.stop();
    this.abort.abort();
    this.store.close();
  }

  /**
   * Runs until no send has work left; between passes the clock jumps to the
   * next due send and `between` runs (e.g. the carrier moving statuses).
   * Answers the passes made.
   */
  async drain(between: () => void = () => {}, maxPasses = 500): Promise<number> {
    for (let pass = 1; pass <= maxPasses; pass++) {
      await this.outbox.runDue();
      between();
      const next = await this.store.outbox.nextDueMs();
      if (next === null) return pass;
      this.clock.ms = Math.max(this.clock.ms, next);
    }
    throw new Error(`the outbox still had work after ${maxPasses} passes`);
  }
}

export function newFactory(): IDBFactory {
  return new IDBFactory();
}

let serial = 0;

/** A send as the background would queue it. */
export function newSend(clock: Clock, overrides: Partial<NewSend> = {}): NewSend {
  serial += 1;
  return {
    id: `send-${serial.toString().padStart(6, '0')}`,
    locationId: 'loc-1',
    conversationId: 'conv-1',
    contactId: 'contact-1',
    route: 'twilio',
    from: FROM,
    to: '+16285550121',
    body: `Hello number ${serial}`,
    mediaUrls: [],
    rule: 'user-number',
    trace: ['Your number: +14155550101 is assigned to you'],
    picked: false,
    createdMs: clock.ms,
    ...overrides,
  };
}
