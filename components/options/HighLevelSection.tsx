import { useState } from 'preact/hooks';
import type {
  HighLevelSavePayload,
  LocationView,
  TokenView,
} from '../../lib/messaging/requests/settings';
import { Field } from './Field';
import { sentence } from './format';
import type { Outcome } from './types';

export interface HighLevelSectionProps {
  locations: LocationView[];
  agencyToken: Omit<TokenView, 'scope'> | null;
  onSave(input: HighLevelSavePayload): Promise<Outcome>;
  /** Forgets a sub-account with its own token and synced data. */
  onRemoveLocation(locationId: string): Promise<Outcome>;
  onRemoveAgencyToken(): Promise<Outcome>;
}

const LABELS: Record<string, string> = {
  locationId: 'Location ID',
  token: 'Private Integration token',
};

function tokenText(location: LocationView): string {
  if (location.token === null) return 'No token: sync cannot read this sub-account';
  return location.token.scope === 'agency'
    ? `Agency token ${location.token.hint}`
    : `Token ${location.token.hint}`;
}

/** HighLevel sub-accounts: which are connected (tokens masked), and a form to add one. */
export function HighLevelSection(props: HighLevelSectionProps) {
  const [locationId, setLocationId] = useState('');
  const [token, setToken] = useState('');
  const [agency, setAgency] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [status, setStatus] = useState('');

  const run = async (work: () => Promise<Outcome>, done: string) => {
    setBusy(true);
    setStatus('');
    setError(null);
    const outcome = await work();
    setBusy(false);
    if (outcome.ok) setStatus(outcome.message ?? done);
    else setError(outcome.field === undefined ? { message: outcome.message } : outcome);
    return outcome.ok;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const saved = await run(
      () => props.onSave({ locationId, token, ...(agency ? { agency: true } : {}) }),
      'HighLevel token saved. Check the connection below.',
    );
    if (saved) {
      setLocationId('');
      setToken('');
      setAgency(false);
    }
  };

  const fieldError = (name: string) =>
    error?.field === name ? sentence(error.message) : undefined;

  return (
    <section class="card" aria-labelledby="highlevel-heading">
      <h2 id="highlevel-heading">HighLevel</h2>
      <p class="lead">
        Each sub-account needs a Private Integration token with read access to phone numbers, users,
        contacts and conversations (Settings → Private Integrations in the sub-account).
      </p>
      {props.locations.length > 0 || props.agencyToken ? (
        <ul class="list" aria-label="Connected sub-accounts">
          {props.agencyToken ? (
            <li>
              <div>
                <strong>Agency token</strong>
                <span class="muted code"> {props.agencyToken.hint}</span>
                <div class="muted">Used by every sub-account without its own token.</div>
              </div>
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={() => run(() => props.onRemoveAgencyToken(), 'Agency token removed.')}
              >
                Remove<span class="sr-only"> the agency token</span>
              </button>
            </li>
          ) : null}
          {props.locations.map((location) => (
            <li key={location.locationId}>
              <div>
                <strong>{location.name ?? location.locationId}</strong>
                {location.name ? <span class="muted code"> {location.locationId}</span> : null}
                <div class={location.token ? 'muted code' : 'warn'}>{tokenText(location)}</div>
              </div>
              <button
                type="button"
                class="danger"
                disabled={busy}
                onClick={() =>
                  run(
                    () => props.onRemoveLocation(location.locationId),
                    `${location.name ?? location.locationId} removed, with its token and synced data.`,
                  )
                }
              >
                Remove<span class="sr-only"> {location.name ?? location.locationId}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No sub-accounts yet.</p>
      )}
      <form onSubmit={submit} noValidate>
        <h3>Add a sub-account</h3>
        <Field
          id="locationId"
          label="Location ID"
          value={locationId}
          onInput={(value) => {
            setLocationId(value);
            if (error?.field === 'locationId') setError(null);
          }}
          code
          hint="In the sub-account's address: …/location/THIS-PART/…"
          error={fieldError('locationId')}
        />
        <Field
          id="token"
          label="Private Integration token"
          type="password"
          value={token}
          onInput={(value) => {
            setToken(value);
            if (error?.field === 'token') setError(null);
          }}
          code
          error={fieldError('token')}
        />
        <div class="check">
          <input
            id="agency"
            type="checkbox"
            checked={agency}
            onChange={(event) => setAgency((event.currentTarget as HTMLInputElement).checked)}
          />
          <label for="agency">
            This is an agency token: use it for every sub-account without its own
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save HighLevel token'}
          </button>
        </div>
        {error ? (
          <p class="alert" role="alert">
            {error.field && LABELS[error.field] ? `${LABELS[error.field]}: ` : ''}
            {error.message}
          </p>
        ) : null}
        <p class="status" role="status">
          {status}
        </p>
      </form>
    </section>
  );
}
