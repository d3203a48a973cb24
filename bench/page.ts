/**
 * `npm run bench:page`: what the conversations content script costs the page
 * in real Chromium. The same fixture page, data and steps run twice per
 * repetition, in the same process: (A) Chromium with the e2e build loaded,
 * configured and synced against the contract fakes; (B) the same Chromium
 * without the extension, the baseline. Steps: open a 2,000-message
 * conversation and wait for it to render (and, in A, for the first screen's
 * audit), then append rows in bursts and jump around the list so that the
 * virtual list recycles its rows.
 *
 * Measured in the page's main world (an init script):
 * - each row's insertion: a MutationObserver sees a message element get a
 *   new data-message-id (after the app's task that changed it);
 * - its audit chip attached and painted: the chip's host gets that id and
 *   its shadow root renders; "painted" is the end of the animation frame that
 *   showed it (a main-world rAF loop posts a message from each frame, which
 *   runs once that frame's style, layout and paint are done);
 * - long tasks (longtask entries). Chromium gives them no attribution
 *   inside a page, and long-animation-frame entries name no extension
 *   script (their sourceURL is empty here), so a long task counts as the
 *   extension's when it overlaps a frame in which the extension changed its
 *   chips; the count of long tasks beyond the baseline's is given too.
 * Main-thread time comes from CDP Performance.getMetrics over the burst and
 * scroll phase: ThreadTime (CPU) and TaskDuration (wall, which grows when the
 * machine is busy). Flags: --runs --messages --bursts --burst-size --scrolls
 * --gap-ms --tail-ms, and --json for machine-readable output.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import {
  AUDIT_CHIP,
  AUDIT_HOST,
  type LaunchedExtension,
  launchChromium,
  launchSyncedExtension,
  PRODUCTION_EXTENSION_DIR,
  ROOT,
} from '../test/driver';
import { readIntegerFlags, usageError } from './flags';
import { type BenchWorld, seedConversationFromPage, startWorld } from './page-setup';

const TARGETS = {
  badgeP95Ms: 16,
  extensionLongTasks: 0,
  contentScriptGzipBytes: 25 * 1024,
};

const EXTENSION_URL = /^chrome-extension:\/\//;

const INTEGER_FLAGS = {
  runs: 3,
  messages: 2000,
  bursts: 20,
  'burst-size': 25,
  scrolls: 20,
  'gap-ms': 200,
  'tail-ms': 1500,
} as const;
type IntegerFlag = keyof typeof INTEGER_FLAGS;
type Flags = Record<IntegerFlag, number> & { json: boolean };

function readFlags(): Flags {
  const flags: Flags = readIntegerFlags('page', INTEGER_FLAGS, ['scrolls', 'tail-ms']);
  if (flags.messages < 100)
    usageError('page', '--messages must be at least 100, so that jumps recycle rows');
  return flags;
}

function progress(flags: Flags, text: string): void {
  // Progress goes to stderr so that --json leaves stdout parseable.
  if (!flags.json) console.error(text);
}

// --- Bundle sizes ----------------------------------------------------------------

const CONTENT_SCRIPT = join(PRODUCTION_EXTENSION_DIR, 'content-scripts/conversations.js');
const PROBE_SCRIPT = join(PRODUCTION_EXTENSION_DIR, 'content-scripts/user-probe.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Sizes of the production content scripts, rebuilding them when a source is newer. */
function bundleSizes(flags: Flags) {
  const sources = ['entrypoints', 'lib', 'components'].map((d) => newestSource(join(ROOT, d)));
  if (!existsSync(CONTENT_SCRIPT) || statSync(CONTENT_SCRIPT).mtimeMs < Math.max(...sources)) {
    progress(flags, 'Production build missing or older than the sources: npx wxt build');
    execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const size = (path: string) => {
    const raw = readFileSync(path);
    return { bytes: raw.length, gzipBytes: gzipSync(raw, { level: 9 }).length };
  };
  return { contentScript: size(CONTENT_SCRIPT), userProbe: size(PROBE_SCRIPT) };
}

// --- In-page instrumentation -------------------------------------------------------

// Plain JavaScript in a string: tsx would add helpers to a function that the page lacks.
const INSTRUMENT = `(() => {
  const HOST = ${JSON.stringify(AUDIT_HOST)};
  const CHIP = ${JSON.stringify(AUDIT_CHIP)};
  const ITEM = '.message-item[data-message-id]';
  const S = {
    frame: 0,
    open: 0,
    frameStart: [],
    frameEnd: [],
    chipFrames: new Set(),
    rows: [],
    elements: [],
    current: new Map(),
    seen: new WeakMap(),
    watched: new WeakSet(),
    longTasks: [],
  };
  Object.defineProperty(window, '__bench', { value: S });

  // Each frame's first rAF callback (this loop registers before anyone else)
  // opens the frame; a ResizeObserver callback, which runs later in the same
  // rendering task after style and layout, closes it. DOM changes seen while
  // it is open are painted by this frame, others by the next one. A message
  // posted from the rAF callback runs once the rendering task, paint
  // included, is over: that is the frame's paint time.
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    S.frameEnd[event.data] = performance.now();
  };
  const probe = document.createElement('sender-lens-bench-probe');
  probe.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none';
  const closer = new ResizeObserver(() => {
    S.open = 0;
  });
  const loop = (stamp) => {
    S.frame += 1;
    S.open = S.frame;
    S.frameStart[S.frame] = performance.now();
    channel.port2.postMessage(S.frame);
    if (!probe.isConnected) document.documentElement.append(probe);
    // Observing afresh makes the observer report in this frame whatever the size.
    closer.unobserve(probe);
    closer.observe(probe);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);

  const chipState = (host) => {
    const chip = host.shadowRoot && host.shadowRoot.querySelector(CHIP);
    if (!chip) return null;
    return chip.getAttribute('aria-busy') === 'true' ? 'loading' : 'final';
  };

  const onHost = (host, now, frame) => {
    if (!host.isConnected) return;
    if (!S.watched.has(host) && host.shadowRoot) {
      S.watched.add(host);
      observer.observe(host.shadowRoot, {
        subtree: true, childList: true, attributes: true, characterData: true,
      });
    }
    const id = host.getAttribute('data-message-id');
    const item = host.parentElement;
    if (!id || !item || item.getAttribute('data-message-id') !== id) return;
    const index = S.current.get(id);
    if (index === undefined || S.elements[index] !== item) return;
    const row = S.rows[index];
    const state = chipState(host);
    if (state === null) return;
    if (row.chipAt === null) {
      row.chipAt = now;
      row.chipFrame = frame;
      row.firstState = state;
    }
    if (state === 'final' && row.auditAt === null) {
      row.auditAt = now;
      row.auditFrame = frame;
    }
  };

  const onItem = (item, now, frame) => {
    const id = item.getAttribute('data-message-id');
    if (!id || !item.isConnected || S.seen.get(item) === id) return;
    S.seen.set(item, id);
    S.current.set(id, S.rows.length);
    S.elements.push(item);
    S.rows.push({
      id, at: now, rowFrame: frame,
      chipAt: null, chipFrame: null, firstState: null, auditAt: null, auditFrame: null,
    });
  };

  const observer = new MutationObserver((records) => {
    const now = performance.now();
    const frame = S.open || S.frame + 1;
    const items = new Set();
    const hosts = new Set();
    for (const record of records) {
      const root = record.target.getRootNode();
      if (root instanceof ShadowRoot) {
        if (root.host.localName === HOST) hosts.add(root.host);
        continue;
      }
      if (record.type === 'attributes') {
        const target = record.target;
        if (target.localName === HOST) hosts.add(target);
        else if (target.matches(ITEM)) items.add(target);
        continue;
      }
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        if (node.localName === HOST) hosts.add(node);
        else if (node.matches(ITEM)) items.add(node);
        else for (const item of node.querySelectorAll(ITEM)) items.add(item);
      }
    }
    // The frames in which the extension changed its chips, to tell whose long task is whose.
    if (hosts.size > 0) S.chipFrames.add(frame);
    // Items first: a chip can only count for a row already seen with its id.
    for (const item of items) onItem(item, now, frame);
    for (const host of hosts) onHost(host, now, frame);
  });
  observer.observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-message-id'],
  });

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        S.longTasks.push({
          start: e.startTime,
          duration: e.duration,
          attribution: (e.attribution || []).map((a) => ({
            name: a.name, containerType: a.containerType, containerSrc: a.containerSrc,
          })),
        });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

interface RowRecord {
  id: string;
  at: number;
  rowFrame: number;
  chipAt: number | null;
  chipFrame: number | null;
  firstState: 'loading' | 'final' | null;
  auditAt: number | null;
  auditFrame: number | null;
}

interface LongTask {
  start: number;
  duration: number;
  attribution: { name: string; containerType: string; containerSrc: string }[];
}

interface PageRecords {
  rows: RowRecord[];
  frameStart: (number | null)[];
  frameEnd: (number | null)[];
  chipFrames: number[];
  longTasks: LongTask[];
}

// --- One run -------------------------------------------------------------------------

// TaskDuration is wall time of main-thread tasks, so it grows when the OS
// takes the CPU away mid-task; ThreadTime is the main thread's CPU time.
const METRICS = [
  'TaskDuration',
  'ThreadTime',
  'ScriptDuration',
  'LayoutDuration',
  'RecalcStyleDuration',
] as const;
type MetricName = (typeof METRICS)[number];

interface RunResult {
  withExtension: boolean;
  /** From navigation start until every rendered row showed its audit (A only). */
  firstScreenAuditedMs: number | null;
  rows: number;
  rowPaint: number[];
  /** Per row: from insertion to the start of the frame that painted it (0 when inside it). */
  frameWait: number[];
  /** Per frame that painted new rows: from its first rAF callback to its paint. */
  frameWork: number[];
  chipPaint: number[];
  auditPaint: number[];
  /** Rows whose chip appeared in a later frame than the row itself. */
  chipLateFrames: number[];
  chipFirstFinal: number;
  missedChips: number;
  missedAudits: number;
  /** Main-thread seconds over the phase, per metric. */
  metrics: Record<MetricName, number>;
  /** CPU time of this Node process (the fakes serving the background, and the driver). */
  nodeCpuMs: number;
  phaseMs: number;
  longTasks: LongTask[];
  /** Long tasks in which the extension changed its chips, or attributed to an extension. */
  extensionLongTasks: number;
  loadLongTasks: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Opens the conversation in `context`, waits for it to settle, then runs the bursts and jumps. */
async function runOnce(
  context: BrowserContext,
  world: BenchWorld,
  withExtension: boolean,
  flags: Flags,
): Promise<RunResult> {
  const page = await context.newPage();
  try {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript({ content: INSTRUMENT });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      const out = {} as Record<MetricName, number>;
      for (const name of METRICS) out[name] = list.find((m) => m.name === name)?.value ?? 0;
      return out;
    };

    await page.goto(world.url);
    await page.evaluate('window.__fixture.ready.then(() => undefined)');
    let firstScreenAuditedMs: number | null = null;
    if (withExtension) {
      // Every rendered message row shows its audit result, not "Checking".
      const audited = `(() => {
        const items = [...document.querySelectorAll('#conversation-panel .message-item[data-message-id]')];
        return items.length > 20 && items.every((item) => {
          const host = item.querySelector(${JSON.stringify(AUDIT_HOST)});
          if (!host || host.dataset.messageId !== item.dataset.messageId) return false;
          const chip = host.shadowRoot && host.shadowRoot.querySelector(${JSON.stringify(AUDIT_CHIP)});
          return Boolean(chip) && chip.getAttribute('aria-busy') !== 'true';
        });
      })()`;
      await page.waitForFunction(audited, undefined, { timeout: 60_000, polling: 50 });
      firstScreenAuditedMs = (await page.evaluate('performance.now()')) as number;
    }
    // Both runs rest alike before measuring, so load-time work does not leak into the phase.
    await sleep(1000);
    const loadLongTasks = (await page.evaluate('window.__bench.longTasks.length')) as number;

    const before = await metrics();
    const nodeBefore = process.cpuUsage();
    const phaseStart = (await page.evaluate('performance.now()')) as number;
    await page.evaluate(`(async () => {
      const fixture = window.__fixture;
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      for (let k = 0; k < ${flags.bursts}; k++) {
        fixture.appendMessages(${flags['burst-size']});
        await sleep(${flags['gap-ms']});
      }
      const total = fixture.state().total;
      for (let k = 0; k < ${flags.scrolls}; k++) {
        // Golden-ratio steps: far-apart jumps all over the list, the same every run.
        fixture.scrollToIndex(Math.floor(((k + 1) * 0.6180339887) % 1 * (total - 40)));
        await sleep(${flags['gap-ms']});
      }
    })()`);
    await sleep(flags['tail-ms']);
    const phaseEnd = (await page.evaluate('performance.now()')) as number;
    const after = await metrics();
    const nodeCpu = process.cpuUsage(nodeBefore);
    const records = (await page.evaluate(`(() => {
      const S = window.__bench;
      return {
        rows: S.rows, frameStart: S.frameStart, frameEnd: S.frameEnd,
        chipFrames: [...S.chipFrames], longTasks: S.longTasks,
      };
    })()`)) as PageRecords;
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);

    const inPhase = records.rows.filter((r) => r.at >= phaseStart);
    const paintedAt = (frame: number | null) =>
      frame === null ? null : (records.frameEnd[frame] ?? null);
    const rowPaint: number[] = [];
    const frameWait: number[] = [];
    const workOf = new Map<number, number>();
    const chipPaint: number[] = [];
    const auditPaint: number[] = [];
    const chipLateFrames: number[] = [];
    let chipFirstFinal = 0;
    let missedChips = 0;
    let missedAudits = 0;
    for (const row of inPhase) {
      const rowAt = paintedAt(row.rowFrame);
      const frameAt = records.frameStart[row.rowFrame] ?? null;
      if (rowAt !== null) rowPaint.push(rowAt - row.at);
      if (rowAt !== null && frameAt !== null) {
        frameWait.push(Math.max(0, frameAt - row.at));
        workOf.set(row.rowFrame, rowAt - frameAt);
      }
      if (!withExtension) continue;
      const chipAt = paintedAt(row.chipFrame);
      if (chipAt === null || row.chipFrame === null) missedChips += 1;
      else {
        chipPaint.push(chipAt - row.at);
        chipLateFrames.push(row.chipFrame - row.rowFrame);
        if (row.firstState === 'final') chipFirstFinal += 1;
      }
      const auditAt = paintedAt(row.auditFrame);
      if (auditAt === null) missedAudits += 1;
      else auditPaint.push(auditAt - row.at);
    }
    const longTasks = records.longTasks.filter((t) => t.start >= phaseStart);
    const extensionLongTasks = longTasks.filter(
      (t) =>
        t.attribution.some((a) => EXTENSION_URL.test(a.containerSrc ?? '')) ||
        records.chipFrames.some((k) => {
          const start = records.frameStart[k];
          const end = records.frameEnd[k];
          return (
            typeof start === 'number' &&
            typeof end === 'number' &&
            t.start < end &&
            start < t.start + t.duration
          );
        }),
    ).length;
    const delta = {} as Record<MetricName, number>;
    for (const name of METRICS) delta[name] = after[name] - before[name];
    return {
      withExtension,
      firstScreenAuditedMs,
      rows: inPhase.length,
      rowPaint,
      frameWait,
      frameWork: [...workOf.values()],
      chipPaint,
      auditPaint,
      chipLateFrames,
      chipFirstFinal,
      missedChips,
      missedAudits,
      metrics: delta,
      nodeCpuMs: (nodeCpu.user + nodeCpu.system) / 1000,
      phaseMs: phaseEnd - phaseStart,
      longTasks,
      extensionLongTasks,
      loadLongTasks,
    };
  } finally {
    await page.close();
  }
}

// --- Figures -----------------------------------------------------------------------------

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

const median = (values: readonly number[]) => quantile(values, 0.5);

interface Summary {
  rows: number;
  rowPaintMedian: number;
  rowPaintP95: number;
  frameWaitP95: number;
  frameWorkMedian: number;
  frameWorkP95: number;
  chipPaintMedian: number;
  chipPaintP95: number;
  chipPaintMax: number;
  chipSameFrameShare: number;
  chipFirstFinalShare: number;
  missedChips: number;
  auditPaintMedian: number;
  auditPaintP95: number;
  missedAudits: number;
  taskMsPer100: number;
  cpuMsPer100: number;
  scriptMsPer100: number;
  layoutStyleMsPer100: number;
  longTasks: number;
  longTaskMaxMs: number;
  extensionLongTasks: number;
  loadLongTasks: number;
  firstScreenAuditedMs: number | null;
  nodeCpuMs: number;
  phaseMs: number;
}

function summarise(run: RunResult): Summary {
  const per100 = (seconds: number) => (run.rows > 0 ? (seconds * 1000 * 100) / run.rows : 0);
  const measuredChips = run.chipLateFrames.length;
  return {
    rows: run.rows,
    rowPaintMedian: median(run.rowPaint),
    rowPaintP95: quantile(run.rowPaint, 0.95),
    frameWaitP95: quantile(run.frameWait, 0.95),
    frameWorkMedian: median(run.frameWork),
    frameWorkP95: quantile(run.frameWork, 0.95),
    chipPaintMedian: median(run.chipPaint),
    chipPaintP95: quantile(run.chipPaint, 0.95),
    chipPaintMax: quantile(run.chipPaint, 1),
    chipSameFrameShare:
      measuredChips > 0 ? run.chipLateFrames.filter((n) => n === 0).length / measuredChips : 0,
    chipFirstFinalShare: measuredChips > 0 ? run.chipFirstFinal / measuredChips : 0,
    missedChips: run.missedChips,
    auditPaintMedian: median(run.auditPaint),
    auditPaintP95: quantile(run.auditPaint, 0.95),
    missedAudits: run.missedAudits,
    taskMsPer100: per100(run.metrics.TaskDuration),
    cpuMsPer100: per100(run.metrics.ThreadTime),
    scriptMsPer100: per100(run.metrics.ScriptDuration),
    layoutStyleMsPer100: per100(run.metrics.LayoutDuration + run.metrics.RecalcStyleDuration),
    longTasks: run.longTasks.length,
    longTaskMaxMs: run.longTasks.reduce((max, t) => Math.max(max, t.duration), 0),
    extensionLongTasks: run.extensionLongTasks,
    loadLongTasks: run.loadLongTasks,
    firstScreenAuditedMs: run.firstScreenAuditedMs,
    nodeCpuMs: run.nodeCpuMs,
    phaseMs: run.phaseMs,
  };
}

/** The median of each figure over the repetitions. */
function medianSummary(summaries: readonly Summary[]): Summary {
  const first = summaries[0];
  if (!first) throw new Error('no runs to summarise');
  const out = { ...first };
  for (const key of Object.keys(first) as (keyof Summary)[]) {
    const values = summaries.map((s) => s[key]).filter((v): v is number => typeof v === 'number');
    (out as Record<string, number | null>)[key] = values.length > 0 ? median(values) : null;
  }
  return out;
}

const ms = (value: number | null) =>
  value === null || Number.isNaN(value) ? 'n/a' : `${value.toFixed(1)} ms`;
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ok = (pass: boolean) => (pass ? 'yes' : '**no**');

function table(a: Summary, b: Summary, sizes: ReturnType<typeof bundleSizes>): string {
  const rows: [string, string, string, string, string][] = [
    [
      'insertion → badge painted, median',
      '',
      ms(a.chipPaintMedian),
      `${ms(b.rowPaintMedian)} (row painted)`,
      '',
    ],
    [
      'insertion → badge painted, p95',
      `≤ ${TARGETS.badgeP95Ms} ms`,
      ms(a.chipPaintP95),
      `${ms(b.rowPaintP95)} (row painted)`,
      ok(a.chipPaintP95 <= TARGETS.badgeP95Ms),
    ],
    ['insertion → badge painted, max', '', ms(a.chipPaintMax), '', ''],
    [
      'insertion → row painted, median / p95',
      '',
      `${ms(a.rowPaintMedian)} / ${ms(a.rowPaintP95)}`,
      `${ms(b.rowPaintMedian)} / ${ms(b.rowPaintP95)}`,
      '',
    ],
    ['  of which: waiting for the next frame, p95', '', ms(a.frameWaitP95), ms(b.frameWaitP95), ''],
    [
      '  frames that painted new rows: rAF to paint, median / p95',
      '',
      `${ms(a.frameWorkMedian)} / ${ms(a.frameWorkP95)}`,
      `${ms(b.frameWorkMedian)} / ${ms(b.frameWorkP95)}`,
      '',
    ],
    [
      'badge painted in its row’s own frame',
      '100%',
      pct(a.chipSameFrameShare),
      '',
      ok(a.chipSameFrameShare === 1),
    ],
    ['badge showed the audit at once (cached)', '', pct(a.chipFirstFinalShare), '', ''],
    [
      'insertion → audit result painted, median / p95',
      '',
      `${ms(a.auditPaintMedian)} / ${ms(a.auditPaintP95)}`,
      '',
      '',
    ],
    ['rows inserted or recycled in the phase', '', String(a.rows), String(b.rows), ''],
    [
      'rows left without badge / without audit',
      '0',
      `${a.missedChips} / ${a.missedAudits}`,
      '',
      ok(a.missedChips === 0),
    ],
    ['main-thread CPU per 100 rows (ThreadTime)', '', ms(a.cpuMsPer100), ms(b.cpuMsPer100), ''],
    ['  added by the extension (A − B)', '', ms(a.cpuMsPer100 - b.cpuMsPer100), '', ''],
    [
      'main-thread task time per 100 rows (TaskDuration, wall)',
      '',
      ms(a.taskMsPer100),
      ms(b.taskMsPer100),
      '',
    ],
    ['  added by the extension (A − B)', '', ms(a.taskMsPer100 - b.taskMsPer100), '', ''],
    [
      'script time per 100 rows (ScriptDuration)',
      '',
      ms(a.scriptMsPer100),
      ms(b.scriptMsPer100),
      '',
    ],
    ['style + layout per 100 rows', '', ms(a.layoutStyleMsPer100), ms(b.layoutStyleMsPer100), ''],
    [
      'long tasks > 50 ms in the phase (longest)',
      '',
      `${a.longTasks} (${ms(a.longTaskMaxMs)})`,
      `${b.longTasks} (${ms(b.longTaskMaxMs)})`,
      '',
    ],
    [
      'long tasks caused by the extension: in frames with its DOM work / more than baseline',
      String(TARGETS.extensionLongTasks),
      `${a.extensionLongTasks} / ${Math.max(0, a.longTasks - b.longTasks)}`,
      '',
      ok(
        a.extensionLongTasks <= TARGETS.extensionLongTasks &&
          a.longTasks - b.longTasks <= TARGETS.extensionLongTasks,
      ),
    ],
    ['long tasks while loading the page', '', String(a.loadLongTasks), String(b.loadLongTasks), ''],
    ['first screen audited after navigation', '', ms(a.firstScreenAuditedMs), '', ''],
    ['CPU of this process in the phase (fakes + driver)', '', ms(a.nodeCpuMs), ms(b.nodeCpuMs), ''],
    [
      'content script, gzip -9 (production)',
      `≤ ${kb(TARGETS.contentScriptGzipBytes)}`,
      `${kb(sizes.contentScript.gzipBytes)} (${kb(sizes.contentScript.bytes)} raw)`,
      '',
      ok(sizes.contentScript.gzipBytes <= TARGETS.contentScriptGzipBytes),
    ],
    [
      'user-probe script, gzip -9 (production)',
      '',
      `${kb(sizes.userProbe.gzipBytes)} (${kb(sizes.userProbe.bytes)} raw)`,
      '',
      '',
    ],
  ];
  const lines = [
    '| metric | target | with extension | baseline | ok? |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
  return lines.join('\n');
}

// --- Main ------------------------------------------------------------------------------------

async function main() {
  const flags = readFlags();
  const loadBefore = loadavg();
  const sizes = bundleSizes(flags);

  progress(flags, `Starting the fakes and a ${flags.messages}-message conversation…`);
  const world = await startWorld(flags.messages);
  // The same Chromium with the same flags, minus the extension: the baseline.
  const plain = await launchChromium();
  let extension: LaunchedExtension | undefined;
  try {
    const reader = await plain.context.newPage();
    const seeded = await seedConversationFromPage(world, reader);
    // The user agent string says 156.0.0.0; the browser itself gives the full version.
    const { product } = await (await plain.context.newCDPSession(reader)).send(
      'Browser.getVersion',
    );
    await reader.close();
    progress(flags, `Seeded ${seeded} messages in both fakes; configuring the extension…`);
    const synced = await launchSyncedExtension(world);
    extension = synced.extension;
    // Nothing else open while measuring: only the bench page and the service worker.
    await synced.settings.close();
    const browserVersion = /Chrome\/([\d.]+)/.exec(product)?.[1] ?? product;

    const runsA: RunResult[] = [];
    const runsB: RunResult[] = [];
    for (let r = 0; r < flags.runs; r++) {
      // Alternate which goes first, so drift in the machine's load hits both alike.
      const order = r % 2 === 0 ? [true, false] : [false, true];
      for (const withExtension of order) {
        const context = withExtension ? extension.context : plain.context;
        progress(
          flags,
          `Run ${r + 1}/${flags.runs}, ${withExtension ? 'with' : 'without'} the extension…`,
        );
        const run = await runOnce(context, world, withExtension, flags);
        (withExtension ? runsA : runsB).push(run);
      }
    }

    const perRun = runsA.map((a, i) => ({
      withExtension: summarise(a),
      baseline: summarise(runsB[i] as RunResult),
    }));
    const a = medianSummary(perRun.map((p) => p.withExtension));
    const b = medianSummary(perRun.map((p) => p.baseline));
    const loadAfter = loadavg();
    const environment = {
      node: process.version,
      browser: browserVersion,
      cpu: `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores)`,
      at: new Date().toISOString(),
      loadBefore: loadBefore.map((v) => Number(v.toFixed(2))),
      loadAfter: loadAfter.map((v) => Number(v.toFixed(2))),
    };
    const scenario = {
      messages: flags.messages,
      seeded,
      bursts: flags.bursts,
      burstSize: flags['burst-size'],
      scrolls: flags.scrolls,
      gapMs: flags['gap-ms'],
      tailMs: flags['tail-ms'],
      runs: flags.runs,
    };

    if (flags.json) {
      console.log(
        JSON.stringify(
          {
            environment,
            scenario,
            sizes,
            median: { withExtension: a, baseline: b },
            perRun,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(
        `Environment: Node ${environment.node}, Chromium ${environment.browser}, ${environment.cpu}, ` +
          `${environment.at}, load average ${loadBefore[0]?.toFixed(2)} before and ${loadAfter[0]?.toFixed(2)} after.`,
      );
      console.log(
        `Scenario: ${seeded}-message conversation; ${flags.bursts} bursts of ${flags['burst-size']} rows ` +
          `and ${flags.scrolls} scroll jumps, ${flags['gap-ms']} ms apart, then ${flags['tail-ms']} ms of quiet; ` +
          `medians of ${flags.runs} runs each way (same process, same page).`,
      );
      console.log('');
      console.log(table(a, b, sizes));
      console.log('');
      console.log('Per run (with extension / baseline):');
      perRun.forEach((p, i) => {
        const x = p.withExtension;
        const y = p.baseline;
        console.log(
          `  run ${i + 1}: badge p95 ${ms(x.chipPaintP95)}, median ${ms(x.chipPaintMedian)}; ` +
            `row p95 ${ms(x.rowPaintP95)} / ${ms(y.rowPaintP95)}; ` +
            `CPU per 100 rows ${ms(x.cpuMsPer100)} / ${ms(y.cpuMsPer100)}; ` +
            `tasks per 100 rows ${ms(x.taskMsPer100)} / ${ms(y.taskMsPer100)}; ` +
            `long tasks ${x.longTasks} / ${y.longTasks}`,
        );
      });
    }
  } finally {
    await extension?.close();
    await plain.close();
    await world.close();
  }
}

await main();
