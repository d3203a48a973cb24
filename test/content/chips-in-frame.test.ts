// @vitest-environment happy-dom
// Audit chips in the frame the page paints. On the fixture whose virtual list
// repaints its rows inside requestAnimationFrame, animation frames are run by
// hand here, as a browser runs them: every callback queued before the frame
// starts, each followed by its microtasks (MutationObserver callbacks among
// them); callbacks queued during the frame wait for the next one. What the
// DOM holds when a frame ends is what that frame paints, so every row's chip
// is checked then.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_HOST_TAG } from '@/entrypoints/conversations.content/audit-chips';
import { startConversations } from '@/entrypoints/conversations.content/conversations';
import { loadSendUi } from '@/entrypoints/conversations.content/send-ui';
import type { ContentApi } from '@/lib/content/api';
import { TEST_OPEN_ROOTS_ATTRIBUTE } from '@/lib/content/shadow';
import type { AuditView } from '@/lib/messaging/views';
import { listMessageRows, readMessageRow } from '@/lib/page/adapter';
import { type FixtureApi, loadFixture } from '../page/load-fixture';

const ROUTE = '/v2/location/loc-demo/conversations/conversations';

function auditView(messageId: string): AuditView {
  return {
    state: 'exact',
    direction: 'outbound',
    numberDisplay: `for ${messageId}`,
    status: 'delivered',
    tone: 'ok',
  };
}

const api = (async (type: string, payload: Record<string, unknown>) => {
  switch (type) {
    case 'sender-view':
      return {
        view: {
          state: 'sender',
          numberE164: '+14155550101',
          numberDisplay: '(415) 555-0101',
          ruleWord: 'default',
          inferred: false,
          warnings: [],
          trace: [],
          freshness: '',
        },
        options: [],
      };
    case 'audit':
      return Object.fromEntries((payload.messageIds as string[]).map((id) => [id, auditView(id)]));
    case 'conversation-sends':
      return [];
    default:
      return { recorded: true };
  }
}) as unknown as ContentApi;

let queued: FrameRequestCallback[] = [];
const pageRequestFrame = window.requestAnimationFrame;
let lifetime: AbortController;
let fixture: FixtureApi | undefined;

/** Runs one animation frame: the callbacks queued before it, each followed by its microtasks. */
async function runFrame(): Promise<void> {
  const callbacks = queued;
  queued = [];
  for (const callback of callbacks) {
    callback(performance.now());
    // A MutationObserver's callback is a microtask queued by the first mutation,
    // so it runs before these.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

/** Time between frames, in which timers and answers (tasks) run. */
const between = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

const scroller = () => document.getElementById('conversation-panel') as HTMLElement;

/** Every message row's chip as this frame paints it; the ids shown, for the next frame to compare. */
function expectEveryChipRight(frame: string): Map<Element, string> {
  const shown = new Map<Element, string>();
  for (const row of listMessageRows(scroller())) {
    const read = readMessageRow(row);
    if (!read) continue;
    const chip = row.querySelector<HTMLElement>(AUDIT_HOST_TAG);
    expect(chip?.dataset.messageId, `${frame}: row ${read.index}`).toBe(read.messageId);
    expect(chip?.dataset.direction, `${frame}: row ${read.index}`).toBe(read.direction);
    const text = chip?.shadowRoot?.textContent ?? '';
    // Its own answer, or still being asked; never another message's.
    expect(
      text.includes(`for ${read.messageId}`) || text.includes('Checking'),
      `${frame}: row ${read.index} shows "${text}"`,
    ).toBe(true);
    shown.set(row, read.messageId);
  }
  return shown;
}

beforeEach(() => {
  queued = [];
  window.requestAnimationFrame = (callback) => queued.push(callback);
  lifetime = new AbortController();
});

afterEach(() => {
  lifetime.abort();
  fixture?.destroy();
  fixture = undefined;
  window.requestAnimationFrame = pageRequestFrame;
});

describe('audit chips on a list that repaints its rows inside animation frames', () => {
  it('shows every row its own message’s chip in every frame while scrolling', async () => {
    const f = await loadFixture('dec-frames', { path: `${ROUTE}/conv-hank` });
    fixture = f;
    expect(f.mode.repaint).toBe('frame');
    // Open roots, so the chips' text can be read (the page was just replaced).
    document.documentElement.setAttribute(TEST_OPEN_ROOTS_ATTRIBUTE, '');
    startConversations({
      doc: document,
      api,
      signal: lifetime.signal,
      requestFrame: (callback) => window.requestAnimationFrame(() => callback()),
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      now: Date.now,
      loadSendUi: () =>
        loadSendUi(async () => {
          (await import('@/entrypoints/send-ui')).default.main();
        }),
      listenTabMessages: () => {},
    });
    // Let the session mount its chips and hear the first screen's answers.
    for (let i = 0; i < 20 && !document.querySelector(AUDIT_HOST_TAG); i++) {
      await runFrame();
      await between(5);
    }
    await between(80);
    await runFrame();
    let shown = expectEveryChipRight('first screen');

    const bottom = f.state().start;
    let recycled = 0;
    let frames = 0;
    // Up in steps of 1 to 4 rows, then down again: rows are handed to other messages,
    // date chips turn into messages and back.
    const steps = [1, 2, 3, 4, 1, 1, 4, 3, 2, 1].flatMap((n) => [n, n]);
    const tops: number[] = [];
    let top = bottom;
    for (const step of [...steps.map((n) => -n), ...[...steps].reverse()]) {
      top += step;
      tops.push(top);
    }
    for (const [i, next] of tops.entries()) {
      const repaints = f.state().frames;
      f.scrollToIndex(next);
      await runFrame();
      expect(f.state().frames, 'the list repainted inside this frame').toBe(repaints + 1);
      const now = expectEveryChipRight(`frame ${i} (top ${next})`);
      for (const [row, id] of now) if (shown.has(row) && shown.get(row) !== id) recycled++;
      shown = now;
      frames++;
      // Answers arrive between some frames, as tasks do.
      if (i % 5 === 4) await between(70);
    }
    expect(frames).toBe(tops.length);
    // The check is not vacuous: rows did show other messages from one frame to the next.
    expect(recycled).toBeGreaterThan(50);
    await between(80);
    await runFrame();
    for (const row of listMessageRows(scroller())) {
      const read = readMessageRow(row);
      if (!read) continue;
      const text = row.querySelector(AUDIT_HOST_TAG)?.shadowRoot?.textContent;
      expect(text).toContain(`for ${read.messageId}`);
    }
  });
});
