/**
 * The one way the background gets what the resolver needs for a contact:
 * the contact's phone and DND made sure of through the sync's on-demand fetch
 * (the sync never lists contacts), then the sub-account's data with that
 * contact alone, indexed. Conversation views, audits and `resolve` all use it.
 */
import { isApiError } from '../http/errors';
import { buildIndex, isIndex, type RulesIndex } from '../rules';
import type { StoreSnapshot } from '../store';
import { FetchNotAllowed, SyncError } from '../sync';
import { OVER_BUDGET } from './budget';
import { plainSentence } from './plain-errors';
import type { BackgroundServices } from './services';

export const NOT_SYNCED = 'Not synced yet: open Sender Lens options and sync this sub-account.';
const NO_HIGHLEVEL_TOKEN =
  'No HighLevel token is saved for this sub-account; paste one in Sender Lens options.';
const NO_SUCH_CONTACT = 'HighLevel has no such contact in this sub-account.';
const CONTACT_UNKNOWN =
  'Sender Lens could not read this contact from HighLevel; try again in a minute.';

export type ContactIndex =
  /** `stale`: the contact could not be checked with HighLevel just now (the reason stays here). */
  | { ok: true; found: StoreSnapshot; index: RulesIndex; stale: boolean }
  | { ok: false; state: 'not-synced' | 'error'; message: string; syncedAt: string | null };

/**
 * The sub-account's data with `contactId`, indexed, or why it cannot be had,
 * in fixed sentences safe for any context. `mayFetch` is asked before
 * HighLevel is (a tab's budget); without it the fetch is always allowed.
 */
export async function contactIndex(
  services: Pick<BackgroundServices, 'store' | 'sync'>,
  locationId: string,
  contactId: string,
  mayFetch?: () => boolean,
): Promise<ContactIndex> {
  let stale = false;
  let ensureFailure: string | null = null;
  try {
    const ensured = await services.sync.ensureContact(
      locationId,
      contactId,
      mayFetch === undefined ? {} : { mayFetch },
    );
    if (ensured === null) ensureFailure = NO_SUCH_CONTACT;
    else stale = ensured.stale !== null;
  } catch (error) {
    // A SyncError is ours (no token saved); an ApiError may quote the
    // provider, so what is said is a fixed sentence instead.
    ensureFailure =
      error instanceof FetchNotAllowed
        ? OVER_BUDGET
        : error instanceof SyncError
          ? NO_HIGHLEVEL_TOKEN
          : isApiError(error)
            ? plainSentence(error)
            : CONTACT_UNKNOWN;
  }
  const found = await services.store.getSnapshotForContacts(locationId, [contactId]);
  if (!found) return { ok: false, state: 'not-synced', message: NOT_SYNCED, syncedAt: null };
  if (!found.snapshot.contacts.some((c) => c.id === contactId)) {
    return {
      ok: false,
      state: 'error',
      message: ensureFailure ?? CONTACT_UNKNOWN,
      syncedAt: found.syncedAt,
    };
  }
  const index = buildIndex(found.snapshot);
  if (!isIndex(index)) {
    return {
      ok: false,
      state: 'error',
      message: `Sender Lens could not read the synced data (${index.field ?? 'snapshot'}); sync again.`,
      syncedAt: found.syncedAt,
    };
  }
  return { ok: true, found, index, stale };
}
