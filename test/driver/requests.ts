// Talking to the running extension: requests as its own pages send them, and its worker's view.
import type { Page, Worker } from 'playwright-core';
import { TEST_API_BASES_KEY } from '../../lib/background/api-bases';
import type { Reply } from '../../lib/messaging/protocol';
import type { LaunchedExtension } from './chromium';

/**
 * Sends a request from an extension page (options, popup), as those pages
 * do, and returns its value; a refusal throws with its message.
 */
export async function extensionRequest<T>(page: Page, type: string, payload: unknown): Promise<T> {
  // A string, not a function: tsx rewrites functions with helpers the page lacks.
  const reply = (await page.evaluate(
    `chrome.runtime.sendMessage(${JSON.stringify({ type, payload })})`,
  )) as Reply<T>;
  if (!reply.ok) throw new Error(`${type} refused: ${reply.error?.message ?? 'no reason given'}`);
  return reply.value as T;
}

/** Points a test or demo build's API clients at the fakes (production builds ignore it). */
export async function pointAtFakes(
  extension: LaunchedExtension,
  fakes: { twilioBase: string; highlevelBase: string },
): Promise<void> {
  const bases = { twilio: fakes.twilioBase, highlevel: fakes.highlevelBase };
  await extension.serviceWorker.evaluate(
    `chrome.storage.local.set(${JSON.stringify({ [TEST_API_BASES_KEY]: bases })})`,
  );
}

/** The id the background knows the tab showing `url` by (matched exactly); undefined if none. */
export async function findTabId(worker: Worker, url: string): Promise<number | undefined> {
  const tabs = (await worker.evaluate('chrome.tabs.query({})')) as { id?: number; url?: string }[];
  return tabs.find((tab) => tab.url === url)?.id;
}
