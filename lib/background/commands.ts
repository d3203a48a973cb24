/**
 * Background listeners of the conversations feature, apart from requests: the
 * keyboard shortcut that opens the quick switcher, and forgetting a tab's page
 * status when the tab closes. Call each once at the background's
 * start (entrypoints/background.ts).
 */
import { browser } from 'wxt/browser';
import type { TabMessage } from '../messaging/tab';
import { PAGE_STATUS_PREFIX } from './page-statuses';

/** The command in wxt.config.ts's manifest `commands`. */
export const OPEN_SWITCHER_COMMAND = 'open-switcher';

interface CommandApis {
  onCommand: Pick<typeof browser.commands.onCommand, 'addListener'>;
  activeTabId(): Promise<number | undefined>;
  sendToTab(tabId: number, message: TabMessage): Promise<unknown>;
}

const defaultApis = (): CommandApis => ({
  onCommand: browser.commands.onCommand,
  async activeTabId() {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    return tab?.id;
  },
  sendToTab: (tabId, message) => browser.tabs.sendMessage(tabId, message),
});

/**
 * Forwards the "open the switcher" shortcut to the content script of the tab
 * it was pressed in. A tab without the content script (any other site)
 * ignores it.
 */
export function registerCommandForwarding(apis: CommandApis = defaultApis()): void {
  apis.onCommand.addListener((command: string, tab?: { id?: number }) => {
    if (command !== OPEN_SWITCHER_COMMAND) return;
    void (async () => {
      const tabId = tab?.id ?? (await apis.activeTabId());
      if (tabId === undefined || tabId < 0) return;
      await apis.sendToTab(tabId, { type: 'open-switcher' });
    })().catch(() => {
      // No content script in that tab: nothing to open.
    });
  });
}

/**
 * Drops a tab's page status when the tab closes. (A tab that moved to another
 * site keeps its entry until then; page-status-get checks the tab's origin.)
 */
export function registerPageStatusCleanup(
  apis: {
    onRemoved: Pick<typeof browser.tabs.onRemoved, 'addListener'>;
    session: Pick<typeof browser.storage.session, 'remove'>;
  } = { onRemoved: browser.tabs.onRemoved, session: browser.storage.session },
): void {
  apis.onRemoved.addListener((tabId: number) => {
    void apis.session.remove(`${PAGE_STATUS_PREFIX}${tabId}`).catch(() => undefined);
  });
}
