/** Pulls HighLevel and Twilio into the store; see ./README.md for the rules. */
export {
  CONTACT_MAX_AGE_MS,
  type ContactFetcherOptions,
  createContactFetcher,
  type EnsuredContact,
  type EnsureOptions,
  FetchNotAllowed,
  toSnapshotContact,
} from './contacts';
export { describeSyncError, SyncError } from './errors';
export { HistoryFold, type SkipReason, sidesOf } from './history';
export {
  foreignNumbers,
  mergeNumbers,
  phoneBookFor,
  type SyncWarning,
  staffOf,
  withPools,
} from './merge';
export {
  CONTACT_CACHE_DAYS,
  DEFAULT_OVERLAP_MS,
  DEFAULT_PAGE_SIZE,
  type RunSyncOptions,
  runSync,
  type SyncOutcome,
  type SyncPhase,
  type SyncProgress,
  TWILIO_CURSOR,
} from './run';
