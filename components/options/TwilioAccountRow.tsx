import { useState } from 'preact/hooks';
import type { LocationView, TwilioAccountView } from '../../lib/messaging/requests/settings';
import { LC_PHONE_MISSING } from '../../lib/messaging/views';
import { Field } from './Field';
import { sentence } from './format';
import type { Outcome } from './types';

export interface TwilioAccountRowProps {
  location: LocationView;
  /** The subaccounts listed from Twilio, the main account left out; null until listed. */
  subaccounts: TwilioAccountView[] | null;
  /** Saves the sub-account's Twilio account; undefined for the main account, `LC_PHONE` for none. */
  onSave(accountSid: string | undefined | typeof LC_PHONE): Promise<Outcome>;
}

/** The choice of a sub-account on LC Phone, HighLevel's own phone system: no Twilio account. */
export const LC_PHONE = 'lc-phone';

/** The select's values that are not account SIDs. */
const MAIN = '';
const TYPED = 'typed';

/** `AC…1234`: the SID's ends, which tell accounts apart at a glance. */
function shortSid(sid: string): string {
  return `${sid.slice(0, 2)}…${sid.slice(-4)}`;
}

/** "Sunrise Dental (AC…1234)", with the status when the account is not active. */
export function accountLabel(account: Pick<TwilioAccountView, 'sid' | 'friendlyName' | 'status'>) {
  const name = account.friendlyName
    ? `${account.friendlyName} (${shortSid(account.sid)})`
    : account.sid;
  return account.status === 'active' ? name : `${name}, ${account.status}`;
}

/** One sub-account's choice of Twilio account: the main one, a listed subaccount, or a typed SID. */
export function TwilioAccountRow({ location, subaccounts, onSave }: TwilioAccountRowProps) {
  const saved = location.lcPhone ? LC_PHONE : location.twilioAccountSid;
  const [choice, setChoice] = useState(saved ?? MAIN);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [status, setStatus] = useState('');

  const name = location.name ?? location.locationId;
  const id = `twilio-account-${location.locationId}`;
  const listed = subaccounts ?? [];
  const savedListed =
    saved === LC_PHONE || (saved !== undefined && listed.some((a) => a.sid === saved));
  const chosen = choice === MAIN ? undefined : choice === TYPED ? typed.trim() : choice;
  const changed = choice === TYPED ? typed.trim() !== '' : chosen !== saved;
  const describedBy = [
    location.twilioProblem ? `${id}-problem` : '',
    location.fullSyncDue ? `${id}-note` : '',
    choice === LC_PHONE ? `${id}-lc` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const labelOf = (sid: string) => {
    const account = listed.find((a) => a.sid === sid);
    return account ? accountLabel(account) : sid;
  };

  const choose = (value: string) => {
    setChoice(value);
    setError(null);
    setStatus('');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (choice === TYPED && typed.trim() === '') {
      setError({ field: 'accountSid', message: "type the subaccount's SID, or choose one above" });
      return;
    }
    setBusy(true);
    setError(null);
    setStatus('');
    const outcome = await onSave(chosen);
    setBusy(false);
    if (!outcome.ok) {
      // A refused SID stays typed, so one wrong character is fixed in place.
      setError(outcome.field === undefined ? { message: outcome.message } : outcome);
      return;
    }
    setChoice(chosen ?? MAIN);
    setTyped('');
    setStatus(
      outcome.message ??
        (chosen === undefined
          ? `${name} uses the main Twilio account.`
          : chosen === LC_PHONE
            ? `${name} is on LC Phone: it syncs from HighLevel alone and sends through HighLevel.`
            : `${name} uses the Twilio subaccount ${labelOf(chosen)}.`),
    );
  };

  const typedError =
    error?.field === 'accountSid' && choice === TYPED ? sentence(error.message) : undefined;
  const generalError = error && typedError === undefined ? sentence(error.message) : undefined;

  return (
    <li class="twilio-account-row">
      <form onSubmit={submit} noValidate aria-busy={busy ? 'true' : 'false'}>
        <div class="field">
          <label for={id}>Twilio account for {name}</label>
          <select
            id={id}
            value={choice}
            disabled={busy}
            aria-describedby={describedBy || undefined}
            onChange={(event) => choose((event.currentTarget as HTMLSelectElement).value)}
          >
            <option value={MAIN}>Main account (the saved credentials' own)</option>
            {saved !== undefined && !savedListed ? (
              <option value={saved}>Subaccount {saved}</option>
            ) : null}
            {listed.map((account) => (
              <option key={account.sid} value={account.sid}>
                {accountLabel(account)}
              </option>
            ))}
            <option value={TYPED}>Another subaccount: type its SID…</option>
            <option value={LC_PHONE}>
              LC Phone (HighLevel's own phone system, no Twilio account)
            </option>
          </select>
        </div>
        {choice === LC_PHONE ? (
          <p id={`${id}-lc`} class="muted">
            {LC_PHONE_MISSING}
          </p>
        ) : null}
        {choice === TYPED ? (
          <Field
            id={`${id}-sid`}
            label={`SID of ${name}'s Twilio subaccount`}
            value={typed}
            onInput={(value) => {
              setTyped(value);
              if (error?.field === 'accountSid') setError(null);
            }}
            placeholder="AC…"
            code
            hint='Starts with "AC"; Twilio Console lists it under Admin → Subaccounts.'
            error={typedError}
            announceError
            disabled={busy}
          />
        ) : null}
        {location.twilioProblem ? (
          <p id={`${id}-problem`} class="alert" role="alert">
            {location.twilioProblem}
          </p>
        ) : null}
        {location.fullSyncDue ? (
          <p id={`${id}-note`} class="muted">
            The Twilio account changed: the next sync reads {name}'s whole history again.
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" disabled={busy || !changed}>
            {busy ? 'Saving…' : 'Save'}
            <span class="sr-only"> the Twilio account for {name}</span>
          </button>
        </div>
        {generalError ? (
          <p class="alert" role="alert">
            {generalError}
          </p>
        ) : null}
        <p class="status" role="status">
          {status}
        </p>
      </form>
    </li>
  );
}
