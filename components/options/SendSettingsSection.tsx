import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { LocationView } from '../../lib/messaging/requests/settings';
import type { SendRoute, SendSettings } from '../../lib/messaging/send-views';
import { failureText } from './format';
import type { SendApi } from './types';

export interface SendSettingsSectionProps {
  api: SendApi;
  /** The sub-accounts the page knows; each gets a route choice. */
  locations: readonly Pick<LocationView, 'locationId' | 'name' | 'lcPhone'>[];
}

/** The route choices, as the page words them. */
export const ROUTE_CHOICES: readonly { route: SendRoute; label: string }[] = [
  { route: 'twilio', label: 'Straight through Twilio' },
  {
    route: 'highlevel',
    label: "Through HighLevel (lands in HighLevel's thread; the only route for LC Phone)",
  },
];

/** A sub-account the settings do not name sends through Twilio. */
const DEFAULT_ROUTE: SendRoute = 'twilio';

/** How sends go out: each sub-account's route, and whether the log keeps message bodies. */
export function SendSettingsSection({ api, locations }: SendSettingsSectionProps) {
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [omitBodies, setOmitBodies] = useState(false);
  const [routes, setRoutes] = useState<Record<string, SendRoute>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const apiRef = useRef(api);
  apiRef.current = api;

  const show = (settings: SendSettings) => {
    setOmitBodies(settings.omitBodies);
    setRoutes({ ...settings.routes });
  };

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      show(await apiRef.current.send('send-settings-get', {}));
      setLoaded(true);
    } catch (failure) {
      setLoadError(failureText(failure));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const edited = () => {
    setStatus('');
    setError(null);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    // Every known sub-account is named, so what is sent is what the page shows.
    const chosen: Record<string, SendRoute> = { ...routes };
    for (const l of locations) chosen[l.locationId] = routes[l.locationId] ?? DEFAULT_ROUTE;
    setSaving(true);
    edited();
    try {
      show(await api.send('send-settings-set', { omitBodies, routes: chosen }));
      setStatus('Saved');
    } catch (failure) {
      setError(failureText(failure));
    }
    setSaving(false);
  };

  return (
    <section class="card" aria-labelledby="send-settings-heading">
      <h2 id="send-settings-heading">Sending</h2>
      <p class="lead">
        How “Send via Twilio” sends from each sub-account, and what the send log keeps.
      </p>
      {loadError ? (
        <p class="alert" role="alert">
          Could not read the send settings: {loadError}{' '}
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      ) : !loaded ? (
        <p class="muted" role="status">
          Loading send settings…
        </p>
      ) : (
        <form onSubmit={submit} noValidate aria-busy={saving ? 'true' : 'false'}>
          <div class="check">
            <input
              id="send-omit-bodies"
              type="checkbox"
              checked={omitBodies}
              disabled={saving}
              onChange={(event) => {
                setOmitBodies((event.currentTarget as HTMLInputElement).checked);
                edited();
              }}
            />
            <label for="send-omit-bodies">Leave message bodies out of the send log</label>
          </div>
          <h3>Route for each sub-account</h3>
          {locations.length === 0 ? (
            <p class="muted">Add a sub-account under HighLevel first.</p>
          ) : (
            locations.map((location) => {
              const name = location.name ?? location.locationId;
              const current = routes[location.locationId] ?? DEFAULT_ROUTE;
              if (location.lcPhone) {
                // No Twilio account of the customer's: nothing to choose.
                return (
                  <p key={location.locationId} class="route-choice">
                    <strong>{name}</strong>: on LC Phone, so it always sends through HighLevel.
                  </p>
                );
              }
              return (
                <fieldset key={location.locationId} class="route-choice">
                  <legend>
                    {name}
                    {location.name ? <span class="muted code"> {location.locationId}</span> : null}
                  </legend>
                  {ROUTE_CHOICES.map((choice) => (
                    <label key={choice.route}>
                      <input
                        type="radio"
                        name={`send-route-${location.locationId}`}
                        value={choice.route}
                        checked={current === choice.route}
                        disabled={saving}
                        onChange={() => {
                          setRoutes((all) => ({ ...all, [location.locationId]: choice.route }));
                          edited();
                        }}
                      />{' '}
                      {choice.label}
                    </label>
                  ))}
                </fieldset>
              );
            })
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={saving}>
              {saving ? 'Saving…' : 'Save send settings'}
            </button>
          </div>
          {error ? (
            <p class="alert" role="alert">
              {error}
            </p>
          ) : null}
          <p class="status" role="status">
            {status}
          </p>
        </form>
      )}
    </section>
  );
}
