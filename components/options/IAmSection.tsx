import { useState } from 'preact/hooks';
import type { ChosenUserView } from '../../lib/messaging/requests/conversation';
import type { LocationView } from '../../lib/messaging/requests/settings';
import type { Outcome } from './types';

export interface IAmSectionProps {
  /** The choices, one per sub-account; null while loading; a string when they could not be read. */
  choices: ChosenUserView[] | null | string;
  /** For the sub-accounts' names. */
  locations: LocationView[];
  onClear(locationId: string): Promise<Outcome>;
}

/**
 * "I am …" per sub-account: who the agent said they are on pages that do not
 * tell who is logged in, and a way to forget it.
 */
export function IAmSection({ choices, locations, onClear }: IAmSectionProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  const nameOf = (locationId: string) =>
    locations.find((l) => l.locationId === locationId)?.name ?? locationId;

  const clear = async (choice: ChosenUserView) => {
    setBusy(true);
    setError(null);
    setStatus('');
    const outcome = await onClear(choice.locationId);
    setBusy(false);
    if (outcome.ok) {
      setStatus(
        outcome.message ??
          `Forgot who you are in ${nameOf(choice.locationId)}; its pages will offer "I am …" again.`,
      );
    } else setError(outcome.message);
  };

  return (
    <section class="card" aria-labelledby="i-am-heading">
      <h2 id="i-am-heading">“I am …”</h2>
      <p class="lead">
        When a HighLevel page does not say who is logged in, Sender Lens uses the staff member you
        chose with “I am …” in the badge’s switcher, per sub-account.
      </p>
      {choices === null ? (
        <p class="muted">Loading…</p>
      ) : typeof choices === 'string' ? (
        <p class="alert" role="alert">
          {choices}
        </p>
      ) : choices.length === 0 ? (
        <p class="muted">No choices: every page said who is logged in, or none was made.</p>
      ) : (
        <ul class="list" aria-label="I am choices">
          {choices.map((choice) => {
            const place = nameOf(choice.locationId);
            return (
              <li key={choice.locationId}>
                <div>
                  <strong>{place}</strong>
                  <div class={choice.name ? 'muted' : 'warn'}>
                    {choice.name
                      ? `You are ${choice.name}`
                      : `You chose ${choice.userId}, who is not in the synced My Staff`}
                  </div>
                </div>
                <div class="row-actions">
                  <button
                    type="button"
                    class="danger"
                    disabled={busy}
                    onClick={() => void clear(choice)}
                  >
                    Clear<span class="sr-only"> who you are in {place}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {error ? (
        <p class="alert" role="alert">
          {error}
        </p>
      ) : null}
      <p class="status" role="status">
        {status}
      </p>
    </section>
  );
}
