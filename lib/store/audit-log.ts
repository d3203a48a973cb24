/**
 * The audit log: what the extension did and what went out, per sub-account,
 * newest first. Secrets are masked before anything is written.
 */
import { MAX_ID_LENGTH } from '../rules/formats';
import { redactSecrets } from '../secrets/redact';
import type { AuditEntry, AuditInput } from './api';
import { readDate } from './rows';
import { type AuditRow, auditRange, type Db } from './schema';
import { requireId, StoreInputError } from './validate';

/** Checks an entry and adds it to `audit`; returns its sequence number. */
export function addAuditRow(
  audit: { add(value: AuditRow): Promise<number> },
  now: () => number,
  entry: AuditInput,
): Promise<number> {
  requireId(entry.locationId, 'locationId', MAX_ID_LENGTH);
  if (!['send', 'pick', 'sync', 'settings'].includes(entry.kind)) {
    throw new StoreInputError('kind', 'expected "send", "pick", "sync" or "settings"');
  }
  if (typeof entry.summary !== 'string' || entry.summary === '') {
    throw new StoreInputError('summary', 'expected a non-empty string');
  }
  if (entry.outcome !== undefined && entry.outcome !== 'ok' && entry.outcome !== 'error') {
    throw new StoreInputError('outcome', 'expected "ok" or "error"');
  }
  const atMs = readDate(entry.at, now);
  const row: AuditRow = {
    locationId: entry.locationId,
    at: new Date(atMs).toISOString(),
    atMs,
    kind: entry.kind,
    outcome: entry.outcome ?? 'ok',
    summary: redactSecrets(entry.summary),
  };
  if (entry.detail !== undefined) {
    const detail: NonNullable<AuditRow['detail']> = {};
    for (const [key, value] of Object.entries(entry.detail)) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        throw new StoreInputError(`detail.${key}`, 'expected a string, number, boolean or null');
      }
      detail[key] = typeof value === 'string' ? redactSecrets(value) : value;
    }
    row.detail = detail;
  }
  return audit.add(row);
}

/** A page of a location's audit log, newest first; pass the last entry's `seq` as `before` for the next. */
export async function listAuditPage(
  db: Db,
  locationId: string,
  options: { limit?: number; before?: number } = {},
): Promise<AuditEntry[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new StoreInputError('limit', 'expected a whole number from 1 to 1000');
  }
  const tx = db.transaction('audit', 'readonly');
  let upToMs = Number.POSITIVE_INFINITY;
  const before = options.before;
  if (before !== undefined) {
    const anchor = Number.isInteger(before) ? await tx.store.get(before) : undefined;
    if (anchor === undefined || anchor.locationId !== locationId) {
      throw new StoreInputError('before', `no audit entry ${before} for this location`);
    }
    upToMs = anchor.atMs;
  }
  const out: AuditEntry[] = [];
  // The index orders entries of the same millisecond by seq, so walking
  // backwards from the anchor's time and skipping seq >= before resumes
  // exactly where the previous page stopped.
  let cursor = await tx.store
    .index('byLocationTime')
    .openCursor(auditRange(locationId, upToMs), 'prev');
  while (cursor !== null && out.length < limit) {
    const row = cursor.value as AuditEntry;
    if (before === undefined || row.atMs < upToMs || row.seq < before) out.push(row);
    cursor = await cursor.continue();
  }
  return out;
}
