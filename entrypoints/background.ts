import { browser } from 'wxt/browser';
import { createMessageRouter, extensionOriginOf } from '../lib/messaging/background';
import { createHandlers, type SnapshotSource } from '../lib/messaging/handlers';
import { requests } from '../lib/messaging/protocol';

// Answers "never synced" for every sub-account until the IndexedDB store
// (lib/store) lands and replaces it here.
const emptySnapshotSource: SnapshotSource = {
  async get() {
    return null;
  },
};

export default defineBackground(() => {
  const router = createMessageRouter(requests, createHandlers({ snapshots: emptySnapshotSource }), {
    extensionId: browser.runtime.id,
    extensionOrigin: extensionOriginOf(browser.runtime.getURL('')),
  });
  browser.runtime.onMessage.addListener(router);
});
