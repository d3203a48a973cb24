/**
 * HighLevel contacts on demand. A sub-account may hold hundreds of thousands
 * of contacts, and the resolver only ever needs the one whose conversation is
 * open, so the sync never lists them: when an agent opens a conversation, the
 * content script's handler calls `ensureContact`, which reads the contact
 * (GET /contacts/{id}: phone and DND) unless the store's copy is recent, and
 * caches it outside the sync's generations. The snapshot then joins it with
 * the history of its phone (lib/store/keys.ts).
 */
import type { HighLevelClient, HighLevelContact } from '../highlevel';
import { isApiError } from '../http/errors';
import type { SnapshotContact } from '../rules/types';
import type { Store } from '../store';
import { SyncError } from './errors';

/** How long a fetched contact is used before HighLevel is asked again. */
export const CONTACT_MAX_AGE_MS = 5 * 60_000;

/** How long HighLevel's "no such contact" is believed before it is asked again. */
export const CONTACT_MISSING_MS = 10 * 60_000;

/** Contact ids remembered as missing at once; the oldest is forgotten first. */
const MAX_MISSING = 1000;

/** The caller's budget did not allow a fetch, and no cached copy could stand in. */
export class FetchNotAllowed extends Error {
  override readonly name = 'FetchNotAllowed';
}

export interface EnsureOptions {
  /** Asked just before HighLevel would be; false means do not fetch. */
  mayFetch?: () => boolean;
}

export interface EnsuredContact {
  contact: SnapshotContact;
  fetchedAt: string;
  /**
   * Why the copy may be out of date: HighLevel could not be asked just now
   * (the message says why and what to do). Null when it is recent.
   */
  stale: string | null;
}

export interface ContactFetcherOptions {
  store: Store;
  highlevel: (locationId: string) => Promise<HighLevelClient | null>;
  now?: () => number;
  maxAgeMs?: number;
}

/** The contact as the resolver sees it. */
export function toSnapshotContact(contact: HighLevelContact): SnapshotContact {
  const out: SnapshotContact = { id: contact.id, smsDnd: contact.smsDnd };
  if (contact.name !== undefined) out.name = contact.name;
  if (contact.phone !== undefined) out.phone = contact.phone;
  return out;
}

/**
 * Makes `ensureContact(locationId, contactId)`: the contact's cached copy,
 * refreshed from HighLevel when older than `maxAgeMs`; null when HighLevel
 * says it does not exist in this sub-account (the cached copy is dropped).
 * When HighLevel cannot be reached, a cached copy is returned marked stale;
 * without one, the ApiError (or SyncError) is thrown, its message readable
 * as it is. Calls for the same contact while one is under way share it.
 */
export function createContactFetcher(
  options: ContactFetcherOptions,
): (
  locationId: string,
  contactId: string,
  ensure?: EnsureOptions,
) => Promise<EnsuredContact | null> {
  const { store } = options;
  const now = options.now ?? Date.now;
  const maxAge = options.maxAgeMs ?? CONTACT_MAX_AGE_MS;
  const running = new Map<string, Promise<EnsuredContact | null>>();
  // Negative answers, kept apart from the store's cache: key -> until when.
  const missing = new Map<string, number>();

  function rememberMissing(key: string): void {
    missing.delete(key);
    while (missing.size >= MAX_MISSING) {
      const oldest = missing.keys().next().value;
      if (oldest === undefined) break;
      missing.delete(oldest);
    }
    missing.set(key, now() + CONTACT_MISSING_MS);
  }

  async function fetchContact(
    locationId: string,
    contactId: string,
    key: string,
    ensure: EnsureOptions,
  ): Promise<EnsuredContact | null> {
    const cached = await store.getCachedContact(locationId, contactId);
    if (cached !== null && now() - cached.fetchedAtMs < maxAge) {
      return { contact: cached.contact, fetchedAt: cached.fetchedAt, stale: null };
    }
    const until = missing.get(key);
    if (until !== undefined && now() < until) return null;
    if (ensure.mayFetch !== undefined && !ensure.mayFetch()) {
      if (cached === null) throw new FetchNotAllowed('Over the request budget');
      return {
        contact: cached.contact,
        fetchedAt: cached.fetchedAt,
        stale: 'Not checked with HighLevel: the request budget is spent.',
      };
    }
    const client = await options.highlevel(locationId);
    try {
      if (client === null) {
        throw new SyncError(
          'No HighLevel token is saved for this sub-account. Paste a Private Integration token of the sub-account in Sender Lens options.',
        );
      }
      const found = await client.getContact(contactId);
      if (found.locationId !== undefined && found.locationId !== locationId) {
        // Never file another sub-account's contact under this one.
        await store.removeCachedContact(locationId, contactId);
        rememberMissing(key);
        return null;
      }
      const saved = await store.putCachedContact(
        locationId,
        toSnapshotContact(found),
        new Date(now()).toISOString(),
      );
      return { contact: saved.contact, fetchedAt: saved.fetchedAt, stale: null };
    } catch (error) {
      if (isApiError(error) && error.kind === 'not-found') {
        await store.removeCachedContact(locationId, contactId);
        rememberMissing(key);
        return null;
      }
      if (cached !== null && (isApiError(error) || error instanceof SyncError)) {
        return { contact: cached.contact, fetchedAt: cached.fetchedAt, stale: error.message };
      }
      throw error;
    }
  }

  return (locationId, contactId, ensure = {}) => {
    const key = `${locationId}\u0000${contactId}`;
    let call = running.get(key);
    if (call === undefined) {
      call = fetchContact(locationId, contactId, key, ensure).finally(() => running.delete(key));
      running.set(key, call);
    }
    return call;
  };
}
