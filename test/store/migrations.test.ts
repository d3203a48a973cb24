import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { resolveSnapshot } from '../../lib/rules/index';
import { foldMessage } from '../../lib/store/facts';
import { openStore } from '../../lib/store/index';
import { LATEST_VERSION, MIGRATIONS } from '../../lib/store/migrations';
import { openDatabase } from '../../lib/store/open';
import { DB_NAME } from '../../lib/store/schema';
import { wholeSnapshot } from './helpers';

describe('migrations', () => {
  it('are numbered 1, 2, 3… in order, the last being the version the code opens', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('open data written by version 1 under the latest version', async () => {
    const factory = new IDBFactory();
    const v1 = await openDatabase(factory, { version: 1 });
    expect(v1.version).toBe(1);
    expect([...v1.transaction('audit').store.indexNames]).toEqual([]);

    // Rows exactly as version 1 wrote them: audit entries carry only `at`.
    const tx = v1.transaction(
      ['locations', 'numbers', 'staff', 'contacts', 'contactFacts', 'picks', 'syncState', 'audit'],
      'readwrite',
    );
    const facts = foldMessage(undefined, {
      number: '+14155550144',
      direction: 'outbound',
      atMs: Date.UTC(2025, 0, 1),
      manual: true,
      sid: 'SM1',
    });
    await Promise.all([
      tx.objectStore('locations').put({
        locationId: 'loc-a',
        name: 'Acme',
        country: 'US',
        selectedForSync: true,
        activeGeneration: 3,
        revision: 5,
        nextGeneration: 4,
        syncedAt: '2025-06-01T00:00:00.000Z',
      }),
      tx.objectStore('numbers').put({
        locationId: 'loc-a',
        generation: 3,
        number: '+14155550100',
        sms: true,
        default: true,
      }),
      tx.objectStore('numbers').put({
        locationId: 'loc-a',
        generation: 3,
        number: '+14155550144',
        sms: true,
      }),
      tx.objectStore('staff').put({ locationId: 'loc-a', generation: 3, id: 'u-jane' }),
      tx.objectStore('contacts').put({
        locationId: 'loc-a',
        generation: 3,
        id: 'c-pat',
        phone: '+14155559001',
      }),
      tx.objectStore('contactFacts').put({
        locationId: 'loc-a',
        generation: 3,
        contactId: 'c-pat',
        facts,
      }),
      tx.objectStore('syncState').put({
        locationId: 'loc-a',
        cursors: { 'twilio:messages': 'abc' },
        lastSuccessAt: '2025-06-01T00:00:00.000Z',
        lastError: null,
        lastSync: null,
        staging: null,
      }),
      ...['2025-06-01T10:00:00.000Z', '2025-06-01T09:00:00.000Z', 'not a date'].map((at, i) =>
        tx.objectStore('audit').add({
          locationId: 'loc-a',
          at,
          kind: 'send',
          outcome: 'ok',
          summary: `v1 entry ${i}`,
        } as never),
      ),
      tx.done,
    ]);
    v1.close();

    const store = await openStore({ factory, now: () => Date.UTC(2026, 0, 1) });
    const db = await store.db();
    expect(db.version).toBe(LATEST_VERSION);

    const result = await wholeSnapshot(store, 'loc-a');
    expect(result?.syncedAt).toBe('2025-06-01T00:00:00.000Z');
    expect(result?.snapshot.numbers).toHaveLength(2);
    expect(
      resolveSnapshot(result?.snapshot, {
        via: 'conversation',
        contactId: 'c-pat',
        userId: 'u-jane',
      }),
    ).toMatchObject({ from: '+14155550144', rule: 'last-manual-pick' });
    expect((await store.getSyncState('loc-a')).cursors).toEqual({ 'twilio:messages': 'abc' });
    // Version 3's packed snapshot copy is gone again since version 5.
    expect(db.objectStoreNames.contains('snapshotCache' as never)).toBe(false);

    // Version 2's index lists the old entries by time; an unreadable date sorts oldest.
    await store.appendAudit({ locationId: 'loc-a', kind: 'sync', summary: 'new entry' });
    expect((await store.listAudit('loc-a')).map((e) => [e.summary, e.atMs])).toEqual([
      ['new entry', Date.UTC(2026, 0, 1)],
      ['v1 entry 0', Date.parse('2025-06-01T10:00:00.000Z')],
      ['v1 entry 1', Date.parse('2025-06-01T09:00:00.000Z')],
      ['v1 entry 2', 0],
    ]);
    store.close();
  });

  it('an older connection steps aside when another context upgrades', async () => {
    const factory = new IDBFactory();
    let closed = false;
    const old = await openDatabase(factory, {
      version: 1,
      onClose: () => {
        closed = true;
      },
    });
    const store = await openStore({ factory });
    expect((await store.db()).version).toBe(LATEST_VERSION);
    expect(closed).toBe(true);
    // The old connection is closed, not half-usable.
    expect(() => old.transaction('locations')).toThrow();
    store.close();
  });

  it('a failing step leaves the database at its old version with its data', async () => {
    const factory = new IDBFactory();
    const v1 = await openDatabase(factory, { version: 1 });
    await v1.put('picks', {
      locationId: 'loc-a',
      contactId: 'c-pat',
      number: '+14155550111',
      at: '2025-01-01T00:00:00.000Z',
      atMs: Date.UTC(2025, 0, 1),
    });
    v1.close();
    const broken = [
      MIGRATIONS[0] as (typeof MIGRATIONS)[number],
      {
        version: 2,
        description: 'fails half way',
        async migrate(_db: unknown, tx: Parameters<(typeof MIGRATIONS)[number]['migrate']>[1]) {
          tx.objectStore('audit').createIndex('byLocationTime', ['locationId', 'atMs']);
          await tx.objectStore('picks').clear();
          throw new Error('step 2 broke');
        },
      },
    ];
    await expect(openDatabase(factory, { migrations: broken })).rejects.toThrow(
      'Could not upgrade the sender-lens database: step 2 broke',
    );
    const after = await openDatabase(factory, { version: 1 });
    expect(after.version).toBe(1);
    expect([...after.transaction('audit').store.indexNames]).toEqual([]);
    expect(await after.count('picks')).toBe(1);
    after.close();
  });

  it('a database newer than the code is not opened (downgrade refused, data kept)', async () => {
    const factory = new IDBFactory();
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DB_NAME, LATEST_VERSION + 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    newer.close();
    await expect(openStore({ factory })).rejects.toThrow();
  });
});
