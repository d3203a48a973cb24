import { useState } from 'preact/hooks';
import type { TwilioSavePayload, TwilioSecretView } from '../../lib/messaging/requests/settings';
import { Field } from './Field';
import { sentence, twilioSavedText } from './format';
import type { Outcome } from './types';

export interface TwilioSectionProps {
  saved: TwilioSecretView | null;
  /** Resolves once the background answered; a failure names the field when it can. */
  onSave(credentials: TwilioSavePayload): Promise<Outcome>;
  onRemove(): Promise<Outcome>;
}

type Kind = TwilioSavePayload['kind'];
type FieldName = 'accountSid' | 'authToken' | 'apiKeySid' | 'apiKeySecret';

/** Labels as the Twilio Console names them, keyed by the payload's field names. */
export const TWILIO_LABELS: Record<FieldName, string> = {
  accountSid: 'Account SID',
  authToken: 'Auth Token',
  apiKeySid: 'API key SID',
  apiKeySecret: 'API key secret',
};

const EMPTY: Record<FieldName, string> = {
  accountSid: '',
  authToken: '',
  apiKeySid: '',
  apiKeySecret: '',
};

/** Twilio credentials: what is saved (masked), and a form to save or replace them. */
export function TwilioSection(props: TwilioSectionProps) {
  const [kind, setKind] = useState<Kind>(props.saved?.kind ?? 'auth-token');
  const [values, setValues] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [status, setStatus] = useState('');

  const set = (name: FieldName) => (value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    if (error?.field === name) setError(null);
  };
  const fieldError = (name: FieldName) =>
    error?.field === name ? sentence(error.message) : undefined;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const credentials: TwilioSavePayload =
      kind === 'auth-token'
        ? { kind, accountSid: values.accountSid, authToken: values.authToken }
        : {
            kind,
            accountSid: values.accountSid,
            apiKeySid: values.apiKeySid,
            apiKeySecret: values.apiKeySecret,
          };
    setBusy(true);
    setStatus('');
    setError(null);
    const outcome = await props.onSave(credentials);
    setBusy(false);
    if (outcome.ok) {
      // Secrets are never shown again once saved; the masks above say what is kept.
      setValues(EMPTY);
      setStatus(outcome.message ?? 'Twilio credentials saved. Check the connection below.');
    } else {
      // What was typed stays, so one wrong character does not mean typing it all again.
      setError(outcome.field === undefined ? { message: outcome.message } : outcome);
    }
  };

  const remove = async () => {
    setBusy(true);
    setStatus('');
    setError(null);
    const outcome = await props.onRemove();
    setBusy(false);
    if (outcome.ok) setStatus('Twilio credentials removed.');
    else setError({ message: outcome.message });
  };

  const label = (name: string) => TWILIO_LABELS[name as FieldName];

  return (
    <section class="card" aria-labelledby="twilio-heading">
      <h2 id="twilio-heading">Twilio</h2>
      <p class="lead">
        The Twilio account your HighLevel numbers send from. Find these under Account Info in the
        Twilio Console.
      </p>
      {props.saved ? (
        <div class="saved">
          <span class="code">{twilioSavedText(props.saved)}</span>
          <button type="button" class="danger" disabled={busy} onClick={remove}>
            Remove<span class="sr-only"> the Twilio credentials</span>
          </button>
        </div>
      ) : (
        <p class="muted">No Twilio credentials saved yet.</p>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset class="toggle">
          <legend>Sign in with</legend>
          <label>
            <input
              type="radio"
              name="twilio-kind"
              value="auth-token"
              checked={kind === 'auth-token'}
              onChange={() => setKind('auth-token')}
            />{' '}
            Auth Token
          </label>
          <label>
            <input
              type="radio"
              name="twilio-kind"
              value="api-key"
              checked={kind === 'api-key'}
              onChange={() => setKind('api-key')}
            />{' '}
            API key
          </label>
        </fieldset>
        <Field
          id="accountSid"
          label="Account SID"
          value={values.accountSid}
          onInput={set('accountSid')}
          placeholder="AC…"
          code
          hint='Starts with "AC".'
          error={fieldError('accountSid')}
        />
        {kind === 'auth-token' ? (
          <Field
            id="authToken"
            label="Auth Token"
            type="password"
            value={values.authToken}
            onInput={set('authToken')}
            code
            error={fieldError('authToken')}
          />
        ) : (
          <>
            <Field
              id="apiKeySid"
              label="API key SID"
              value={values.apiKeySid}
              onInput={set('apiKeySid')}
              placeholder="SK…"
              code
              hint='Starts with "SK". A standard API key is enough.'
              error={fieldError('apiKeySid')}
            />
            <Field
              id="apiKeySecret"
              label="API key secret"
              type="password"
              value={values.apiKeySecret}
              onInput={set('apiKeySecret')}
              code
              error={fieldError('apiKeySecret')}
            />
          </>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy
              ? 'Saving…'
              : props.saved
                ? 'Replace Twilio credentials'
                : 'Save Twilio credentials'}
          </button>
        </div>
        {error ? (
          <p class="alert" role="alert">
            {error.field && label(error.field) ? `${label(error.field)}: ` : ''}
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
