import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { SendLogPayload } from '../../lib/messaging/requests/send';
import type { LocationView } from '../../lib/messaging/requests/settings';
import type { SendLogEntry, SendRoute } from '../../lib/messaging/send-views';
import { count, exactTime, failureText } from './format';
import type { SendApi } from './types';

/** Sends asked for at a time, first page and each older one. */
export const SEND_LOG_PAGE_SIZE = 50;

export interface SendLogSectionProps {
  api: SendApi;
  /** The sub-accounts the page knows: the filter's choices and the names rows show. */
  locations: readonly Pick<LocationView, 'locationId' | 'name'>[];
}

export const ROUTE_TEXT: Record<SendRoute, string> = {
  twilio: 'Straight through Twilio',
  highlevel: 'Through HighLevel',
};

const EMPTY_TEXT = 'No sends yet. Sends made with “Send via Twilio” on a conversation appear here.';

/** Saves text as a file through a temporary link to an object URL, then lets the URL go. */
export function downloadText(text: string, filename: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // After the click's default action has started the download.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

function sends(n: number): string {
  return `${count(n)} ${n === 1 ? 'send' : 'sends'}`;
}

interface RowProps {
  entry: SendLogEntry;
  locationName: string;
}

function Fact(props: { label: string; children: ComponentChildren; code?: boolean }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd class={props.code ? 'code' : undefined}>{props.children}</dd>
    </div>
  );
}

/** One send: when, where from and to, how it went and why that number. */
function SendLogRow({ entry, locationName }: RowProps) {
  const providerLabel = entry.route === 'highlevel' ? 'HighLevel message id' : 'Twilio SID';
  return (
    <li class="send-entry" tabIndex={-1} data-send-id={entry.id}>
      <div class="send-entry-head">
        <time dateTime={entry.createdAt}>{exactTime(entry.createdAt)}</time>
        <span class={`pill pill-${entry.tone}`}>{entry.statusText}</span>
      </div>
      {entry.advice ? (
        <p class="send-advice">
          <strong>What to do:</strong> {entry.advice}
        </p>
      ) : null}
      <dl class="send-facts">
        <Fact label="Sub-account">{locationName}</Fact>
        {entry.userId !== undefined ? (
          <Fact label="Sent as">
            {entry.userId}
            {entry.userIdFrom === 'i-am' ? (
              <span class="muted"> (chosen with "I am …": the page did not say)</span>
            ) : null}
          </Fact>
        ) : null}
        <Fact label="From">{entry.fromDisplay}</Fact>
        <Fact label="To">{entry.toDisplay}</Fact>
        <Fact label="Route">{ROUTE_TEXT[entry.route]}</Fact>
        <Fact label="Rule">
          {entry.ruleLabel}
          {entry.trace.length > 0 ? (
            <details class="send-trace">
              <summary>
                How the number was chosen<span class="sr-only"> for this send</span>
              </summary>
              <ol>
                {entry.trace.map((line, i) => (
                  // Lines may repeat and never move: their place is their key.
                  <li key={i}>{line}</li>
                ))}
              </ol>
            </details>
          ) : null}
        </Fact>
        <Fact label={providerLabel} code={entry.providerId !== undefined}>
          {entry.providerId ?? <span class="muted">none yet</span>}
        </Fact>
        <Fact label="Attempts">{count(entry.attempts)}</Fact>
        <div class="send-body">
          <dt>Body</dt>
          <dd>
            {entry.bodyOmitted ? (
              <span class="muted">left out</span>
            ) : entry.body === '' ? (
              <span class="muted">no text</span>
            ) : (
              entry.body
            )}
            {entry.mediaCount > 0 ? (
              <span class="muted">
                {' '}
                · {count(entry.mediaCount)} {entry.mediaCount === 1 ? 'attachment' : 'attachments'}
              </span>
            ) : null}
          </dd>
        </div>
      </dl>
    </li>
  );
}

type Loading = 'first' | 'older' | null;

/** The send log: every send, newest first, by sub-account, with a CSV export. */
/** Where the next page starts: the last entry's time and id. */
interface Before {
  ms: number;
  id?: string;
}

export function SendLogSection({ api, locations }: SendLogSectionProps) {
  const [filter, setFilter] = useState('');
  const [entries, setEntries] = useState<SendLogEntry[]>([]);
  const [next, setNext] = useState<Before | undefined>(undefined);
  const [loading, setLoading] = useState<Loading>('first');
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<{ ok: boolean; text: string } | null>(null);
  const apiRef = useRef(api);
  apiRef.current = api;
  // Each request takes a ticket; an answer to a superseded one is dropped.
  const ticket = useRef(0);
  const list = useRef<HTMLUListElement>(null);
  const focusAt = useRef<number | null>(null);
  // What the last page asked for, so "Try again" asks for it again.
  const lastBefore = useRef<Before | undefined>(undefined);

  const load = useCallback(async (locationId: string, before: Before | undefined) => {
    const mine = ++ticket.current;
    const payload: SendLogPayload = { limit: SEND_LOG_PAGE_SIZE };
    if (locationId !== '') payload.locationId = locationId;
    if (before !== undefined) {
      payload.beforeMs = before.ms;
      if (before.id !== undefined) payload.beforeId = before.id;
    }
    const older = before !== undefined;
    lastBefore.current = before;
    setLoading(older ? 'older' : 'first');
    setError(null);
    try {
      const page = await apiRef.current.send('send-log', payload);
      if (mine !== ticket.current) return;
      setEntries((current) => {
        if (!older) return page.entries;
        const seen = new Set(current.map((e) => e.id));
        const added = page.entries.filter((e) => !seen.has(e.id));
        focusAt.current = added.length > 0 ? current.length : current.length - 1;
        return [...current, ...added];
      });
      setNext(
        page.nextBeforeMs === undefined
          ? undefined
          : {
              ms: page.nextBeforeMs,
              ...(page.nextBeforeId === undefined ? {} : { id: page.nextBeforeId }),
            },
      );
      setLoaded(true);
    } catch (failure) {
      if (mine !== ticket.current) return;
      setError(failureText(failure));
    }
    setLoading(null);
  }, []);

  useEffect(() => {
    void load(filter, undefined);
  }, [filter, load]);

  // After "Show older", focus moves to the first send it brought, so keyboard
  // and screen reader users carry on reading where the list grew.
  useEffect(() => {
    const at = focusAt.current;
    if (at === null) return;
    focusAt.current = null;
    const row = list.current?.children.item(Math.max(0, at));
    if (row instanceof HTMLElement) row.focus();
  }, [entries]);

  const chooseFilter = (value: string) => {
    if (value === filter) return;
    setEntries([]);
    setNext(undefined);
    setLoaded(false);
    setExportNote(null);
    setFilter(value);
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportNote(null);
    try {
      const answer = await api.send('send-log-csv', filter === '' ? {} : { locationId: filter });
      downloadText(answer.csv, answer.filename);
      setExportNote({ ok: true, text: `Exported ${sends(answer.rows)} to ${answer.filename}.` });
    } catch (failure) {
      setExportNote({ ok: false, text: failureText(failure) });
    }
    setExporting(false);
  };

  const names = new Map(locations.map((l) => [l.locationId, l.name ?? l.locationId]));

  return (
    <section class="card" aria-labelledby="send-log-heading">
      <h2 id="send-log-heading">Send log</h2>
      <p class="lead">
        Messages sent straight through Twilio do not appear in HighLevel's conversation thread,
        because HighLevel did not send them. Sender Lens draws them in place in the conversation
        until the page shows them. To have them in HighLevel's thread, choose the HighLevel route
        for the sub-account.
      </p>
      <div class="send-log-tools">
        <div class="field">
          <label for="send-log-location">Sub-account</label>
          <select
            id="send-log-location"
            value={filter}
            onChange={(event) => chooseFilter((event.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">All sub-accounts</option>
            {locations.map((l) => (
              <option key={l.locationId} value={l.locationId}>
                {l.name ?? l.locationId}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button
            type="button"
            disabled={loading !== null}
            onClick={() => void load(filter, undefined)}
          >
            Refresh<span class="sr-only"> the send log</span>
          </button>
          <button type="button" disabled={exporting} onClick={() => void exportCsv()}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </div>
      {exportNote ? (
        exportNote.ok ? (
          <p class="status" role="status">
            {exportNote.text}
          </p>
        ) : (
          <p class="alert" role="alert">
            Could not export the send log: {exportNote.text}
          </p>
        )
      ) : null}
      {loading === 'first' ? (
        <p class="muted" role="status">
          Loading sends…
        </p>
      ) : null}
      {entries.length > 0 ? (
        <ul class="list send-log" aria-label="Sends, newest first" ref={list}>
          {entries.map((entry) => (
            <SendLogRow
              key={entry.id}
              entry={entry}
              locationName={names.get(entry.locationId) ?? entry.locationId}
            />
          ))}
        </ul>
      ) : loaded && loading === null && error === null ? (
        <p class="muted">{EMPTY_TEXT}</p>
      ) : null}
      {error ? (
        <p class="alert" role="alert">
          Could not read the send log: {error}{' '}
          <button type="button" onClick={() => void load(filter, lastBefore.current)}>
            Try again
          </button>
        </p>
      ) : null}
      {next !== undefined && entries.length > 0 ? (
        <div class="actions">
          <button type="button" disabled={loading !== null} onClick={() => void load(filter, next)}>
            {loading === 'older' ? 'Loading older sends…' : 'Show older'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
