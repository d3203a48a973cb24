import { useState } from 'preact/hooks';
import type { CheckLine, CredentialsCheck } from '../../lib/messaging/requests/settings';

export interface CheckSectionProps {
  /** Resolves with what each API said, or with a message when the check could not run. */
  onCheck(): Promise<CredentialsCheck | { error: string }>;
}

function Line(props: { name: string; line: CheckLine }) {
  return (
    <li class={props.line.ok ? 'ok' : 'bad'}>
      <span class="icon" aria-hidden="true">
        {props.line.ok ? '✓' : '✕'}
      </span>
      <span>
        <strong>{props.name}:</strong> {props.line.message}
      </span>
    </li>
  );
}

/** Tries the saved credentials against Twilio and HighLevel and says what it found. */
export function CheckSection(props: CheckSectionProps) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CredentialsCheck | { error: string } | null>(null);

  const check = async () => {
    setBusy(true);
    setResult(null);
    setResult(await props.onCheck());
    setBusy(false);
  };

  return (
    <section class="card" aria-labelledby="check-heading">
      <h2 id="check-heading">Check connection</h2>
      <p class="lead">
        Reads your numbers and staff from both services, without changing anything.
      </p>
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={check}>
          {busy ? 'Checking…' : 'Check connection'}
        </button>
      </div>
      <div role="status" aria-busy={busy ? 'true' : 'false'}>
        {result === null ? null : 'error' in result ? (
          <p class="alert">{result.error}</p>
        ) : (
          <ul class="results" aria-label="Connection results">
            <Line name="Twilio" line={result.twilio} />
            {(result.twilioSubaccounts ?? []).map((line) => (
              <Line
                key={`twilio-${line.locationId}`}
                name={`Twilio subaccount of ${line.name ?? line.locationId} (${line.accountSid})`}
                line={line}
              />
            ))}
            {result.highLevel.length === 0 ? (
              <Line
                name="HighLevel"
                line={{ ok: false, message: 'No sub-account added yet: add one above.' }}
              />
            ) : (
              result.highLevel.map((line) => (
                <Line
                  key={line.locationId}
                  name={`HighLevel (${line.name ?? line.locationId})`}
                  line={line}
                />
              ))
            )}
          </ul>
        )}
      </div>
    </section>
  );
}
