import { useState } from 'preact/hooks';
import type {
  LocationView,
  TwilioAccountView,
  TwilioSecretView,
} from '../../lib/messaging/requests/settings';
import { type LC_PHONE, TwilioAccountRow } from './TwilioAccountRow';
import type { Outcome } from './types';

export interface TwilioAccountsSectionProps {
  locations: LocationView[];
  /** The saved Twilio credentials, masked; null when none are saved. */
  saved: TwilioSecretView | null;
  /** Resolves with the main account and its subaccounts, or with why they could not be listed. */
  onList(): Promise<TwilioAccountView[] | { error: string }>;
  /** Saves a sub-account's Twilio account; undefined for the main account. */
  /** `LC_PHONE`: the sub-account is on LC Phone and has no Twilio account. */
  onSave(locationId: string, accountSid: string | undefined | typeof LC_PHONE): Promise<Outcome>;
}

/** Which Twilio account each sub-account reads and sends through. */
export function TwilioAccountsSection(props: TwilioAccountsSectionProps) {
  const [accounts, setAccounts] = useState<TwilioAccountView[] | null>(null);
  const [listing, setListing] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [listStatus, setListStatus] = useState('');

  const subaccounts = accounts?.filter((a) => !a.main) ?? null;

  const list = async () => {
    setListing(true);
    setListError(null);
    setListStatus('');
    const answer = await props.onList();
    setListing(false);
    if ('error' in answer) {
      setListError(answer.error);
      return;
    }
    setAccounts(answer);
    const found = answer.filter((a) => !a.main).length;
    setListStatus(
      found === 0
        ? 'Twilio lists no subaccounts of this account.'
        : `Twilio lists ${found} ${found === 1 ? 'subaccount' : 'subaccounts'}: choose from them below.`,
    );
  };

  return (
    <section class="card" aria-labelledby="twilio-accounts-heading">
      <h2 id="twilio-accounts-heading">Twilio subaccounts</h2>
      <p class="lead">
        One set of Twilio credentials, the main account's, can serve many sub-accounts, each on its
        own Twilio subaccount. Choose the account each sub-account reads and sends through; without
        a choice it uses the main account.
      </p>
      {props.saved?.kind === 'api-key' ? (
        <p class="muted">
          An API key reaches only the Twilio account it was made in. To serve subaccounts with one
          set of credentials, save the main account's Auth Token above.
        </p>
      ) : null}
      {props.locations.length === 0 ? (
        <p class="muted">Add a sub-account under HighLevel first.</p>
      ) : (
        <>
          <div class="actions">
            <button
              type="button"
              disabled={listing || props.saved === null}
              aria-describedby={props.saved === null ? 'twilio-accounts-none' : undefined}
              onClick={() => void list()}
            >
              {listing
                ? 'Listing…'
                : accounts === null
                  ? 'List subaccounts from Twilio'
                  : 'List subaccounts again'}
            </button>
            {props.saved === null ? (
              <span id="twilio-accounts-none" class="muted">
                Save the Twilio credentials above first.
              </span>
            ) : null}
          </div>
          {listError ? (
            <p class="alert" role="alert">
              {listError}
            </p>
          ) : null}
          <p class="status" role="status">
            {listStatus}
          </p>
          <ul class="list twilio-account-list" aria-label="Twilio account of each sub-account">
            {props.locations.map((location) => (
              <TwilioAccountRow
                key={location.locationId}
                location={location}
                subaccounts={subaccounts}
                onSave={(accountSid) => props.onSave(location.locationId, accountSid)}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
