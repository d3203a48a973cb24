/**
 * The outbox: every send is written to IndexedDB before anything goes on the
 * wire, then moved along by steps that each start from what is stored, so a
 * worker stopped at any point resumes on wake:
 *
 *   queued ──post──> sending ──answer──> sent ──poll──> delivered | undelivered | failed
 *                      │  └── refused ──> failed
 *                      └── uncertain (dropped, timeout, 5xx) ──lookup──> sent | unknown
 *
 * Twilio has no idempotency key for creating a message, so a post whose
 * outcome is uncertain is never posted again: the send is looked for in the
 * provider's log and settled from what is found. What cannot be settled is
 * `unknown`, and only a person's deliberate "send again" sends it anew. A
 * worker stopped mid-post leaves the send `sending`, which the next worker
 * settles the same way. A 429 is the one answer that proves nothing was
 * created, so only it sends the request again (after the wait it asks for).
 */
import { type ApiError, InputError, isApiError } from '../http/errors';
import type { NewSend, OutboxRows, SendChange, SendRow } from '../store';
import type { ProviderMessage, SendChannel } from './channels';
import { explainCode, FINAL_STATES, stateOfProviderStatus } from './status';

export interface OutboxTiming {
  /** A send still `sending` this long after its post is settled by a lookup (the worker died). */
  settleAfterMs: number;
  /** Waits between lookups that found nothing, then the send is unknown. */
  lookupDelaysMs: readonly number[];
  /** Waits between lookups that failed (the provider could not be reached). */
  lookupErrorDelaysMs: readonly number[];
  /** The first wait before a status poll; doubled after each poll up to `pollMaxMs`. */
  pollFirstMs: number;
  pollMaxMs: number;
  /** How long after the post statuses are polled; afterwards the send stays `sent`. */
  pollForMs: number;
  /** Posts turned away by rate limiting before the send fails. */
  maxRateLimited: number;
}

const DEFAULT_TIMING: OutboxTiming = {
  settleAfterMs: 60_000,
  lookupDelaysMs: [3_000, 10_000],
  lookupErrorDelaysMs: [2_000, 5_000, 15_000, 60_000],
  pollFirstMs: 2_000,
  pollMaxMs: 5 * 60_000,
  pollForMs: 24 * 60 * 60_000,
  maxRateLimited: 8,
};

export interface OutboxDeps {
  rows: OutboxRows;
  /** The channel of the send's route; null when its credentials are gone. */
  channel(send: SendRow): Promise<SendChannel | null>;
  now(): number;
  /** Every change of a send, for the tabs and the log. */
  onChange?(send: SendRow): void;
  /** Whether settled sends lose their bodies (the send log setting). */
  omitBodies?(): Promise<boolean>;
  /** Runs `run` after `ms`; the worker's timers. Tests leave it out and call runDue. */
  setTimer?(run: () => void, ms: number): void;
  /** Asks the browser to wake the worker at `atMs` (an alarm), for work due after it may sleep. */
  wakeAt?(atMs: number): void;
  /** Sends worked on at once; default 4. */
  concurrency?: number;
  timing?: Partial<OutboxTiming>;
}

const NO_CREDENTIALS =
  'The credentials for this route were removed before the send went out; save them in Sender Lens options.';
const UNSETTLED =
  'Sender Lens lost the connection while sending and could not find the message in the provider’s log. Check the conversation (or Twilio’s message log) before sending again.';
const RATE_LIMITED = 'The provider kept limiting requests; try sending again in a few minutes.';

/** The order due sends are worked on in: the lower first. */
const PRIORITY: Record<SendRow['state'], number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  unknown: 3,
};

/** Thrown inside a step once the outbox was stopped: the step ends without writing. */
class Stopped extends Error {}

/** The outbox of one worker over the store's rows. */
export class Outbox {
  private readonly timing: OutboxTiming;
  private readonly inFlight = new Set<string>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timerAt: number | null = null;
  private readonly channels = new Map<string, Promise<SendChannel | null>>();

  constructor(private readonly deps: OutboxDeps) {
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
  }

  /** Writes a send (once per id) and starts it; answers the stored send. */
  async enqueue(send: NewSend): Promise<{ row: SendRow; created: boolean }> {
    const added = await this.deps.rows.add(send);
    if (added.created) {
      this.deps.onChange?.(added.row);
      this.kick();
    }
    return added;
  }

  /**
   * A new send copying an unknown one, under a fresh id: the person has
   * checked and chosen to send again. The unknown one records which send
   * replaced it. Null when the send is not unknown (or was sent again already).
   */
  async sendAgain(id: string, newId: string): Promise<SendRow | null> {
    const old = await this.deps.rows.get(id);
    if (old === null || old.state !== 'unknown' || old.resentAs !== undefined) return null;
    const { row } = await this.deps.rows.add({
      id: newId,
      locationId: old.locationId,
      conversationId: old.conversationId,
      contactId: old.contactId,
      ...(old.userId === undefined ? {} : { userId: old.userId }),
      ...(old.userIdFrom === undefined ? {} : { userIdFrom: old.userIdFrom }),
      route: old.route,
      from: old.from,
      to: old.to,
      body: old.body,
      mediaUrls: old.mediaUrls,
      rule: old.rule,
      trace: old.trace,
      picked: old.picked,
      createdMs: this.deps.now(),
    });
    const marked = await this.deps.rows.transition(id, ['unknown'], { resentAs: newId });
    if (marked) {
      this.deps.onChange?.(marked);
      if (this.deps.omitBodies && (await this.deps.omitBodies())) await this.deps.rows.omitBody(id);
    }
    this.deps.onChange?.(row);
    this.kick();
    return row;
  }

  /**
   * Called once when a worker starts: a send left `sending` was posted by a
   * worker that has died, since this one has posted nothing yet, so it is
   * settled now rather than when its wait runs out. Then works on what is due.
   */
  async resume(): Promise<void> {
    const now = this.deps.now();
    const pending = await this.deps.rows.due(Number.POSITIVE_INFINITY, 1000);
    for (const row of pending) {
      if (row.state !== 'sending' || this.inFlight.has(row.id) || (row.nextMs ?? 0) <= now)
        continue;
      await this.change(row.id, ['sending'], { nextMs: now });
    }
    await this.runDue();
  }

  /** Works on due sends soon (in this turn of the event loop's next task). */
  kick(): void {
    void this.runDue().catch(() => undefined);
  }

  /**
   * Works on every send that is due now until none is; a call while a run is
   * going makes that run look again. Resolves when the run ends.
   */
  runDue(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.stopped);
    })();
    this.running = run.finally(() => {
      this.running = null;
      void this.schedule().catch(() => undefined);
    });
    return this.running;
  }

  /** Stops this outbox: nothing more is written (what a stopped worker does). */
  stop(): void {
    this.stopped = true;
  }

  /**
   * The channel of a send's route, made once per batch of due sends: building
   * a client reads the saved credentials, and a batch of a thousand sends
   * need not read them a thousand times. A credential change applies from
   * the next batch.
   */
  private channelOf(row: SendRow): Promise<SendChannel | null> {
    const key = `${row.route}:${row.locationId}`;
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = this.deps.channel(row);
      this.channels.set(key, channel);
      channel.catch(() => this.channels.delete(key));
    }
    return channel;
  }

  private async pass(): Promise<void> {
    for (;;) {
      this.channels.clear();
      const due = (await this.deps.rows.due(this.deps.now(), 200))
        .filter((row) => !this.inFlight.has(row.id))
        // Posts and settling first: a status poll can wait, a text the agent sent should not.
        .sort((a, b) => PRIORITY[a.state] - PRIORITY[b.state]);
      if (due.length === 0 || this.stopped) return;
      let next = 0;
      // The next queued send, taken for a worker that will post it right after its current one.
      const takeQueued = (): SendRow | undefined => {
        const row = due[next];
        if (row === undefined || row.state !== 'queued' || this.stopped) return undefined;
        next += 1;
        this.inFlight.add(row.id);
        return row;
      };
      const worker = async () => {
        let taken = undefined as SendRow | undefined;
        let carried = null as SendRow | null;
        while ((carried !== null || next < due.length) && !this.stopped) {
          const row: SendRow = carried ?? (due[next++] as SendRow);
          const wasMarked: boolean = carried !== null;
          carried = null;
          taken = undefined;
          this.inFlight.add(row.id);
          try {
            carried = wasMarked
              ? await this.post(row, true, () => (taken = takeQueued()))
              : await this.step(row, () => (taken = takeQueued()));
          } catch (error) {
            if (!(error instanceof Stopped)) await this.parkAfterCrash(row);
          } finally {
            this.inFlight.delete(row.id);
            // A queued send taken but not marked is left for the next pass.
            const left = taken as SendRow | undefined;
            if (left !== undefined && (carried as SendRow | null)?.id !== left.id) {
              this.inFlight.delete(left.id);
            }
          }
        }
      };
      const workers = Math.min(this.deps.concurrency ?? 4, due.length);
      await Promise.all(Array.from({ length: workers }, worker));
    }
  }

  /** Sets a timer (and an alarm, in case the worker sleeps) for the next due send. */
  private async schedule(): Promise<void> {
    if (this.stopped) return;
    const next = await this.deps.rows.nextDueMs();
    if (next === null) return;
    this.deps.wakeAt?.(next);
    const { setTimer } = this.deps;
    if (setTimer === undefined || (this.timerAt !== null && this.timerAt <= next)) return;
    this.timerAt = next;
    setTimer(
      () => {
        this.timerAt = null;
        this.kick();
      },
      Math.max(0, next - this.deps.now()),
    );
  }

  /** One step of a send; answers a queued send it marked as posting, to be posted next. */
  private async step(row: SendRow, next: () => SendRow | undefined): Promise<SendRow | null> {
    switch (row.state) {
      case 'queued':
        return this.post(row, false, next);
      case 'sending':
        await this.settle(row);
        return null;
      case 'sent':
        await this.poll(row);
        return null;
      default:
        // A final send has nothing left to do.
        await this.change(row.id, FINAL_STATES, { nextMs: undefined });
        return null;
    }
  }

  /**
   * Posts a queued send. `marked` is the send already marked as posting (by
   * the previous send's settlement); `next` gives the queued send to post
   * after this one, which is then marked in this one's settlement. Answers
   * that marked send, for the caller to post next.
   */
  private async post(
    queued: SendRow,
    marked: boolean,
    next: () => SendRow | undefined,
  ): Promise<SendRow | null> {
    // Written before the request leaves: a worker that dies now leaves a
    // send that the next one settles by lookup, never posts again.
    const row = marked
      ? queued
      : await this.change(queued.id, ['queued'], (r) => this.postingChange(r));
    if (row === null) return null;
    const channel = await this.channelOf(row);
    if (channel === null) {
      await this.change(row.id, ['sending'], failure(NO_CREDENTIALS));
      return null;
    }
    let answer: ProviderMessage;
    try {
      answer = await channel.post(row);
    } catch (error) {
      this.live();
      await this.afterPostError(row, error);
      return null;
    }
    this.live();
    return this.settled(row, answer, false, next());
  }

  private async afterPostError(row: SendRow, error: unknown): Promise<void> {
    if (error instanceof InputError) {
      await this.change(
        row.id,
        ['sending'],
        failure(`Sender Lens refused to send: ${error.message}.`),
      );
      return;
    }
    if (!isApiError(error) || isUncertain(error)) {
      // It may have gone out: look before anything else.
      await this.change(row.id, ['sending'], { nextMs: this.deps.now(), lookups: 0 });
      return;
    }
    if (error.kind === 'rate-limited') {
      if (row.attempts >= this.timing.maxRateLimited) {
        await this.change(row.id, ['sending'], failure(RATE_LIMITED, error.code));
        return;
      }
      const wait = Math.max(error.retryAfterMs ?? 0, 1000 * 2 ** Math.min(row.attempts, 6));
      await this.change(row.id, ['sending'], { state: 'queued', nextMs: this.deps.now() + wait });
      return;
    }
    // Refused outright: nothing was created.
    if (error.code === 21610)
      await this.guarded(() => this.deps.rows.blockPair(row.locationId, row.from, row.to));
    const text = error.code === undefined ? error.message : explainCode(error.code).reason;
    await this.change(row.id, ['sending'], failure(text, error.code));
  }

  /** Looks for an uncertain send in the provider's log. */
  private async settle(row: SendRow): Promise<void> {
    const channel = await this.channelOf(row);
    if (channel === null) {
      await this.change(row.id, ['sending'], { ...failure(UNSETTLED), state: 'unknown' });
      return;
    }
    let found: ProviderMessage | null;
    try {
      found = await channel.lookup(row, async (providerId) => {
        const holder = await this.deps.rows.byProviderId(providerId);
        return holder !== null && holder.id !== row.id;
      });
    } catch {
      this.live();
      await this.lookAgainOrGiveUp(row, this.timing.lookupErrorDelaysMs);
      return;
    }
    this.live();
    if (found !== null) {
      await this.settled(row, found, true);
      return;
    }
    // The log can lag behind the post: look again before giving up.
    await this.lookAgainOrGiveUp(row, this.timing.lookupDelaysMs);
  }

  /** Another lookup after the next of `delays`, or `unknown` once they are used up. */
  private async lookAgainOrGiveUp(row: SendRow, delays: readonly number[]): Promise<void> {
    const tries = row.lookups + 1;
    await this.change(
      row.id,
      ['sending'],
      tries > delays.length
        ? { ...failure(UNSETTLED), state: 'unknown', lookups: tries }
        : { lookups: tries, nextMs: this.deps.now() + (delays[tries - 1] as number) },
    );
  }

  /** The provider has the message: record it, learn from it, and poll it unless final. */
  private async settled(
    row: SendRow,
    message: ProviderMessage,
    byLookup: boolean,
    following?: SendRow,
  ): Promise<SendRow | null> {
    const state = stateOfProviderStatus(message.status);
    const change: SendChange = {
      state,
      providerStatus: message.status,
      polls: 0,
      nextMs: state === 'sent' ? this.deps.now() + this.timing.pollFirstMs : undefined,
      ...(message.errorCode === null ? {} : codeChange(message.errorCode)),
    };
    const result = await this.guarded(() =>
      this.deps.rows.claim(
        row.id,
        ['sending'],
        message.providerId,
        change,
        byLookup ? 'lookup' : 'answer',
        {
          number: row.from,
          direction: 'outbound',
          atMs: row.postedMs ?? row.createdMs,
          manual: row.picked,
          sid: message.providerId,
        },
        following && { id: following.id, change: (r) => this.postingChange(r) },
      ),
    );
    const { row: claimed, marked } = result;
    if (marked) this.deps.onChange?.(marked);
    if (claimed === null) {
      if (byLookup) {
        // Another send took that message in the meantime: look again.
        await this.change(row.id, ['sending'], { nextMs: this.deps.now() });
      }
      return marked;
    }
    this.deps.onChange?.(claimed);
    await this.afterFinal(claimed);
    return marked;
  }

  /** What a send becomes as its create request leaves. */
  private postingChange(row: SendRow): SendChange {
    const now = this.deps.now();
    return {
      state: 'sending',
      attempts: row.attempts + 1,
      postedMs: now,
      nextMs: now + this.timing.settleAfterMs,
    };
  }

  private async poll(row: SendRow): Promise<void> {
    const channel = row.providerId === undefined ? null : await this.channelOf(row);
    const postedMs = row.postedMs ?? row.createdMs;
    const expired = this.deps.now() - postedMs > this.timing.pollForMs;
    if (channel === null || row.providerId === undefined || expired) {
      // Nothing more can be learnt: the send stays `sent`.
      await this.change(row.id, ['sent'], { nextMs: undefined });
      return;
    }
    let message: ProviderMessage;
    try {
      message = await channel.status(row.providerId);
    } catch {
      this.live();
      await this.change(row.id, ['sent'], (r) => ({
        polls: r.polls + 1,
        nextMs: this.deps.now() + this.pollDelay(r.polls + 1),
      }));
      return;
    }
    this.live();
    const state = stateOfProviderStatus(message.status);
    const updated = await this.change(row.id, ['sent'], (r) => ({
      state,
      providerStatus: message.status,
      polls: r.polls + 1,
      nextMs: state === 'sent' ? this.deps.now() + this.pollDelay(r.polls + 1) : undefined,
      ...(message.errorCode === null ? {} : codeChange(message.errorCode)),
    }));
    if (updated === null) return;
    if (message.errorCode === 21610) {
      await this.guarded(() => this.deps.rows.blockPair(row.locationId, row.from, row.to));
    }
    await this.afterFinal(updated);
  }

  private pollDelay(polls: number): number {
    return Math.min(this.timing.pollFirstMs * 2 ** polls, this.timing.pollMaxMs);
  }

  private async afterFinal(row: SendRow): Promise<void> {
    // An unknown send keeps its body until it is sent again: "send again" needs it.
    if (!FINAL_STATES.includes(row.state) || row.state === 'unknown') return;
    if (this.deps.omitBodies && (await this.deps.omitBodies())) {
      await this.guarded(() => this.deps.rows.omitBody(row.id));
    }
  }

  /**
   * A step failed in a way no branch expected (the database, a bug): the
   * send is looked at again later rather than left stuck.
   */
  private async parkAfterCrash(row: SendRow): Promise<void> {
    try {
      await this.change(row.id, [row.state], {
        nextMs: this.deps.now() + this.timing.settleAfterMs,
      });
    } catch {
      // The database itself failed; the send is still due and the next wake tries.
    }
  }

  private async change(
    id: string,
    from: readonly SendRow['state'][],
    change: SendChange | ((row: SendRow) => SendChange),
  ): Promise<SendRow | null> {
    const row = await this.guarded(() => this.deps.rows.transition(id, from, change));
    if (row !== null) this.deps.onChange?.(row);
    return row;
  }

  private async guarded<T>(write: () => Promise<T>): Promise<T> {
    this.live();
    return write();
  }

  private live(): void {
    if (this.stopped) throw new Stopped();
  }
}

/** A dropped connection, a timeout, a 5xx or an unreadable answer: the message may exist. */
function isUncertain(error: ApiError): boolean {
  return ['network', 'timeout', 'server', 'malformed', 'aborted'].includes(error.kind);
}

function failure(text: string, code?: number): SendChange {
  return {
    state: 'failed',
    errorText: text,
    nextMs: undefined,
    ...(code === undefined ? {} : { errorCode: code }),
  };
}

function codeChange(code: number): SendChange {
  return { errorCode: code, errorText: explainCode(code).reason };
}
