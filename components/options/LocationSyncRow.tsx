import type { LocationView } from '../../lib/messaging/requests/settings';
import { count, exactTime, progressText, progressValue, syncLine, timeAgo } from './format';

export interface LocationSyncRowProps {
  location: LocationView;
  now: number;
  busy: boolean;
  onSelect(selected: boolean): void;
}

/** One sub-account in the sync list: its checkbox, where its sync stands, and its last error. */
export function LocationSyncRow({ location, now, busy, onSelect }: LocationSyncRowProps) {
  const id = `sync-${location.locationId}`;
  const name = location.name ?? location.locationId;
  const { sync } = location;
  const bar = sync.running ? progressValue(sync.progress) : null;
  return (
    <li class="sync-row">
      <div class="check">
        <input
          id={id}
          type="checkbox"
          checked={location.selectedForSync}
          disabled={busy}
          aria-describedby={`${id}-state`}
          onChange={(event) => onSelect((event.currentTarget as HTMLInputElement).checked)}
        />
        <label for={id}>
          {name}
          {location.name ? <span class="muted code"> {location.locationId}</span> : null}
        </label>
      </div>
      <div class="sync-state" id={`${id}-state`}>
        {sync.lastSuccessAt !== null && !sync.running ? (
          <time dateTime={sync.lastSuccessAt} title={exactTime(sync.lastSuccessAt)}>
            {syncLine(sync, now)}
          </time>
        ) : (
          <span>{syncLine(sync, now)}</span>
        )}
        {sync.lastSync && !sync.running ? (
          <span class="muted">
            {' '}
            · {count(sync.lastSync.messages)} messages, {count(sync.lastSync.contacts)} contacts
          </span>
        ) : null}
        {location.token === null ? (
          <span class="warn"> · No HighLevel token: add one above</span>
        ) : null}
      </div>
      {sync.running ? (
        <progress
          class="sync-progress"
          aria-label={`Sync progress of ${name}`}
          aria-valuetext={progressText(sync.progress)}
          {...(bar ? { value: bar.value, max: bar.max } : {})}
        />
      ) : null}
      {sync.interrupted && !sync.running ? (
        <p class="muted">The last sync stopped before it finished; Sync now starts it again.</p>
      ) : null}
      {sync.lastError ? (
        <p class="alert" role="alert">
          {/* The message itself says whether the last good data is still in use. */}
          Last sync failed {timeAgo(sync.lastError.at, now)}: {sync.lastError.message}
        </p>
      ) : null}
    </li>
  );
}
