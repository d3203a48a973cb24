import type { LocationView } from '../../lib/messaging/requests/settings';
import { LocationSyncRow } from './LocationSyncRow';

export interface SyncSectionProps {
  locations: LocationView[];
  now: number;
  onSelect(locationId: string, selected: boolean): void;
  /** Syncs every selected sub-account. */
  onSyncNow(): void;
  /** A change in flight: the checkboxes wait for it. */
  busy: boolean;
  /** Why the last change or sync could not start, in plain words. */
  notice: string | null;
}

/** The sub-accounts to sync, the Sync now button and each one's progress and result. */
export function SyncSection(props: SyncSectionProps) {
  const selected = props.locations.filter((l) => l.selectedForSync);
  const idle = selected.filter((l) => !l.sync.running);
  const running = selected.length > 0 && idle.length === 0;
  return (
    <section class="card" aria-labelledby="sync-heading">
      <h2 id="sync-heading">Sub-accounts to sync</h2>
      <p class="lead">
        Sender Lens reads numbers, staff and message history of the selected sub-accounts, then
        keeps them up to date every few minutes.
      </p>
      {props.locations.length === 0 ? (
        <p id="sync-empty" class="muted">
          Add a sub-account under HighLevel first.
        </p>
      ) : (
        <ul class="list sync-list" aria-label="Sub-accounts">
          {props.locations.map((location) => (
            <LocationSyncRow
              key={location.locationId}
              location={location}
              now={props.now}
              busy={props.busy}
              onSelect={(value) => props.onSelect(location.locationId, value)}
            />
          ))}
        </ul>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={idle.length === 0 || props.busy}
          // Only ids rendered right now: the empty list's note, or the "select one" hint.
          aria-describedby={
            props.locations.length === 0
              ? 'sync-empty'
              : selected.length === 0
                ? 'sync-none'
                : undefined
          }
          onClick={() => props.onSyncNow()}
        >
          {running ? 'Syncing…' : 'Sync now'}
        </button>
        {props.locations.length > 0 && selected.length === 0 ? (
          <span id="sync-none" class="muted">
            Select at least one sub-account.
          </span>
        ) : null}
      </div>
      {props.notice ? (
        <p class="alert" role="alert">
          {props.notice}
        </p>
      ) : null}
    </section>
  );
}
