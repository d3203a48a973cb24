/**
 * `npm run bench:rules`: how fast the resolver builds its index and resolves
 * sends on a large generated sub-account, against a naive resolver that scans
 * the history on every send, measured in the same run. Flags:
 * --seed --numbers --staff --contacts --messages --sends --warmup
 * --naive-sends --build-runs, --order shuffled|grouped (how the history is
 * ordered), and --json for machine-readable output.
 */
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  buildIndex,
  isIndex,
  isRefusal,
  type RefusalCode,
  type Resolution,
  type RuleName,
  type RulesIndex,
  resolve,
  type Send,
} from '../lib/rules';
import { generate, generateSends, type MessageOrder } from './generate';
import { naiveResolver } from './naive';

const TARGETS = {
  buildMs: 3000,
  indexBytes: 300e6,
  medianNs: 10_000,
  p99Ns: 50_000,
};

const INTEGER_FLAGS = {
  seed: 20260101,
  numbers: 1000,
  staff: 200,
  contacts: 100_000,
  messages: 1_000_000,
  sends: 100_000,
  warmup: 10_000,
  'naive-sends': 200,
  'build-runs': 3,
} as const;
type IntegerFlag = keyof typeof INTEGER_FLAGS;
// Flags that may be zero; the rest need at least one.
const MAY_BE_ZERO = new Set<IntegerFlag>(['seed', 'staff', 'messages', 'warmup']);

function fail(message: string): never {
  console.error(`bench:rules: ${message}`);
  process.exit(2);
}

const ORDERS: readonly MessageOrder[] = ['shuffled', 'grouped'];

type Flags = Record<IntegerFlag, number> & { json: boolean; order: MessageOrder };

function readFlags(): Flags {
  const options: Record<string, { type: 'string' | 'boolean' }> = {
    json: { type: 'boolean' },
    order: { type: 'string' },
  };
  for (const name of Object.keys(INTEGER_FLAGS)) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options, strict: true, allowPositionals: false }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const order = values.order ?? 'shuffled';
  if (!ORDERS.includes(order as MessageOrder)) {
    fail(`--order expects ${ORDERS.join(' or ')}, got ${JSON.stringify(order)}`);
  }
  const flags = { json: values.json === true, order } as Flags;
  for (const [name, fallback] of Object.entries(INTEGER_FLAGS) as [IntegerFlag, number][]) {
    const raw = values[name];
    if (raw === undefined) {
      flags[name] = fallback;
      continue;
    }
    const value = Number(raw);
    const least = MAY_BE_ZERO.has(name) ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < least || String(raw).trim() === '') {
      fail(`--${name} expects a whole number of at least ${least}, got ${JSON.stringify(raw)}`);
    }
    flags[name] = value;
  }
  return flags;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap in use after full collections, so that only live objects count. */
function liveHeap(): number {
  if (gc === undefined) fail('run with node --expose-gc (npm run bench:rules does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Timings {
  count: number;
  medianNs: number;
  p99Ns: number;
  maxNs: number;
  meanNs: number;
  opsPerSec: number;
}

/** Nearest-rank percentiles of per-call durations in nanoseconds. */
function summarise(durations: Float64Array): Timings {
  const sorted = Float64Array.from(durations).sort();
  const rank = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
  let total = 0;
  for (const d of sorted) total += d;
  const meanNs = total / sorted.length;
  return {
    count: sorted.length,
    medianNs: rank(0.5),
    p99Ns: rank(0.99),
    maxNs: sorted[sorted.length - 1] as number,
    meanNs,
    opsPerSec: 1e9 / meanNs,
  };
}

function progress(flags: { json: boolean }, text: string): void {
  // Progress goes to stderr so that --json leaves stdout parseable.
  if (!flags.json) console.error(text);
}

function main(): void {
  const flags = readFlags();
  if (gc === undefined) fail('run with node --expose-gc (npm run bench:rules does)');
  const started = new Date();
  const loadBefore = loadavg()[0] as number;

  // --- Input --------------------------------------------------------------
  progress(flags, 'generating the sub-account…');
  const heapEmpty = liveHeap();
  let t = performance.now();
  const generated = generate({
    seed: flags.seed,
    order: flags.order,
    numbers: flags.numbers,
    staff: flags.staff,
    contacts: flags.contacts,
    messages: flags.messages,
  });
  const generateMs = performance.now() - t;
  const { snapshot } = generated;
  const heapInput = liveHeap();

  // --- Index build ----------------------------------------------------------
  progress(flags, 'building the index…');
  const cpuBefore = process.cpuUsage();
  t = performance.now();
  const built = buildIndex(snapshot);
  const firstBuildMs = performance.now() - t;
  // CPU time next to wall time: when other work shares the cores, wall time
  // grows and CPU time much less (it still counts V8's helper threads).
  const cpuUsed = process.cpuUsage(cpuBefore);
  const firstBuildCpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
  if (!isIndex(built)) fail(`the generated snapshot was refused: ${built.message}`);
  const index: RulesIndex = built;
  // Both the input and the index are alive here, so the difference is the index alone.
  const indexBytes = liveHeap() - heapInput;
  const buildRuns = [firstBuildMs];
  for (let run = 1; run < flags['build-runs']; run++) {
    liveHeap();
    t = performance.now();
    const again = buildIndex(snapshot);
    buildRuns.push(performance.now() - t);
    if (!isIndex(again)) fail('a repeated build was refused');
  }
  const sortedRuns = [...buildRuns].sort((a, b) => a - b);
  const medianBuildMs = sortedRuns[Math.floor((sortedRuns.length - 1) / 2)] as number;

  // --- Indexed resolution -------------------------------------------------------
  const sends = generateSends(generated, flags.sends, flags.seed + 1);
  const warmupSends = generateSends(generated, flags.warmup, flags.seed + 2);
  progress(flags, `resolving ${flags.warmup.toLocaleString('en-US')} warm-up sends…`);
  for (const send of warmupSends) resolve(index, send);
  liveHeap();
  progress(flags, `timing ${flags.sends.toLocaleString('en-US')} sends…`);
  const ruleCounts: Record<RuleName, number> = {
    'manual-pick': 0,
    'last-manual-pick': 0,
    'user-number': 0,
    'channel-number': 0,
    'default-outbound': 0,
    'workflow-from-number': 0,
    'bulk-from-number': 0,
    'last-used': 0,
  };
  const refusalCounts: Record<RefusalCode, number> = {
    'pick-unavailable': 0,
    'workflow-from-unavailable': 0,
    'bulk-from-unavailable': 0,
    'no-sender-number': 0,
    'contact-opted-out': 0,
    'contact-has-no-phone': 0,
    'invalid-input': 0,
  };
  // Sends to a contact no earlier send reached are timed apart as well: the
  // resolver caches per contact, so they show what a cold contact costs.
  const seenContacts = new Set(warmupSends.map((send) => send.contactId));
  const firstTouch: number[] = [];
  const repeat: number[] = [];
  const durations = new Float64Array(sends.length);
  for (let i = 0; i < sends.length; i++) {
    const send = sends[i] as Send;
    const before = process.hrtime.bigint();
    const result = resolve(index, send);
    const after = process.hrtime.bigint();
    const ns = Number(after - before);
    durations[i] = ns;
    if (isRefusal(result)) refusalCounts[result.error]++;
    else ruleCounts[result.rule]++;
    if (seenContacts.has(send.contactId)) repeat.push(ns);
    else {
      firstTouch.push(ns);
      seenContacts.add(send.contactId);
    }
  }
  const indexed = summarise(durations);
  const firstTouchTimings = summarise(Float64Array.from(firstTouch));
  const repeatTimings = summarise(Float64Array.from(repeat));

  // --- Naive baseline, on evenly spread sends of the same set -----------------
  progress(flags, `timing the naive resolver on ${flags['naive-sends']} sends…`);
  t = performance.now();
  const naive = naiveResolver(snapshot);
  const naiveSetupMs = performance.now() - t;
  const sampleSize = Math.min(flags['naive-sends'], sends.length);
  const sample = Array.from(
    { length: sampleSize },
    (_, i) => sends[Math.floor((i * sends.length) / sampleSize)] as Send,
  );
  for (let i = 0; i < Math.min(3, warmupSends.length); i++) naive(warmupSends[i]);
  liveHeap();
  const naiveDurations = new Float64Array(sample.length);
  const naiveResults: Resolution[] = [];
  for (let i = 0; i < sample.length; i++) {
    const before = process.hrtime.bigint();
    const result = naive(sample[i]);
    const after = process.hrtime.bigint();
    naiveDurations[i] = Number(after - before);
    naiveResults.push(result);
  }
  const naiveTimings = summarise(naiveDurations);
  const disagreements: { send: unknown; indexed: Resolution; naive: Resolution }[] = [];
  sample.forEach((send, i) => {
    const fromIndex = resolve(index, send);
    const fromNaive = naiveResults[i] as Resolution;
    if (!isDeepStrictEqual(fromIndex, fromNaive))
      disagreements.push({ send, indexed: fromIndex, naive: fromNaive });
  });
  const agreed = sample.length - disagreements.length;
  const ratio = naiveTimings.medianNs / indexed.medianNs;

  // --- Report -------------------------------------------------------------------
  const environment = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    date: started.toISOString(),
    // Other work on the machine inflates every figure: say how busy it was.
    loadAverage: { before: loadBefore, after: loadavg()[0] as number },
  };
  const input = {
    seed: flags.seed,
    order: flags.order,
    numbers: snapshot.numbers.length,
    removedNumbers: generated.removedForms.length,
    staff: snapshot.users.length,
    contacts: snapshot.contacts.length,
    messages: snapshot.messages.length,
    generateMs,
    inputBytes: heapInput - heapEmpty,
  };
  const targets = [
    {
      metric: 'index build, first run',
      target: `≤ ${seconds(TARGETS.buildMs)}`,
      measured: `${seconds(firstBuildMs)} (CPU ${seconds(firstBuildCpuMs)})`,
      ok: firstBuildMs <= TARGETS.buildMs,
    },
    {
      metric: `index build, median of ${buildRuns.length}`,
      target: `≤ ${seconds(TARGETS.buildMs)}`,
      measured: `${seconds(medianBuildMs)} (min ${seconds(sortedRuns[0] as number)})`,
      ok: medianBuildMs <= TARGETS.buildMs,
    },
    {
      metric: 'index heap beyond the input',
      target: `≤ ${megabytes(TARGETS.indexBytes)}`,
      measured: megabytes(indexBytes),
      ok: indexBytes <= TARGETS.indexBytes,
    },
    {
      metric: `resolve median (${count(indexed.count)} sends)`,
      target: `≤ ${micros(TARGETS.medianNs)}`,
      measured: micros(indexed.medianNs),
      ok: indexed.medianNs <= TARGETS.medianNs,
    },
    {
      metric: 'resolve p99',
      target: `≤ ${micros(TARGETS.p99Ns)}`,
      measured: micros(indexed.p99Ns),
      ok: indexed.p99Ns <= TARGETS.p99Ns,
    },
    { metric: 'resolve mean', target: '', measured: micros(indexed.meanNs) },
    { metric: 'resolve max', target: '', measured: micros(indexed.maxNs) },
    {
      metric: `resolve, contact's first send (${count(firstTouchTimings.count)})`,
      target: '',
      measured: medianAndP99(firstTouchTimings),
    },
    {
      metric: `resolve, contact seen before (${count(repeatTimings.count)})`,
      target: '',
      measured: medianAndP99(repeatTimings),
    },
    { metric: 'resolve throughput', target: '', measured: `${count(indexed.opsPerSec)} ops/s` },
    {
      metric: `naive median (${count(naiveTimings.count)} sends)`,
      target: '',
      measured: micros(naiveTimings.medianNs),
    },
    { metric: 'naive p99', target: '', measured: micros(naiveTimings.p99Ns) },
    { metric: 'naive max', target: '', measured: micros(naiveTimings.maxNs) },
    { metric: 'naive / indexed, median', target: '', measured: `${count(ratio)}×` },
    {
      metric: 'naive and indexed agree',
      target: 'all',
      measured: `${agreed} / ${sample.length}`,
      ok: disagreements.length === 0,
    },
  ];

  if (flags.json) {
    console.log(
      JSON.stringify(
        {
          environment,
          input,
          build: {
            runsMs: buildRuns,
            firstMs: firstBuildMs,
            firstCpuMs: firstBuildCpuMs,
            medianMs: medianBuildMs,
            indexBytes,
          },
          resolve: {
            warmup: flags.warmup,
            ...indexed,
            firstTouch: firstTouchTimings,
            repeat: repeatTimings,
          },
          naive: { setupMs: naiveSetupMs, ...naiveTimings },
          ratio,
          agreement: { agreed, total: sample.length },
          outcomes: { rules: ruleCounts, refusals: refusalCounts },
          targets,
          disagreements: disagreements.slice(0, 3),
        },
        null,
        2,
      ),
    );
  } else {
    const lines: string[] = [];
    lines.push(
      `Environment: Node ${environment.node}, ${environment.cpu} (${environment.cores} cores), ${environment.date}, load average ${environment.loadAverage.before.toFixed(2)} before and ${environment.loadAverage.after.toFixed(2)} after.`,
    );
    lines.push(
      `Input (seed ${input.seed}): ${count(input.numbers)} numbers (+${count(input.removedNumbers)} removed, in history and staff only), ${count(input.staff)} staff, ${count(input.contacts)} contacts, ${count(input.messages)} messages (${flags.order}); generated in ${seconds(generateMs)}, ${megabytes(input.inputBytes)} of heap.`,
    );
    lines.push(
      `Indexed: ${count(flags.warmup)} warm-up sends, then ${count(indexed.count)} timed one by one. Naive: ${count(naiveTimings.count)} sends spread evenly over the same set (each scans all ${count(input.messages)} messages), after its own index of numbers, staff and contacts (${seconds(naiveSetupMs)}).`,
    );
    lines.push('');
    lines.push('| metric | target | measured | ok? |');
    lines.push('|---|---|---|---|');
    for (const row of targets) {
      const ok = row.ok === undefined ? '' : row.ok ? 'yes' : '**no**';
      lines.push(`| ${row.metric} | ${row.target} | ${row.measured} | ${ok} |`);
    }
    lines.push('');
    lines.push(`Outcomes of the ${count(indexed.count)} timed sends:`);
    lines.push('');
    lines.push('| outcome | sends | share |');
    lines.push('|---|---|---|');
    const share = (n: number) => `${((100 * n) / indexed.count).toFixed(1)}%`;
    for (const [rule, n] of Object.entries(ruleCounts))
      lines.push(`| rule \`${rule}\` | ${count(n)} | ${share(n)} |`);
    for (const [code, n] of Object.entries(refusalCounts))
      lines.push(`| refusal \`${code}\` | ${count(n)} | ${share(n)} |`);
    const missingRules = Object.entries(ruleCounts).filter(([, n]) => n === 0);
    lines.push('');
    lines.push(
      missingRules.length === 0
        ? 'Every rule decided some send. `no-sender-number` needs an unusable default and `invalid-input` a bad send; the generated sub-account and sends have neither.'
        : `No send was decided by: ${missingRules.map(([rule]) => rule).join(', ')} (the input is too small or skewed to reach them).`,
    );
    console.log(lines.join('\n'));
    for (const d of disagreements.slice(0, 3)) {
      console.error('\nDISAGREEMENT for send', JSON.stringify(d.send));
      console.error('indexed:', JSON.stringify(d.indexed));
      console.error('naive:  ', JSON.stringify(d.naive));
    }
  }
  if (disagreements.length > 0) process.exit(1);
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function medianAndP99(timings: Timings): string {
  if (timings.count === 0) return 'none';
  return `median ${micros(timings.medianNs)}, p99 ${micros(timings.p99Ns)}`;
}

function micros(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1000).toFixed(2)} µs`;
}

main();
