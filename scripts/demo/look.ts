// What the demo reads off the Conversations page: the badge, its tooltip, the audit chips,
// and where things are on screen for the screenshots' crops.
import type { Locator, Page } from 'playwright-core';
import {
  AUDIT_CHIP,
  AUDIT_HOST,
  BADGE,
  extensionRequest,
  findTabId,
  type LaunchedExtension,
  TOOLTIP,
  TOOLTIP_TRACE_STEP,
  tidy,
  waitFor,
} from '../../test/driver';
import type { Stop } from './tour';

/** How long the badge and the audit chips get to settle. */
export const SETTLE_TIMEOUT_MS = 15_000;

/** HighLevel's composer (the fixture's copy of it), where the badge sits. */
export const COMPOSER = '#composer-deferred-footer';
/** The message box of a conversation's composer. */
export const composerInput = (conversationId: string) => `#composer-input-${conversationId}`;
/** HighLevel's scrolling message list. */
export const MESSAGES = '#conversation-panel';

export type Box = { x: number; y: number; width: number; height: number };

/** The smallest rectangle around `boxes`, padded and kept inside the viewport. */
export function around(page: Page, boxes: Box[], pad: number): Box {
  const view = page.viewportSize() ?? { width: 1280, height: 720 };
  const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - pad);
  const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - pad);
  const right = Math.min(view.width, Math.max(...boxes.map((b) => b.x + b.width)) + pad);
  const bottom = Math.min(view.height, Math.max(...boxes.map((b) => b.y + b.height)) + pad);
  return { x, y, width: right - x, height: bottom - y };
}

export async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`Demo: ${locator} is not on screen`);
  return box;
}

/** Tabs from the message box onto the badge, which opens "why this number"; returns its lines. */
export async function openTooltip(page: Page, conversationId: string): Promise<string[]> {
  await page.locator(composerInput(conversationId)).focus();
  await page.keyboard.press('Tab');
  const locator = page.locator(TOOLTIP);
  await locator.waitFor({ state: 'visible', timeout: 5_000 });
  const paragraphs = (await locator.locator(':scope > p').allTextContents()).map(tidy);
  const steps = (await locator.locator(TOOLTIP_TRACE_STEP).allTextContents()).map(tidy);
  // Title first and freshness last are the frame; the rest is the explanation.
  return [...paragraphs.slice(1, 2), ...steps, ...paragraphs.slice(2, -1)];
}

/** The audit chips' text (inside their shadow roots) and how many message rows there are. */
export function auditChips(page: Page): Promise<{ rows: number; chips: string[] }> {
  return page.evaluate(
    ({ messages, host, chip }) => {
      const panel = document.querySelector(messages);
      const rows = panel?.querySelectorAll('.message-item[data-message-id]').length ?? 0;
      const chips = [...(panel?.querySelectorAll(host) ?? [])].map((h) =>
        (h.shadowRoot?.querySelector(chip)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      );
      return { rows, chips };
    },
    { messages: MESSAGES, host: AUDIT_HOST, chip: AUDIT_CHIP },
  );
}

/** Waits for the badge to show what `stop` expects; fails naming what it showed instead. */
export async function badgeSays(
  page: Page,
  stop: Stop,
  whyNone: () => Promise<string>,
): Promise<string> {
  const badge = page.locator(BADGE);
  const read = async () => ((await badge.count()) > 0 ? tidy(await badge.textContent()) : null);
  const seen = await waitFor(
    read,
    (text) => text !== null && stop.expect.every((part) => text.includes(part)),
    SETTLE_TIMEOUT_MS,
  );
  if (seen.ok) return seen.value as string;
  const where = `${stop.contact}'s conversation as ${stop.user}`;
  if (seen.value === null) {
    throw new Error(
      `The badge never appeared on ${where} within ${SETTLE_TIMEOUT_MS / 1000} s: ${await whyNone()}`,
    );
  }
  throw new Error(
    `On ${where} the badge said "${seen.value}", but the demo expected it to show ` +
      `${stop.expect.map((p) => `"${p}"`).join(', ')}`,
  );
}

/** Why a page shows no badge, as far as the background knows: its page status, or none. */
export async function pageStatus(
  extension: LaunchedExtension,
  settings: Page,
  page: Page,
): Promise<string> {
  const tabId = await findTabId(extension.serviceWorker, page.url());
  if (tabId === undefined) return 'the tab was not found';
  const status = await extensionRequest<{ status: string; missing?: string[] } | null>(
    settings,
    'page-status-get',
    { tabId },
  );
  if (status === null) {
    const injected = await page.evaluate(
      () => document.documentElement.dataset.senderLens === 'ready',
    );
    return injected
      ? 'the content script ran but reported no page status'
      : 'the content script never ran on the page (is this a demo or e2e build?)';
  }
  const missing = status.missing?.length ? `, missing: ${status.missing.join(', ')}` : '';
  return `page status "${status.status}"${missing}`;
}
