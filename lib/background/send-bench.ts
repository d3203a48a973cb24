/**
 * The worker's side of `npm run bench:send`, installed only in e2e builds
 * (entrypoints/background.ts; production builds leave it out). It queues
 * many sends at once through the send handler, as the page's requests do,
 * and, as the baseline of the same run, posts the same number of messages
 * straight through the Twilio client with the outbox's concurrency, timing
 * each from the moment it was asked for to the moment its POST left.
 */
import type { Handlers, VerifiedSender } from '../messaging/background';
import type { sendRequests } from '../messaging/requests/send';
import type { Outbox } from '../send';
import type { BackgroundServices } from './services';

/** Where the bench finds the hooks in the worker's global scope. */
export const SEND_BENCH_GLOBAL = '__senderLensSendBench';

export interface SendBenchInput {
  /** `handler`: as a page's request (rules, guards, outbox); `outbox`: resolved sends straight into the outbox; `direct`: the client alone. */
  mode: 'handler' | 'outbox' | 'direct';
  count: number;
  locationId: string;
  conversationId: string;
  contactId: string;
  userId: string;
  /** For the direct baseline: the numbers the outbox would use. */
  from: string;
  to: string;
  /** Sent bodies start with it, so runs do not mix. */
  prefix: string;
  concurrency: number;
}

export interface SendBenchResult {
  wallMs: number;
  /** Per send: asked for → its POST left, in ms, in the order asked. */
  toPostMs: number[];
  /** Sends whose POST never left within the time limit. */
  missing: number;
}

type Ready = () => Promise<{
  services: BackgroundServices;
  outbox: Outbox;
  handlers: Pick<Handlers<typeof sendRequests>, 'send'>;
}>;

const POST_TIMEOUT_MS = 180_000;

export function installSendBench(ready: Ready): void {
  (globalThis as Record<string, unknown>)[SEND_BENCH_GLOBAL] = {
    async run(input: SendBenchInput): Promise<SendBenchResult> {
      const { services, handlers, outbox } = await ready();
      const posted = new Map<string, number>();
      const realFetch = globalThis.fetch;
      // Notes when each create request leaves; everything else passes through untouched.
      globalThis.fetch = ((resource: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'POST' && typeof init.body === 'string') {
          const body = new URLSearchParams(init.body).get('Body');
          if (body?.startsWith(input.prefix)) posted.set(body, performance.now());
        }
        return realFetch(resource, init);
      }) as typeof fetch;
      const bodies = Array.from({ length: input.count }, (_, i) => `${input.prefix} ${i}`);
      const asked = new Map<string, number>();
      const started = performance.now();
      try {
        const key = (i: number) => `bench-${input.mode}-${input.prefix.replace(/\W/g, '')}-${i}`;
        if (input.mode === 'outbox') {
          await Promise.all(
            bodies.map((body, i) => {
              asked.set(body, performance.now());
              return outbox.enqueue({
                id: key(i),
                locationId: input.locationId,
                conversationId: input.conversationId,
                contactId: input.contactId,
                userId: input.userId,
                route: 'twilio',
                from: input.from,
                to: input.to,
                body,
                mediaUrls: [],
                rule: 'user-number',
                trace: ['Your number: bench'],
                picked: false,
                createdMs: Date.now(),
              });
            }),
          );
        } else if (input.mode === 'handler') {
          const sender: VerifiedSender = { context: 'extension-page', origin: 'bench' };
          await Promise.all(
            bodies.map((body, i) => {
              asked.set(body, performance.now());
              return handlers.send(
                {
                  locationId: input.locationId,
                  conversationId: input.conversationId,
                  contactId: input.contactId,
                  userId: input.userId,
                  key: key(i),
                  body,
                },
                sender,
              );
            }),
          );
        } else {
          const client = await services.twilio(input.locationId);
          if (client === null) throw new Error('no Twilio credentials saved');
          for (const body of bodies) asked.set(body, started);
          let next = 0;
          const worker = async () => {
            while (next < bodies.length) {
              const body = bodies[next++] as string;
              await client.createMessage({ from: input.from, to: input.to, body });
            }
          };
          await Promise.all(Array.from({ length: input.concurrency }, worker));
        }
        const deadline = performance.now() + POST_TIMEOUT_MS;
        while (posted.size < bodies.length && performance.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
        }
        const wallMs = performance.now() - started;
        const toPostMs = bodies.flatMap((b) => {
          const at = posted.get(b);
          return at === undefined ? [] : [at - (asked.get(b) as number)];
        });
        return { wallMs, toPostMs, missing: bodies.length - toPostMs.length };
      } finally {
        globalThis.fetch = realFetch;
      }
    },
  };
}
