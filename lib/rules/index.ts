/**
 * The sender-number resolver: which number an SMS goes out from, which rule
 * decided it, and why every earlier rule did not apply (../shared/RULES.md).
 */
import { resolve } from './resolve';
import { buildIndex, isIndex } from './snapshot-index';
import type { Resolution } from './types';

export { parseMessageDate } from './dates';
export { E164, isE164, MAX_ID_LENGTH } from './formats';
export { keywordOf } from './keywords';
export { PhoneBook } from './phone';
export { resolve } from './resolve';
export type { RulesIndex } from './snapshot-index';
export { buildIndex, indexHistory, isIndex } from './snapshot-index';
export * from './types';

/** Builds the index and resolves one send: for one-off use (scenarios, tests). */
export function resolveSnapshot(snapshot: unknown, send: unknown): Resolution {
  const index = buildIndex(snapshot);
  return isIndex(index) ? resolve(index, send) : index;
}
