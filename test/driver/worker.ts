// Stopping the extension's service worker as Chrome does when it is idle, over the page-level
// CDP domain (ServiceWorker.stopAllWorkers): no debugger stays attached to the worker itself.
import type { Page } from 'playwright-core';
import type { LaunchedExtension } from './chromium';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WorkerStopper {
  /** Stops the worker and waits until Chrome reports it stopped. */
  stop(): Promise<void>;
  /** The worker's running status as Chrome last reported it. */
  status(): string;
}

/** A stopper for `extension`'s worker, driven from `page` (any page of the browser). */
export async function workerStopper(
  extension: LaunchedExtension,
  page: Page,
): Promise<WorkerStopper> {
  const session = await extension.context.newCDPSession(page);
  let status = 'running';
  session.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const version of event.versions) {
      if (version.scriptURL.startsWith(`chrome-extension://${extension.extensionId}/`)) {
        status = version.runningStatus;
      }
    }
  });
  await session.send('ServiceWorker.enable');
  return {
    status: () => status,
    async stop() {
      await session.send('ServiceWorker.stopAllWorkers');
      const deadline = Date.now() + 10_000;
      while (status !== 'stopped') {
        if (Date.now() > deadline) throw new Error('The service worker did not stop within 10 s');
        await sleep(10);
      }
      // Let the stop settle, so the next event starts the worker from nothing.
      await sleep(200);
    },
  };
}
