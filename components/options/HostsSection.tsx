import { useState } from 'preact/hooks';
import type { HostView } from '../../lib/messaging/requests/settings';
import { Field } from './Field';
import type { Outcome } from './types';

/** Where an add stands: the browser's permission prompt is open, or the domain is being registered. */
export type AddStep = 'asking' | 'adding';

/** Said while the browser's permission prompt waits for the user. */
export const WAITING_FOR_ACCESS = 'Waiting for you to allow access…';

export interface HostsSectionProps {
  /** null when this browser cannot add scripts at run time. */
  hosts: HostView[] | null;
  /**
   * Asks the browser for access to the domain and registers it. Call it
   * straight from the click: the browser shows its prompt only for a user's
   * gesture. It reports each step, so the page can say that the browser's
   * prompt waits for an answer.
   */
  onAdd(typed: string, step: (step: AddStep) => void): Promise<Outcome>;
  onRemove(origin: string): Promise<Outcome>;
}

function stateText(host: HostView): string {
  if (!host.granted) return 'No access: the browser permission was taken away';
  return host.registered ? 'Active' : 'Not active yet';
}

/** The agency's own domains where HighLevel runs, and a form to add one. */
export function HostsSection(props: HostsSectionProps) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<AddStep | null>(null);
  // Errors of the add form show under its field; those of a listed domain's buttons below the list.
  const [error, setError] = useState<{ message: string; fromForm: boolean } | null>(null);
  const [status, setStatus] = useState('');

  const run = async (pending: Promise<Outcome>, done: string, fromForm = false) => {
    setBusy(true);
    setStatus('');
    setError(null);
    const outcome = await pending;
    setBusy(false);
    setStep(null);
    if (outcome.ok) setStatus(outcome.message ?? done);
    else setError({ message: outcome.message, fromForm });
    return outcome.ok;
  };

  const add = (value: string) => props.onAdd(value, setStep);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    // onAdd runs now, inside the submit event, so the permission prompt may show.
    if (await run(add(typed), 'Domain added.', true)) setTyped('');
  };

  return (
    <section class="card" aria-labelledby="hosts-heading">
      <h2 id="hosts-heading">White-label domains</h2>
      <p class="lead">
        If your agency runs HighLevel on its own domain, add it here. Your browser will ask to let
        Sender Lens read and change data on that site.
      </p>
      {props.hosts === null ? (
        <p class="muted">This browser cannot add domains while running.</p>
      ) : (
        <>
          {props.hosts.length === 0 ? (
            <p class="muted">No white-label domains.</p>
          ) : (
            <ul class="list" aria-label="White-label domains">
              {props.hosts.map((host) => (
                <li key={host.origin}>
                  <div>
                    <strong class="code">{host.origin}</strong>
                    <div class={host.granted && host.registered ? 'muted' : 'warn'}>
                      {stateText(host)}
                    </div>
                  </div>
                  <div class="row-actions">
                    {host.granted && host.registered ? null : (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => run(add(host.origin), `${host.origin} is active.`)}
                      >
                        {host.granted ? 'Activate' : 'Grant access'}
                        <span class="sr-only"> to {host.origin}</span>
                      </button>
                    )}
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      onClick={() => run(props.onRemove(host.origin), `${host.origin} removed.`)}
                    >
                      Remove<span class="sr-only"> {host.origin}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <form onSubmit={submit} noValidate class="inline-form">
            <Field
              id="host"
              label="Domain"
              value={typed}
              onInput={(value) => {
                setTyped(value);
                setError(null);
              }}
              placeholder="app.myagency.com"
              code
              error={error?.fromForm ? error.message : undefined}
              announceError
            />
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                {step === 'asking' ? WAITING_FOR_ACCESS : busy ? 'Adding…' : 'Add domain'}
              </button>
            </div>
          </form>
        </>
      )}
      {error && !error.fromForm ? (
        <p class="alert" role="alert">
          {error.message}
        </p>
      ) : null}
      <p class="status" role="status">
        {step === 'asking' ? WAITING_FOR_ACCESS : status}
      </p>
    </section>
  );
}
