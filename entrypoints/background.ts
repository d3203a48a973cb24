import { browser } from 'wxt/browser';
import { resolveApiBases, TEST_API_BASES_KEY } from '../lib/background/api-bases';
import { registerCommandForwarding, registerPageStatusCleanup } from '../lib/background/commands';
import { notifyDataChanged } from '../lib/background/conversation';
import { createServices } from '../lib/background/create-services';
import { startWhiteLabelHosts } from '../lib/background/hosts';
import { createBackgroundHandlers } from '../lib/background/index';
import { sendHandlers } from '../lib/background/send';
import { installSendBench } from '../lib/background/send-bench';
import {
  createSendService,
  handleOutboxAlarm,
  type SendService,
} from '../lib/background/send-service';
import type { BackgroundServices } from '../lib/background/services';
import { createSyncService, ensureSyncAlarm, handleSyncAlarm } from '../lib/background/sync';
import {
  createMessageRouter,
  extensionOriginOf,
  type Handlers,
  PublicError,
} from '../lib/messaging/background';
import { type Requests, requests } from '../lib/messaging/protocol';
import { openStore } from '../lib/store';

const NO_DATABASE = 'Sender Lens could not open its local database; reload the extension.';

export default defineBackground(() => {
  // Opening the store is asynchronous, but MV3 wants every listener
  // registered synchronously at start: the services are made on first use
  // and each handler awaits them. A failed start is tried again next time.
  let services: Promise<BackgroundServices> | null = null;
  const getServices = (): Promise<BackgroundServices> => {
    if (services === null) {
      const starting = (async () => {
        const [store, apiBases] = await Promise.all([
          openStore(),
          resolveApiBases(import.meta.env.MODE, () =>
            browser.storage.local.get(TEST_API_BASES_KEY).then((r) => r[TEST_API_BASES_KEY]),
          ),
        ]);
        return createServices({
          store,
          apiBases,
          createSync: (base) =>
            createSyncService(base, {
              // Open conversations ask for their sender again after new data.
              onSynced: (locationId) => void notifyDataChanged(locationId).catch(() => {}),
            }),
        });
      })();
      starting.catch(() => {
        services = null;
      });
      services = starting;
    }
    return services;
  };
  // One outbox per worker, over the services. The first event that needs it
  // also picks up what a stopped worker left (posts still queued, uncertain
  // posts to settle, statuses to poll). Nothing starts before an event: the
  // harness of test builds sets the fakes' addresses first.
  let sending: Promise<SendService> | null = null;
  const getSending = (): Promise<SendService> => {
    sending ??= getServices().then(
      (services) => {
        const send = createSendService(services);
        void send.outbox.resume().catch(() => undefined);
        return send;
      },
      (error: unknown) => {
        sending = null;
        throw error;
      },
    );
    return sending;
  };
  let handlers: Promise<Handlers<Requests>> | null = null;
  const getHandlers = (): Promise<Handlers<Requests>> => {
    handlers ??= Promise.all([getServices(), getSending()]).then(
      ([services, send]) => createBackgroundHandlers(services, send),
      (error: unknown) => {
        handlers = null;
        throw error;
      },
    );
    return handlers;
  };

  // The router checks every message (sender, type, payload) before any of
  // these runs, so a refused message never waits for the database.
  const lazy = Object.fromEntries(
    Object.keys(requests).map((type) => [
      type,
      async (payload: unknown, sender: unknown) => {
        let all: Handlers<Requests>;
        try {
          all = await getHandlers();
        } catch {
          throw new PublicError(NO_DATABASE);
        }
        const handler = all[type as keyof Requests] as (p: unknown, s: unknown) => unknown;
        return handler(payload, sender);
      },
    ]),
  ) as unknown as Handlers<Requests>;
  browser.runtime.onMessage.addListener(
    createMessageRouter(requests, lazy, {
      extensionId: browser.runtime.id,
      extensionOrigin: extensionOriginOf(browser.runtime.getURL('')),
    }),
  );

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== undefined) {
      void getSending()
        .then((send) => handleOutboxAlarm(send, alarm))
        .catch(() => undefined);
    }
    getServices()
      .then((s) => handleSyncAlarm(s.sync, alarm))
      .catch((error: unknown) => {
        // A sync records its own errors; this is only the store failing to open.
        console.warn('Sender Lens: the scheduled sync could not start', (error as Error)?.name);
      });
  });
  const schedule = () => {
    ensureSyncAlarm(browser.alarms).catch(() => {});
  };
  browser.runtime.onInstalled.addListener(schedule);
  browser.runtime.onStartup.addListener(schedule);

  if (import.meta.env.MODE === 'e2e') {
    // bench:send drives the outbox from inside the worker; no other build has this.
    installSendBench(async () => {
      const [services, send] = await Promise.all([getServices(), getSending()]);
      return { services, outbox: send.outbox, handlers: sendHandlers(services, send) };
    });
  }

  registerCommandForwarding();
  registerPageStatusCleanup();
  // Agencies' white-label domains: re-register their content scripts if the
  // browser dropped them, and forget domains whose permission was revoked.
  startWhiteLabelHosts();
});
