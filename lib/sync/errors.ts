/**
 * What a failed sync says in the sync state: what happened and what to do,
 * in words a person can act on. The API clients' errors already say both
 * (lib/http/errors.ts) and carry no secret; everything else is worded here.
 * The store masks anything shaped like a credential once more before saving.
 */
import { isApiError } from '../http/errors';
import { redactSecrets } from '../secrets/redact';
import { FactInputError, StoreInputError, SyncStateError } from '../store';

/** A sync that cannot start or go on, with the message to show as it is. */
export class SyncError extends Error {
  override readonly name = 'SyncError';
}

/** The message a failed sync leaves in `getSyncState().lastError`. */
export function describeSyncError(error: unknown, hasPrevious: boolean): string {
  const kept = hasPrevious
    ? ' Sender Lens keeps using the data of the last successful sync.'
    : ' Nothing has been synced for this sub-account yet.';
  if (isApiError(error)) return `${error.message}${kept}`;
  if (error instanceof SyncError) return `${error.message}${kept}`;
  if (error instanceof StoreInputError || error instanceof FactInputError) {
    return `The sync received data Sender Lens cannot store (${redactSecrets(error.message)}). Try again later; if it keeps happening, please report it.${kept}`;
  }
  if (error instanceof SyncStateError) {
    if (error.code === 'busy') {
      return `Another sync of this sub-account is already running; wait for it to finish.${kept}`;
    }
    return `The sync was interrupted (${error.message}). Sync again.${kept}`;
  }
  const name = error instanceof Error ? error.name : typeof error;
  const detail = error instanceof Error ? redactSecrets(error.message).slice(0, 200) : '';
  return `The sync stopped on an unexpected error (${name}${detail ? `: ${detail}` : ''}). Try again; if it keeps happening, please report it.${kept}`;
}
