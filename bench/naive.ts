/**
 * The baseline the benchmark compares against: the same rules and results,
 * but every send re-reads the whole history. It scans all messages for the
 * contact's own and folds them with `indexHistory`, so nothing about the
 * history is kept between sends.
 */
import {
  buildIndex,
  indexHistory,
  isIndex,
  type Resolution,
  resolve,
  type Snapshot,
  type SnapshotMessage,
} from '../lib/rules';

/**
 * A resolver for one snapshot that scans its history on every send. Numbers,
 * staff and contacts are indexed once (without messages), as they are cheap.
 * Meant for snapshots `buildIndex` accepts: a bad message throws here.
 */
export function naiveResolver(snapshot: Snapshot): (send: unknown) => Resolution {
  const base = buildIndex({ ...snapshot, messages: [] });
  if (!isIndex(base)) throw new Error(`the snapshot is not valid input: ${base.message}`);
  const messages = snapshot.messages;
  return (send) => {
    const contactId =
      typeof send === 'object' && send !== null && 'contactId' in send ? send.contactId : undefined;
    const mine: SnapshotMessage[] = [];
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as SnapshotMessage;
      if (message.contactId === contactId) mine.push(message);
    }
    return resolve({ ...base, facts: indexHistory(mine, base.phones) }, send);
  };
}
