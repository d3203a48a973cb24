import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  ensureSyncAlarm,
  handleSyncAlarm,
  SYNC_ALARM,
  SYNC_PERIOD_MINUTES,
} from '../../lib/background/sync';
import { ApiError } from '../../lib/http/errors';
import { isRefusal, resolveSnapshot } from '../../lib/rules/index';
import { expectNoViolations, generateBulkHistory } from '../fakes';
import { makeWorld, NOW, serviceOf, type World } from './setup';

let w: World;

beforeEach(async () => {
  w = await makeWorld();
  fakeBrowser.reset();
});

afterEach(() => {
  expectNoViolations(w.twilio);
  expectNoViolations(w.highlevel);
});

const messageLists = (world: World) =>
  world.twilio.requests.filter((r) => r.path.endsWith('/Messages.json')).length;

describe('the sync service', () => {
  it('runs one sync of a location at a time: a second call gets the running one', async () => {
    const sync = serviceOf(w);
    const first = sync.run('loc-demo', 'full');
    const second = sync.run('loc-demo', 'incremental');
    expect(second).toBe(first);
    const status = await first;
    expect(messageLists(w)).toBe(1);
    expect(status).toMatchObject({ running: false, progress: null, lastError: null });
    expect(status.lastSync?.kind).toBe('full');
    // Once it has ended, a new call starts a new sync.
    expect((await sync.run('loc-demo', 'incremental')).lastSync?.kind).toBe('incremental');
    expect(messageLists(w)).toBe(2);
  });

  it('shows live progress while a sync runs, and none after', async () => {
    generateBulkHistory(w.twilio, {
      messages: 4000,
      numbers: [w.seeded.numbers.main.phone],
      contacts: 50,
      newest: new Date(NOW - 86_400_000),
    });
    const sync = serviceOf(w, { pageSize: 500 });
    // Numbers, then the first page of messages; the second page takes a while.
    w.twilio.faults.slow(2, 0);
    w.twilio.faults.slow(1, 300);
    const running = sync.run('loc-demo', 'full');
    let seen = null;
    for (let i = 0; i < 100 && seen === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const status = await sync.status('loc-demo');
      if (status.progress?.phase === 'messages' && status.progress.pages > 0) seen = status;
    }
    expect(seen?.progress).toMatchObject({ phase: 'messages', itemsTotal: null });
    expect(seen?.progress?.items).toBeGreaterThan(0);
    expect(seen?.running).toBe(true);
    expect(seen?.staging?.kind).toBe('full');
    await running;
    expect(await sync.status('loc-demo')).toMatchObject({ progress: null, running: false });
  });

  it('on schedule, syncs the locations selected for sync: full the first time, then incremental', async () => {
    await w.store.setLocationSettings('loc-demo', { selectedForSync: true });
    await w.store.setLocationSettings('loc-elsewhere', { selectedForSync: false });
    const sync = serviceOf(w);
    const first = await sync.runScheduled();
    expect(Object.keys(first)).toEqual(['loc-demo']);
    expect(first['loc-demo']?.lastSync?.kind).toBe('full');
    const again = await sync.runScheduled();
    expect(again['loc-demo']?.lastSync?.kind).toBe('incremental');
    expect((await sync.status('loc-elsewhere')).lastSync).toBeNull();
  });

  it('keeps a 15-minute alarm and runs the scheduled syncs when it fires', async () => {
    await w.store.setLocationSettings('loc-demo', { selectedForSync: true });
    const sync = serviceOf(w);
    await ensureSyncAlarm(fakeBrowser.alarms);
    const alarm = await fakeBrowser.alarms.get(SYNC_ALARM);
    expect(alarm?.periodInMinutes).toBe(SYNC_PERIOD_MINUTES);
    expect(SYNC_PERIOD_MINUTES).toBe(15);
    // A worker restart keeps the alarm as it was.
    await ensureSyncAlarm(fakeBrowser.alarms);
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.scheduledTime).toBe(alarm?.scheduledTime);

    const done: Promise<unknown>[] = [];
    fakeBrowser.alarms.onAlarm.addListener((fired) => {
      done.push(handleSyncAlarm(sync, fired));
    });
    await fakeBrowser.alarms.onAlarm.trigger(alarm as NonNullable<typeof alarm>);
    await Promise.all(done);
    expect((await sync.status('loc-demo')).lastSync?.kind).toBe('full');
    // Someone else's alarm is not ours.
    expect(await handleSyncAlarm(sync, { name: 'other' })).toBeNull();
    expect(messageLists(w)).toBe(1);
  });
});

describe('contacts on demand', () => {
  it('are fetched once, reused while recent, and joined with the history of their phone', async () => {
    const sync = serviceOf(w);
    await sync.run('loc-demo', 'full');
    const { ben } = w.seeded.contacts;
    const reads = () => w.highlevel.requests.filter((r) => r.path === `/contacts/${ben}`).length;
    const first = await sync.ensureContact('loc-demo', ben);
    expect(first).toMatchObject({
      contact: { id: ben, phone: w.seeded.contactPhones.ben, smsDnd: false },
      stale: null,
    });
    expect(reads()).toBe(1);
    await sync.ensureContact('loc-demo', ben);
    expect(reads()).toBe(1);
    const found = await w.store.getSnapshotForContacts('loc-demo', [ben]);
    const r = resolveSnapshot(found?.snapshot, {
      via: 'conversation',
      contactId: ben,
      userId: w.seeded.users.vic,
    });
    expect(isRefusal(r) ? r.error : [r.from, r.rule]).toEqual([
      w.seeded.numbers.hygiene.phone,
      'channel-number',
    ]);

    // Older than five minutes: asked again.
    w.clock.now += 6 * 60_000;
    await sync.ensureContact('loc-demo', ben);
    expect(reads()).toBe(2);
  });

  it('are dropped when HighLevel no longer has them, and kept (marked stale) when it cannot be reached', async () => {
    const sync = serviceOf(w);
    await sync.run('loc-demo', 'full');
    expect(await sync.ensureContact('loc-demo', 'ct-gone')).toBeNull();
    const { hank } = w.seeded.contacts;
    await sync.ensureContact('loc-demo', hank);
    w.clock.now += 6 * 60_000;
    w.highlevel.faults.drop(4);
    const stale = await sync.ensureContact('loc-demo', hank);
    expect(stale?.contact.id).toBe(hank);
    expect(stale?.stale).toMatch(/Could not reach HighLevel/);
    // Without a cached copy, the reason is thrown.
    w.highlevel.faults.drop(4);
    await expect(sync.ensureContact('loc-demo', w.seeded.contacts.ivy)).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('share one request when asked for together', async () => {
    const sync = serviceOf(w);
    const { carla } = w.seeded.contacts;
    const [a, b] = await Promise.all([
      sync.ensureContact('loc-demo', carla),
      sync.ensureContact('loc-demo', carla),
    ]);
    expect(b).toEqual(a);
    expect(w.highlevel.requests.filter((r) => r.path === `/contacts/${carla}`)).toHaveLength(1);
  });
});
