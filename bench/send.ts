/**
 * `npm run bench:send`: 1,000 sends queued at once, in the extension's own
 * service worker (the e2e build in Debian's Chromium, real IndexedDB),
 * against the contract fake of Twilio served over loopback.
 *
 * The outbox side goes through the send handler as a page's request does:
 * the contact's data read from the store, the rules, every guard, the send
 * written to IndexedDB, then the outbox posts it (4 at a time) and writes
 * its answer. The baseline, in the same worker and the same run, posts the
 * same number of messages straight through the Twilio client, 4 at a time.
 * Each send is timed from the moment it was asked for to the moment its POST
 * left (the worker's fetch), so queueing behind the 4 is in both sides; the
 * outbox's overhead per send is the difference of the two walls over the
 * sends, and the difference of the medians.
 *
 * Flags: --sends (default 1000), --concurrency (default 4, the outbox's), --json.
 */
import { cpus, loadavg } from 'node:os';
import type { SendBenchInput, SendBenchResult } from '../lib/background/send-bench';
import {
  connectAndSync,
  E2E_EXTENSION_DIR,
  FIXTURE_NOW,
  launchWithExtension,
  pointAtFakes,
} from '../test/driver';
import {
  createFakeHighLevel,
  createFakeTwilio,
  seedBelievableSubAccount,
  serveFakes,
} from '../test/fakes';
import { readIntegerFlags } from './flags';

const flags = readIntegerFlags('send', { sends: 1000, concurrency: 4 });

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;

async function main(): Promise<void> {
  const [twilio, highlevel] = await Promise.all([createFakeTwilio(), createFakeHighLevel()]);
  const seeded = seedBelievableSubAccount(twilio, highlevel, { now: FIXTURE_NOW });
  const fakes = await serveFakes({ twilio, highlevel });
  const extension = await launchWithExtension({
    extensionDir: E2E_EXTENSION_DIR,
    serviceWorkers: 'block',
  });
  try {
    await pointAtFakes(extension, fakes);
    const settings = await extension.context.newPage();
    await settings.goto(`chrome-extension://${extension.extensionId}/options.html`);
    await connectAndSync(settings, { twilio, highlevel, locationId: seeded.locationId }, 60_000);
    const base: Omit<SendBenchInput, 'mode' | 'prefix'> = {
      count: flags.sends,
      locationId: seeded.locationId,
      conversationId: seeded.conversations.alice as string,
      contactId: seeded.contacts.alice,
      userId: seeded.users.jane,
      // Jane's own number to Alice: what the rules give the outbox side.
      from: seeded.numbers.jane.phone,
      to: seeded.contactPhones.alice as string,
      concurrency: flags.concurrency,
    };
    const run = (input: SendBenchInput) =>
      extension.serviceWorker.evaluate(
        `globalThis.__senderLensSendBench.run(${JSON.stringify(input)})`,
      ) as Promise<SendBenchResult>;
    const before = twilio.createdMessages().length;
    // The baseline first: the outbox's status polls would otherwise run beside it.
    const direct = await run({ ...base, mode: 'direct', prefix: 'Direct send' });
    const outbox = await run({ ...base, mode: 'outbox', prefix: 'Outbox send' });
    const handler = await run({ ...base, mode: 'handler', prefix: 'Handler send' });
    const created = twilio.createdMessages().length - before;

    const sorted = (r: SendBenchResult) => [...r.toPostMs].sort((a, b) => a - b);
    const [h, o, d] = [sorted(handler), sorted(outbox), sorted(direct)];
    const perSend = (r: SendBenchResult) => (r.wallMs - direct.wallMs) / flags.sends;
    const cells = (f: (r: SendBenchResult, s: number[]) => string) => [
      f(handler, h),
      f(outbox, o),
      f(direct, d),
    ];
    const rows: string[][] = [
      ['POSTs that left (missing)', ...cells((r, x) => `${x.length} (${r.missing})`)],
      ['click → POST, median', ...cells((_, x) => ms(quantile(x, 0.5)))],
      ['click → POST, p95', ...cells((_, x) => ms(quantile(x, 0.95)))],
      ['wall, until every POST left', ...cells((r) => ms(r.wallMs))],
      ['sends per second', ...cells((r) => ((flags.sends / r.wallMs) * 1000).toFixed(0))],
      ['overhead per send vs direct', ms(perSend(handler)), ms(perSend(outbox)), '—'],
    ];
    const summary = {
      outboxOverheadPerSendMs: perSend(outbox),
      handlerOverheadPerSendMs: perSend(handler),
      target: 'outbox overhead ≤ 5 ms per send',
      met: perSend(outbox) <= 5,
      messagesCreated: created,
      expectedCreated: 3 * flags.sends,
      machine: {
        cores: cpus().length,
        load: loadavg()
          .map((l) => l.toFixed(2))
          .join(' '),
      },
    };
    if (flags.json) {
      console.log(JSON.stringify({ handler, outbox, direct, summary }, null, 2));
      return;
    }
    const width = [30, 22, 22, 16];
    const line = (row: string[]) => row.map((c, k) => c.padEnd(width[k] as number)).join(' ');
    console.log(
      [
        `bench:send — ${flags.sends} sends queued at once, ${flags.concurrency} posted at a time, in the extension's worker (Chromium, IndexedDB), fake Twilio on loopback`,
        `machine: ${summary.machine.cores} cores, load ${summary.machine.load}`,
        '',
        line(['', 'page request → outbox', 'outbox alone', 'client alone']),
        ...rows.map(line),
        '',
        `outbox overhead per send: ${ms(summary.outboxOverheadPerSendMs)} (target ≤ 5 ms: ${summary.met ? 'met' : 'NOT met'}); with the page request's rules and guards: ${ms(summary.handlerOverheadPerSendMs)}`,
        `messages created in the fake: ${created} of ${summary.expectedCreated} (each send once)`,
      ].join('\n'),
    );
  } finally {
    await extension.close();
    await fakes.close();
  }
}

await main();
