import type { ComponentChildren } from 'preact';
import type { LocationView } from '../../lib/messaging/requests/settings';
import { syncLine } from './format';

export interface PopupStatusProps {
  /** null while loading. */
  locations: LocationView[] | null;
  error: string | null;
  now: number;
  onOpenOptions(): void;
  /** What Sender Lens sees on the current tab; the page-status view goes here. */
  children?: ComponentChildren;
}

/** The popup: which sub-accounts are synced and when, and the way to settings. */
export function PopupStatus(props: PopupStatusProps) {
  const synced = props.locations?.filter((l) => l.selectedForSync) ?? [];
  return (
    <main class="popup">
      <h1>Sender Lens</h1>
      {props.children}
      {props.error ? (
        <p class="alert" role="alert">
          {props.error}
        </p>
      ) : props.locations === null ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : synced.length === 0 ? (
        <p>No sub-account is set to sync yet.</p>
      ) : (
        <ul class="list" aria-label="Synced sub-accounts">
          {synced.map((location) => (
            <li key={location.locationId}>
              <div>
                <strong>{location.name ?? location.locationId}</strong>
                <div class={location.sync.lastError ? 'warn' : 'muted'}>
                  {syncLine(location.sync, props.now)}
                  {location.sync.lastError ? ' · last sync failed' : ''}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="primary" onClick={() => props.onOpenOptions()}>
        Open settings
      </button>
    </main>
  );
}
