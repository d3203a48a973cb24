import { browser } from 'wxt/browser';
import { HIGHLEVEL_APP_HOSTS } from '@/lib/hosts';
import { sendRequest } from '@/lib/messaging/client';
import { readTabMessage } from '@/lib/messaging/tab';
import { startConversations } from './conversations';
import { loadSendUi } from './send-ui';

export default defineContentScript({
  // e2e/demo builds also match http://127.0.0.1/*; wxt.config.ts adds that to the manifest.
  matches: [...HIGHLEVEL_APP_HOSTS],
  main(ctx) {
    // Lets the e2e suite see that the script was injected; production pages get no marker.
    if (import.meta.env.MODE !== 'production')
      document.documentElement.dataset.senderLens = 'ready';

    const controller = startConversations({
      doc: document,
      api: sendRequest,
      signal: ctx.signal,
      requestFrame: (callback) => ctx.requestAnimationFrame(callback),
      setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
      now: Date.now,
      loadSendUi: () => loadSendUi(() => sendRequest('send-ui', {})),
      listenTabMessages(listener) {
        const onMessage = (message: unknown, sender: { id?: string; tab?: unknown }) => {
          // Only the extension's background: not another extension, not a content script in a tab.
          if (sender.id !== browser.runtime.id || sender.tab !== undefined) return;
          const read = readTabMessage(message);
          if (read) listener(read);
        };
        browser.runtime.onMessage.addListener(onMessage);
        ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(onMessage));
      },
    });
    // Single-page navigation: WXT reports address changes (Navigation API, or polling).
    ctx.addEventListener(window, 'wxt:locationchange', () => controller.onRoute());
  },
});
