/**
 * MessageSender values as the browser fills them in for each context, for the
 * messaging tests. The ids match the fake browser's runtime.
 */
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export const EXTENSION_ID = fakeBrowser.runtime.id;
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;

type Sender = Browser.runtime.MessageSender;

/** Just the tab fields the router reads; the rest do not matter to it. */
export function tab(id: number, url = 'https://app.gohighlevel.com/'): Browser.tabs.Tab {
  return { id, url, index: 0, windowId: 1, active: true } as Browser.tabs.Tab;
}

/** Our content script in the top frame of a HighLevel tab. */
export function contentScript(overrides: Partial<Sender> = {}): Sender {
  return {
    id: EXTENSION_ID,
    tab: tab(7),
    frameId: 0,
    origin: 'https://app.gohighlevel.com',
    url: 'https://app.gohighlevel.com/v2/location/loc1/conversations',
    documentId: 'doc-1',
    ...overrides,
  };
}

/** The popup: no tab, the extension's origin. */
export function extensionPage(overrides: Partial<Sender> = {}): Sender {
  return {
    id: EXTENSION_ID,
    origin: EXTENSION_ORIGIN,
    url: `${EXTENSION_ORIGIN}/popup.html`,
    ...overrides,
  };
}
