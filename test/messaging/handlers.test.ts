import { describe, expect, it, vi } from 'vitest';
import { PublicError, type VerifiedSender } from '../../lib/messaging/background';
import { createHandlers, NOT_SYNCED_MESSAGE } from '../../lib/messaging/handlers';
import type { Snapshot } from '../../lib/rules/types';

const snapshot: Snapshot = {
  numbers: [
    { number: '+14155550101', sms: true, default: true },
    { number: '+14155550102', sms: true },
  ],
  users: [],
  contacts: [{ id: 'c1', phone: '+14155550199' }],
  messages: [],
};

const popup: VerifiedSender = { context: 'extension-page', origin: 'chrome-extension://x' };

function sourceOf(entries: Record<string, { snapshot: Snapshot; syncedAt: string | null }>) {
  return { get: vi.fn(async (locationId: string) => entries[locationId] ?? null) };
}

describe('the resolve handler', () => {
  it("resolves the send against the location's snapshot and adds when it was synced", async () => {
    const snapshots = sourceOf({ loc1: { snapshot, syncedAt: '2026-11-01T10:00:00Z' } });
    const { resolve } = createHandlers({ snapshots });
    const answer = await resolve(
      { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1', fromNumber: '+14155550102' } },
      popup,
    );
    expect(snapshots.get).toHaveBeenCalledWith('loc1', 'c1');
    expect(answer).toMatchObject({
      from: '+14155550102',
      rule: 'bulk-from-number',
      syncedAt: '2026-11-01T10:00:00Z',
    });
  });

  it("passes the resolver's refusal through as an answer, not an error", async () => {
    const { resolve } = createHandlers({
      snapshots: sourceOf({ loc1: { snapshot, syncedAt: null } }),
    });
    const answer = await resolve(
      { locationId: 'loc1', send: { via: 'bulk', contactId: 'c1', fromNumber: '+14155550177' } },
      popup,
    );
    expect(answer).toMatchObject({ error: 'bulk-from-unavailable', syncedAt: null });
  });

  it('throws a PublicError telling the user to sync when the location was never synced', async () => {
    const { resolve } = createHandlers({ snapshots: sourceOf({}) });
    const attempt = resolve({ locationId: 'loc2', send: { via: 'bulk', contactId: 'c1' } }, popup);
    await expect(attempt).rejects.toBeInstanceOf(PublicError);
    await expect(attempt).rejects.toThrow(NOT_SYNCED_MESSAGE);
  });
});
