/**
 * What each tab's content script reported about its page, kept in
 * storage.session (which content scripts cannot read), one key per tab.
 */
import type { browser } from 'wxt/browser';
import type { PageStatus } from '../messaging/requests/conversation';

/** storage.session keys of the page statuses, one per tab. */
export const PAGE_STATUS_PREFIX = 'sender-lens:page-status:';

/** The page statuses of every tab that reported one. */
export async function readPageStatuses(
  session: Pick<typeof browser.storage.session, 'get'>,
): Promise<Map<number, PageStatus>> {
  const all = (await session.get(null)) as Record<string, unknown>;
  const out = new Map<number, PageStatus>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(PAGE_STATUS_PREFIX)) continue;
    const tabId = Number(key.slice(PAGE_STATUS_PREFIX.length));
    if (Number.isInteger(tabId) && value && typeof value === 'object') {
      out.set(tabId, value as PageStatus);
    }
  }
  return out;
}
