import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '../../entrypoints/background';
import { NOT_SYNCED } from '../../lib/background/contact-index';
import { SYNC_ALARM, SYNC_PERIOD_MINUTES } from '../../lib/background/sync';
import { openStore } from '../../lib/store';
import { contentScript, extensionPage } from '../messaging/senders';

const resolveMessage = {
  type: 'resolve',
  payload: { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1' } },
};

afterEach(() => {
  vi.unstubAllGlobals();
});

let commandListeners: ((command: string, tab?: { id?: number }) => void)[] = [];

beforeEach(() => {
  fakeBrowser.reset();
  // A fresh database per test, as a newly installed extension has.
  globalThis.indexedDB = new IDBFactory();
  // The fake browser has no commands API; keep the listener to fire it by hand.
  commandListeners = [];
  vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation((listener) => {
    commandListeners.push(listener as (typeof commandListeners)[number]);
  });
  // Nor permissions events; white-label restore only needs to subscribe.
  vi.spyOn(fakeBrowser.permissions.onRemoved, 'addListener').mockImplementation(() => {});
  vi.spyOn(fakeBrowser.scripting, 'getRegisteredContentScripts').mockImplementation(
    async () => [] as never,
  );
});

describe('the background entrypoint', () => {
  it('answers from the store, which it opens on the first message', async () => {
    background.main();
    const replies = await fakeBrowser.runtime.onMessage.trigger(
      resolveMessage,
      extensionPage(),
      () => {},
    );
    expect(replies).toEqual([
      { ok: false, error: { code: 'handler-failed', message: NOT_SYNCED } },
    ]);
  });

  it('checks the sender before anything else, even when the database cannot open', async () => {
    globalThis.indexedDB = {
      open() {
        throw new Error('IndexedDB is disabled');
      },
    } as unknown as IDBFactory;
    background.main();
    const [refused] = await fakeBrowser.runtime.onMessage.trigger(
      resolveMessage,
      contentScript({ id: 'another-extension' }),
      () => {},
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const [failed] = await fakeBrowser.runtime.onMessage.trigger(
      resolveMessage,
      extensionPage(),
      () => {},
    );
    expect(failed).toEqual({
      ok: false,
      error: {
        code: 'handler-failed',
        message: 'Sender Lens could not open its local database; reload the extension.',
      },
    });
  });

  it('sets the sync alarm on install, and syncs the selected sub-accounts when it fires', async () => {
    // The secrets open only in the extension's own origin, as the worker runs.
    vi.stubGlobal('location', { protocol: 'chrome-extension:' });
    background.main();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    const alarm = await fakeBrowser.alarms.get(SYNC_ALARM);
    expect(alarm?.periodInMinutes).toBe(SYNC_PERIOD_MINUTES);
    const store = await openStore();
    await store.setLocationSettings('loc1', { selectedForSync: true });
    await store.setLocationSettings('loc2', { selectedForSync: false });
    await fakeBrowser.alarms.onAlarm.trigger(alarm as NonNullable<typeof alarm>);
    // The sync runs after the listener returns; no credentials are saved, so it fails, saying so.
    let state = await store.getSyncState('loc1');
    for (let i = 0; i < 100 && state.lastError === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      state = await store.getSyncState('loc1');
    }
    expect(state.lastError?.message).toMatch(/^No HighLevel token is saved for this sub-account/);
    expect((await store.getSyncState('loc2')).lastError).toBeNull();
    store.close();
  });

  it('forwards the switcher shortcut to the tab it was pressed in', async () => {
    const sent: [number, unknown][] = [];
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation(async (tabId, message) => {
      sent.push([tabId, message]);
    });
    background.main();
    expect(commandListeners).toHaveLength(1);
    commandListeners[0]?.('open-switcher', { id: 7 });
    commandListeners[0]?.('something-else', { id: 7 });
    await vi.waitFor(() => expect(sent).toEqual([[7, { type: 'open-switcher' }]]));
  });
});
