/**
 * The extension's store: per sub-account (location) numbers, staff, contacts
 * and per-contact facts, picks made in the extension, sync state and the
 * audit log, in IndexedDB through idb. It builds the resolver's snapshot; the
 * resolver never touches IndexedDB. See schema.ts for the layout and why
 * syncs write into generations.
 *
 * A snapshot's contacts are those a sync listed (joined with the history
 * kept under their ids) and those fetched from HighLevel on demand (the
 * contact cache: joined with the history of their id and of their phone,
 * read with the sub-account's country). A cached contact wins over a listed
 * one of the same id.
 */
export type {
  AuditEntry,
  AuditInput,
  CachedContact,
  ContactDetails,
  LocationInfo,
  LocationSettings,
  PageMessage,
  PendingPick,
  StoreOptions,
  StoreSnapshot,
  SyncStateInfo,
} from './api';
export { SyncStateError } from './api';
export type { ContactHistory, FactMessage, FoldableMessage } from './facts';
export { FactInputError, factsToMessages, foldMessage, mergeFacts, optOutState } from './facts';
export { contactKeys, isPhoneKey, phoneKey } from './keys';
export type { NewSend, OutboxState, SendChange, SendRow } from './outbox';
export { OutboxRows } from './outbox';
export type { AuditKind } from './schema';
export { Store } from './store';
export { StoreInputError } from './validate';
export { SyncWriter } from './writer';

import type { StoreOptions } from './api';
import { Store } from './store';

/** Opens the store (the global `indexedDB` unless a factory is given). */
export async function openStore(options: IDBFactory | StoreOptions = {}): Promise<Store> {
  const store = new Store(
    typeof (options as IDBFactory).open === 'function'
      ? { factory: options as IDBFactory }
      : (options as StoreOptions),
  );
  // Open now so a failed migration surfaces here, not at the first read.
  await store.db();
  return store;
}
