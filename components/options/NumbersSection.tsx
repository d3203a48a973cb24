import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { PayloadOf, Requests, ResponseOf } from '../../lib/messaging/protocol';
import type {
  NumberRowView,
  NumbersProblem,
  NumbersStaffView,
  SmsCapability,
  StaffRowView,
} from '../../lib/messaging/requests/numbers';
import type { LocationView } from '../../lib/messaging/requests/settings';
import { failureText } from './format';

/**
 * How the section reaches the background: the page's own `send`. It rejects
 * with an Error whose message is safe to show.
 */
export interface NumbersApi {
  send<K extends 'numbers-staff'>(
    type: K,
    payload: PayloadOf<Requests[K]>,
  ): Promise<ResponseOf<Requests[K]>>;
}

export interface NumbersSectionProps {
  api: NumbersApi;
  /**
   * The sub-accounts the page knows. When the chosen one's last successful
   * sync changes, its tables are read again.
   */
  locations: readonly (Pick<LocationView, 'locationId' | 'name'> & {
    sync?: Pick<LocationView['sync'], 'lastSuccessAt'>;
  })[];
}

export const SMS_TEXT: Record<SmsCapability, string> = {
  sms: 'SMS',
  'voice-only': 'Voice only',
  unknown: 'Unknown (treated as SMS)',
};

export const NOT_SYNCED_TITLE = 'Not synced yet';

type Loaded =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'view'; view: NumbersStaffView };

const numberRowId = (i: number) => `numbers-row-${i}`;
const staffRowId = (i: number) => `staff-row-${i}`;

/** The row a problem is about: the staff member's, else the number's; none for a sub-account-wide one. */
function rowOf(
  problem: NumbersProblem,
  view: Extract<NumbersStaffView, { state: 'ready' }>,
): string | undefined {
  const userId = problem.userIds?.[0];
  if (userId !== undefined && problem.code !== 'number-shared') {
    const at = view.staff.findIndex((s) => s.id === userId);
    if (at >= 0) return staffRowId(at);
  }
  if (problem.number !== undefined) {
    const at = view.numbers.findIndex((n) => n.e164 === problem.number);
    if (at >= 0) return numberRowId(at);
  }
  return undefined;
}

function Problems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="row-problems">
      {problems.map((message, i) => (
        // Messages never move: their place is their key.
        <li key={i} class="warn problem">
          <span aria-hidden="true">⚠ </span>
          {message}
        </li>
      ))}
    </ul>
  );
}

function NumbersTable({ numbers, place }: { numbers: NumberRowView[]; place: string }) {
  return (
    // A wide table scrolls sideways: its region takes focus so the keyboard can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (axe scrollable-region-focusable).
    <section class="table-wrap" aria-labelledby="numbers-caption" tabIndex={0}>
      <table class="data-table">
        <caption id="numbers-caption">Numbers of {place}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Number</th>
            <th scope="col">Sends</th>
            <th scope="col">Default</th>
            <th scope="col">Pool</th>
            <th scope="col">Assigned to</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {numbers.map((n, i) => (
            <tr
              key={n.e164}
              id={numberRowId(i)}
              tabIndex={-1}
              class={n.problems.length > 0 ? 'row-flagged' : undefined}
            >
              <th scope="row">{n.name ?? <span class="muted">no name</span>}</th>
              <td>{n.display}</td>
              <td>{SMS_TEXT[n.sms]}</td>
              <td>{n.isDefault ? 'Default' : <span class="muted">no</span>}</td>
              <td>{n.pool ?? <span class="muted">none</span>}</td>
              <td>
                {n.assignedTo.length > 0 ? (
                  n.assignedTo.join(', ')
                ) : (
                  <span class="muted">nobody</span>
                )}
              </td>
              <td>
                <Problems problems={n.problems} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function staffNumber(row: StaffRowView) {
  if (row.number === undefined) return <span class="muted">none</span>;
  const name = row.number.name ? ` (${row.number.name})` : '';
  return (
    <>
      {row.number.display}
      {name}
      {row.number.state === 'removed' ? <span class="warn"> (removed)</span> : null}
    </>
  );
}

function StaffTable({ staff, place }: { staff: StaffRowView[]; place: string }) {
  return (
    // A wide table scrolls sideways: its region takes focus so the keyboard can scroll it.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (axe scrollable-region-focusable).
    <section class="table-wrap" aria-labelledby="staff-caption" tabIndex={0}>
      <table class="data-table">
        <caption id="staff-caption">Staff of {place}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Assigned number</th>
            <th scope="col">Problems</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s, i) => (
            <tr
              key={s.id}
              id={staffRowId(i)}
              tabIndex={-1}
              class={s.problems.length > 0 ? 'row-flagged' : undefined}
            >
              <th scope="row">{s.name}</th>
              <td>{staffNumber(s)}</td>
              <td>
                <Problems problems={s.problems} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Ready({
  view,
  place,
}: {
  view: Extract<NumbersStaffView, { state: 'ready' }>;
  place: string;
}) {
  const goTo = (event: MouseEvent, id: string) => {
    const row = document.getElementById(id);
    if (!row) return;
    event.preventDefault();
    row.focus();
    row.scrollIntoView?.({ block: 'center' });
  };
  return (
    <>
      <p class="muted">{view.freshness}</p>
      <h3 id="numbers-problems-heading">Problems the sender rules will hit</h3>
      {view.problems.length === 0 ? (
        <p class="status">No problems found: every staff member has a number that can send SMS.</p>
      ) : (
        <ul class="numbers-problems" aria-labelledby="numbers-problems-heading">
          {view.problems.map((problem, i) => {
            const row = rowOf(problem, view);
            return (
              // Problems never move: their place is their key.
              <li key={i} class="warn problem">
                {row === undefined ? (
                  problem.message
                ) : (
                  <a href={`#${row}`} onClick={(event) => goTo(event, row)}>
                    {problem.message}
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {view.numbers.length === 0 ? (
        <p class="muted">This sub-account has no numbers.</p>
      ) : (
        <NumbersTable numbers={view.numbers} place={place} />
      )}
      {view.staff.length === 0 ? (
        <p class="muted">This sub-account has no staff in My Staff.</p>
      ) : (
        <StaffTable staff={view.staff} place={place} />
      )}
    </>
  );
}

/** A sub-account's numbers and staff, with what the sender rules will trip over. */
export function NumbersSection({ api, locations }: NumbersSectionProps) {
  const [chosen, setChosen] = useState(locations[0]?.locationId ?? '');
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const apiRef = useRef(api);
  apiRef.current = api;
  // Each request takes a ticket; an answer to a superseded one is dropped.
  const ticket = useRef(0);

  // The chosen sub-account, or the first when it went away.
  const current = locations.find((l) => l.locationId === chosen) ?? locations[0];
  const locationId = current?.locationId ?? '';
  const syncedKey = current?.sync?.lastSuccessAt ?? '';

  const load = useCallback(async (id: string) => {
    const mine = ++ticket.current;
    setLoaded({ kind: 'loading' });
    try {
      const view = await apiRef.current.send('numbers-staff', { locationId: id });
      if (mine === ticket.current) setLoaded({ kind: 'view', view });
    } catch (failure) {
      if (mine === ticket.current) setLoaded({ kind: 'failed', message: failureText(failure) });
    }
  }, []);

  // syncedKey: a new sync is a reason to read again.
  useEffect(() => {
    if (locationId !== '') void load(locationId);
  }, [locationId, syncedKey, load]);

  const place = current ? (current.name ?? current.locationId) : '';

  return (
    <section class="card" aria-labelledby="numbers-heading">
      <h2 id="numbers-heading">Numbers and staff</h2>
      <p class="lead">
        Each sub-account's numbers and staff as Sender Lens last synced them, and what the sender
        rules will do about a voice-only number, a missing default or staff without a number.
      </p>
      {current === undefined ? (
        <p class="muted">Add a sub-account under HighLevel to see its numbers and staff.</p>
      ) : (
        <>
          <div class="field">
            <label for="numbers-location">Sub-account</label>
            <select
              id="numbers-location"
              value={locationId}
              onChange={(event) => setChosen((event.currentTarget as HTMLSelectElement).value)}
            >
              {locations.map((l) => (
                <option key={l.locationId} value={l.locationId}>
                  {l.name ?? l.locationId}
                </option>
              ))}
            </select>
          </div>
          {loaded.kind === 'loading' ? (
            <p class="muted" role="status">
              Loading numbers and staff…
            </p>
          ) : loaded.kind === 'failed' ? (
            <p class="alert" role="alert">
              Could not read the numbers and staff: {loaded.message}{' '}
              <button type="button" onClick={() => void load(locationId)}>
                Try again
              </button>
            </p>
          ) : loaded.view.state === 'not-synced' ? (
            <div class="numbers-empty">
              <h3>{NOT_SYNCED_TITLE}</h3>
              <p class="muted">
                Sync {place} under “Sub-accounts to sync” to see its numbers and staff here.
              </p>
            </div>
          ) : loaded.view.state === 'error' ? (
            <p class="alert" role="alert">
              {loaded.view.message}
            </p>
          ) : (
            <Ready view={loaded.view} place={place} />
          )}
        </>
      )}
    </section>
  );
}
