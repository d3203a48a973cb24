/**
 * One sync of one sub-account: HighLevel's numbers, number pools and staff,
 * Twilio's numbers and message history, merged (./merge.ts), folded
 * (./history.ts) and swapped into the store in one step. See ./README.md for
 * the rules.
 */
import type {
  HighLevelClient,
  HighLevelNumberPool,
  HighLevelPhoneNumber,
  HighLevelUser,
} from '../highlevel';
import { isApiError } from '../http/errors';
import type { Page } from '../http/page';
import type { SyncPhase, SyncProgress } from '../messaging/views';
import type { SnapshotNumber, SnapshotUser } from '../rules/types';
import { type Store, StoreInputError, type SyncWriter } from '../store';
import type { TwilioClient, TwilioIncomingNumber } from '../twilio';
import { describeSyncError, SyncError } from './errors';
import { HistoryFold } from './history';
import {
  foreignNumbers,
  mergeNumbers,
  phoneBookFor,
  type SyncWarning,
  staffOf,
  withPools,
} from './merge';

/** Where the next incremental sync starts: the newest date_sent seen, ISO 8601. */
export const TWILIO_CURSOR = 'twilio:dateSent';
/** How far before the cursor an incremental sync starts reading again. */
export const DEFAULT_OVERLAP_MS = 10 * 60_000;
/** Messages per Twilio page: the most Twilio gives. */
export const DEFAULT_PAGE_SIZE = 1000;
/** Cached contacts not opened for this long are dropped after a sync. */
export const CONTACT_CACHE_DAYS = 30;

export type { SyncPhase, SyncProgress };

export interface RunSyncOptions {
  store: Store;
  locationId: string;
  /** An incremental sync of a sub-account never synced runs as a full one. */
  kind: 'full' | 'incremental';
  /**
   * The clients, built from the saved credentials when the sync starts; null
   * when none are saved (the sync then fails with a message saying so). A
   * getter that throws fails the sync the same way.
   */
  twilio: () => Promise<TwilioClient | null>;
  highlevel: () => Promise<HighLevelClient | null>;
  /**
   * The sub-account is on LC Phone, HighLevel's own phone system: there is
   * no Twilio account to read, so numbers and staff come from HighLevel alone
   * and no history is folded (HighLevel's messages do not say which number
   * each used). `twilio` is not asked.
   */
  lcPhone?: boolean;
  overlapMs?: number;
  pageSize?: number;
  onProgress?: (progress: SyncProgress) => void;
  now?: () => number;
}

export type SyncOutcome =
  | {
      ok: true;
      kind: 'full' | 'incremental';
      generation: number;
      syncedAt: string;
      messages: number;
      contacts: number;
      warnings: SyncWarning[];
    }
  | { ok: false; kind: 'full' | 'incremental'; error: string };

/**
 * Runs one sync to the end. Never throws for what the providers answer or
 * the store refuses: a failure ends in `store.abort` with a message saying
 * what happened and what to do, and the previous data stays in use, whole.
 */
export async function runSync(options: RunSyncOptions): Promise<SyncOutcome> {
  const { store, locationId } = options;
  const now = options.now ?? Date.now;
  const info = (await store.listLocations()).find((l) => l.locationId === locationId);
  const hasPrevious = info?.hasData === true;
  const kind = options.kind === 'incremental' && !hasPrevious ? 'full' : options.kind;
  let writer: SyncWriter;
  try {
    writer = await store.beginSync(locationId, kind);
  } catch (error) {
    // Nothing was started, so nothing to abort; another sync may be running.
    return { ok: false, kind, error: describeSyncError(error, hasPrevious) };
  }
  try {
    const done = await syncInto(writer, options, kind, now);
    return { ok: true, kind, ...done };
  } catch (error) {
    const message = describeSyncError(error, hasPrevious);
    // abort records the message; if even that fails, the caller still gets it.
    await writer.abort(new SyncError(message)).catch(() => {});
    return { ok: false, kind, error: message };
  }
}

async function syncInto(
  writer: SyncWriter,
  options: RunSyncOptions,
  kind: 'full' | 'incremental',
  now: () => number,
): Promise<Omit<Extract<SyncOutcome, { ok: true }>, 'ok' | 'kind'>> {
  const { store, locationId } = options;
  const report = options.onProgress ?? (() => {});
  const lcPhone = options.lcPhone === true;
  const [highlevel, twilio] = await Promise.all([
    options.highlevel(),
    lcPhone ? null : options.twilio(),
  ]);
  if (highlevel === null) {
    throw new SyncError(
      'No HighLevel token is saved for this sub-account. Paste a Private Integration token of the sub-account in Sender Lens options, then sync again.',
    );
  }
  if (twilio === null && !lcPhone) {
    throw new SyncError(
      'No Twilio credentials are saved. Enter the Account SID and Auth Token (or an API key) in Sender Lens options, then sync again.',
    );
  }
  const warnings: SyncWarning[] = [];

  report({ phase: 'numbers', items: 0, itemsTotal: null, pages: 0, pagesTotal: null });
  // The client keeps the location's companyId, which the staff search below needs.
  const location = await highlevel.getLocation(locationId);
  const country = await adoptLocation(store, writer, location, warnings);
  const book = phoneBookFor(country);
  let items = 0;
  let pages = 0;
  const onPage = (page: Page<unknown>) => {
    items += page.items.length;
    pages += 1;
    report({ phase: 'numbers', items, itemsTotal: null, pages, pagesTotal: null });
  };
  const hlNumbers = await collect<HighLevelPhoneNumber>(
    highlevel.listPhoneNumbers(locationId),
    onPage,
  );
  const pools = await readPools(highlevel, locationId, warnings);
  const twNumbers =
    twilio === null
      ? []
      : await collect<TwilioIncomingNumber>(twilio.listIncomingNumbers({ pageSize: 1000 }), onPage);
  const numbers = withPools(
    mergeNumbers(hlNumbers, twNumbers, book, warnings),
    pools,
    locationId,
    book,
  );

  report({ phase: 'staff', items: 0, itemsTotal: null, pages: 0, pagesTotal: null });
  let staffPages = 0;
  const users = await collect<HighLevelUser>(highlevel.listStaff(locationId), (page) => {
    staffPages += 1;
    report({
      phase: 'staff',
      items: page.itemsSoFar,
      itemsTotal: null,
      pages: staffPages,
      pagesTotal: null,
    });
  });
  const staff = staffOf(users, hlNumbers, locationId, book, warnings);
  await writeLists(store, writer, kind, numbers, staff);

  report({ phase: 'messages', items: 0, itemsTotal: null, pages: 0, pagesTotal: null });
  const cursor = writer.cursors[TWILIO_CURSOR];
  const cursorMs = cursor === undefined ? Number.NaN : Date.parse(cursor);
  const overlap = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const since =
    kind === 'incremental' && !Number.isNaN(cursorMs) ? new Date(cursorMs - overlap) : undefined;
  const fold = new HistoryFold(foreignNumbers(hlNumbers, twNumbers, book));
  let messagePages = 0;
  // On LC Phone there is no log to list: the history stays empty, and the
  // tooltip says which facts that leaves unknown.
  const listing =
    twilio?.listMessages({
      pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
      ...(since === undefined ? {} : { sentOnOrAfter: since }),
    }) ?? noPages();
  // Each page is folded and dropped: a million messages are never held at once.
  for await (const page of listing) {
    fold.addPage(page.items);
    messagePages += 1;
    report({
      phase: 'messages',
      items: fold.messages,
      itemsTotal: null,
      pages: messagePages,
      pagesTotal: null,
    });
  }
  for (const [reason, count] of Object.entries(fold.skipped)) {
    if (count > 0) warnings.push(skipWarning(reason, count));
  }

  const total = fold.facts.size;
  report({ phase: 'committing', items: 0, itemsTotal: total, pages: 0, pagesTotal: null });
  await writer.putFacts(fold.facts, {
    messages: fold.messages,
    pages: messagePages,
    onProgress: (written) =>
      report({
        phase: 'committing',
        items: written,
        itemsTotal: total,
        pages: 0,
        pagesTotal: null,
      }),
  });
  // The cursor only moves forward: a run that saw nothing new keeps it.
  const seen = [fold.newestSentMs, cursorMs].filter(
    (ms): ms is number => ms !== null && !Number.isNaN(ms),
  );
  if (seen.length > 0) {
    await writer.setCursor(TWILIO_CURSOR, new Date(Math.max(...seen)).toISOString());
  }
  const committed = await writer.commit();
  if (warnings.length > 0) {
    await store
      .appendAudit({
        locationId,
        kind: 'sync',
        outcome: 'ok',
        summary:
          `Sync finished with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings.join(' ')}`.slice(
            0,
            2000,
          ),
      })
      .catch(() => {});
  }
  // Contacts no one opened for a month are fetched again when next opened.
  await store
    .pruneContactCache(locationId, now() - CONTACT_CACHE_DAYS * 86_400_000)
    .catch(() => {});
  return {
    generation: committed.generation,
    syncedAt: committed.syncedAt,
    messages: fold.messages,
    contacts: total,
    warnings,
  };
}

/**
 * The sub-account's number pools, which name each pool number's pool. A token
 * made before Sender Lens read pools may lack their scope: the same token has
 * just read the numbers, so a refusal here means that, and the numbers are
 * kept (pool numbers are active numbers) without their pool, with a warning.
 * Anything else, an answer that cannot be read included, fails the sync.
 */
async function readPools(
  highlevel: HighLevelClient,
  locationId: string,
  warnings: SyncWarning[],
): Promise<HighLevelNumberPool[]> {
  try {
    return await highlevel.listNumberPools(locationId);
  } catch (error) {
    if (!isApiError(error) || (error.kind !== 'forbidden' && error.kind !== 'auth')) throw error;
    warnings.push(
      'HighLevel did not let the token list number pools (it needs the numberpools.read scope), so numbers in pools are shown without their pool.',
    );
    return [];
  }
}

/**
 * Stages the sub-account's name and country from HighLevel (they land with
 * the commit); returns the country to read phones with.
 */
async function adoptLocation(
  store: Store,
  writer: SyncWriter,
  location: { name?: string; country?: string },
  warnings: SyncWarning[],
): Promise<string> {
  const known = (await store.listLocations()).find((l) => l.locationId === writer.locationId);
  const country = location.country?.toUpperCase();
  const name = location.name;
  try {
    await writer.setLocation({
      ...(name === undefined ? {} : { name }),
      ...(country === undefined ? {} : { country }),
    });
  } catch (error) {
    if (!(error instanceof StoreInputError) || error.field !== 'country') throw error;
    warnings.push(
      `HighLevel gives the sub-account the country ${JSON.stringify(location.country)}, which Sender Lens does not know; phone numbers are read as ${known?.country ?? 'US'} numbers.`,
    );
    if (name !== undefined) await writer.setLocation({ name });
    return known?.country ?? 'US';
  }
  return country ?? known?.country ?? 'US';
}

/** Writes numbers and staff; an incremental sync only when they changed. */
async function writeLists(
  store: Store,
  writer: SyncWriter,
  kind: 'full' | 'incremental',
  numbers: SnapshotNumber[],
  staff: SnapshotUser[],
): Promise<void> {
  let current: { numbers: SnapshotNumber[]; users: SnapshotUser[] } | null = null;
  if (kind === 'incremental') {
    current = (await store.getSnapshotForContacts(writer.locationId, []))?.snapshot ?? null;
  }
  if (current === null || !sameList(current.numbers, numbers, (n) => n.number)) {
    await writer.putNumbers(numbers);
  }
  if (current === null || !sameList(current.users, staff, (u) => u.id)) {
    await writer.putStaff(staff);
  }
}

function sameList<T>(a: T[], b: T[], key: (item: T) => string): boolean {
  if (a.length !== b.length) return false;
  const order = (list: T[]) =>
    JSON.stringify(
      [...list]
        .sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))
        .map((item) => Object.entries(item as object).sort(([p], [q]) => (p < q ? -1 : 1))),
    );
  return order(a) === order(b);
}

async function collect<T>(
  pages: AsyncGenerator<Page<T>, void>,
  onPage: (page: Page<T>) => void,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) {
    out.push(...page.items);
    onPage(page);
  }
  return out;
}

function skipWarning(reason: string, count: number): string {
  const what: Record<string, string> = {
    'not-a-phone':
      'were not SMS between two phone numbers (WhatsApp, short codes, alphanumeric senders)',
    'no-date': 'had no date',
    'other-sub-account': 'used Twilio numbers that HighLevel does not list for this sub-account',
    unreadable: 'could not be read',
  };
  return `${count} Twilio message${count === 1 ? '' : 's'} ${what[reason] ?? reason} and were left out of the history.`;
}

async function* noPages(): AsyncGenerator<Page<never>, void> {}
