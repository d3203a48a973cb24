/**
 * The options page's Twilio answers beyond the credentials themselves: the
 * subaccounts to choose from, which Twilio account each sub-account uses,
 * and the connection check of each account in use. Answers carry account
 * SIDs (not secrets) and never a credential.
 */
import { isApiError } from '../http/errors';
import { PublicError } from '../messaging/background';
import type {
  TwilioAccountCheck,
  TwilioAccountView,
  TwilioCheck,
} from '../messaging/requests/settings';
import { redactSecrets, type SecretsStore } from '../secrets';
import type { LocationInfo } from '../store';
import {
  apiKeyRefusedFor,
  SUBACCOUNT_KEY_REFUSAL,
  SubaccountKeyError,
  type TwilioClient,
} from '../twilio';
import type { BackgroundServices } from './services';

const UNEXPECTED = 'Sender Lens hit an internal error; try again.';
const NO_CREDENTIALS = 'No Twilio credentials saved yet: save them above.';
// Twilio caps a main account at 1,000 subaccounts by default; a check must stay quick.
const COUNT_LIMIT = 10_000;

/** Why subaccounts cannot be listed with an API key, and what to do. */
export const LIST_NEEDS_AUTH_TOKEN =
  "Twilio lists subaccounts only to the main account's Auth Token, and an API key reaches only the account it was made in: save the main account's Auth Token to choose subaccounts here.";

export type TwilioSecrets = Pick<SecretsStore, 'loadTwilioCredentials'>;

/** A failure in words the page may show: the API's own explanation, masked. */
function plainFailure(error: unknown, fallback: string): string {
  if (isApiError(error) || error instanceof PublicError) return redactSecrets(error.message);
  return fallback;
}

function plural(count: number, one: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : `${one}s`}`;
}

function sameSid(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `AC…1234`: enough to tell accounts apart in a sentence. */
function shortSid(sid: string): string {
  return `${sid.slice(0, 2)}…${sid.slice(-4)}`;
}

/** Why the saved credentials cannot reach a sub-account's Twilio account; undefined when they can. */
export function twilioProblem(
  credentials: { kind: 'auth-token' | 'api-key'; accountSid: string } | null,
  accountSid: string | undefined,
): string | undefined {
  if (accountSid === undefined) return undefined;
  return credentials && apiKeyRefusedFor(credentials, accountSid)
    ? SUBACCOUNT_KEY_REFUSAL
    : undefined;
}

/** The accounts of the saved credentials: the main account first, then subaccounts by name. */
export async function listTwilioAccounts(
  services: Pick<BackgroundServices, 'twilio'>,
  secrets: TwilioSecrets,
): Promise<TwilioAccountView[]> {
  const credentials = await secrets.loadTwilioCredentials();
  if (credentials === null) throw new PublicError(NO_CREDENTIALS);
  // Asking would only get 20003, which reads as if the key were wrong.
  if (credentials.kind === 'api-key') throw new PublicError(LIST_NEEDS_AUTH_TOKEN);
  const client = await services.twilio();
  if (client === null) throw new PublicError(NO_CREDENTIALS);
  const accounts: TwilioAccountView[] = [];
  try {
    for await (const page of client.listAccounts()) {
      for (const account of page.items) {
        accounts.push({
          sid: account.sid,
          friendlyName: account.friendlyName,
          status: account.status,
          main: sameSid(account.sid, client.credentialsAccountSid),
        });
      }
      if (accounts.length >= COUNT_LIMIT) break;
    }
  } catch (error) {
    throw new PublicError(
      plainFailure(error, `Listing the Twilio subaccounts failed. ${UNEXPECTED}`),
    );
  }
  const name = (a: TwilioAccountView) => (a.friendlyName ?? a.sid).toLowerCase();
  return accounts.sort((a, b) =>
    a.main !== b.main ? (a.main ? -1 : 1) : name(a).localeCompare(name(b)),
  );
}

/**
 * The account SID to store for a sub-account's choice: null for the main
 * account (also when the main account's own SID is typed). Refuses an
 * account the saved API key cannot reach, with the fixed sentence.
 */
export async function accountToStore(
  secrets: TwilioSecrets,
  accountSid: string | undefined,
): Promise<string | null> {
  if (accountSid === undefined) return null;
  const credentials = await secrets.loadTwilioCredentials();
  if (credentials === null) return accountSid;
  if (sameSid(accountSid, credentials.accountSid)) return null;
  if (apiKeyRefusedFor(credentials, accountSid)) throw new PublicError(SUBACCOUNT_KEY_REFUSAL);
  return accountSid;
}

/** Counts a client's numbers, and those that can send SMS. */
async function countNumbers(client: TwilioClient): Promise<{ numbers: number; sms: number }> {
  let numbers = 0;
  let sms = 0;
  for await (const page of client.listIncomingNumbers()) {
    for (const number of page.items) {
      numbers += 1;
      if (number.capabilities.sms === true) sms += 1;
    }
    if (numbers >= COUNT_LIMIT) break;
  }
  return { numbers, sms };
}

function connected(counts: { numbers: number; sms: number }, empty: string): TwilioCheck {
  const message =
    counts.numbers === 0
      ? empty
      : `Connected: ${plural(counts.numbers, 'number')}, ${counts.sms.toLocaleString('en-US')} can send SMS`;
  return { ok: true, message, numbers: counts.numbers, smsNumbers: counts.sms };
}

/** The check of the saved credentials' own account. */
export async function checkMainAccount(
  services: Pick<BackgroundServices, 'twilio'>,
): Promise<TwilioCheck> {
  try {
    const client = await services.twilio();
    if (client === null) return { ok: false, message: NO_CREDENTIALS };
    return connected(
      await countNumbers(client),
      'Connected, but this Twilio account has no phone numbers.',
    );
  } catch (error) {
    return { ok: false, message: plainFailure(error, `Checking Twilio failed. ${UNEXPECTED}`) };
  }
}

/** The check of each sub-account's Twilio subaccount, through the client its sync would use. */
export async function checkSubaccounts(
  services: Pick<BackgroundServices, 'twilio'>,
  locations: LocationInfo[],
): Promise<TwilioAccountCheck[]> {
  const mapped = locations.filter(
    (l): l is LocationInfo & { twilioAccountSid: string } => l.twilioAccountSid !== undefined,
  );
  return Promise.all(
    mapped.map(async (location): Promise<TwilioAccountCheck> => {
      const accountSid = location.twilioAccountSid;
      const about = {
        locationId: location.locationId,
        accountSid,
        ...(location.name === undefined ? {} : { name: location.name }),
      };
      try {
        const client = await services.twilio(location.locationId);
        if (client === null) return { ...about, ok: false, message: NO_CREDENTIALS };
        const check = connected(
          await countNumbers(client),
          'Connected, but this Twilio subaccount has no phone numbers.',
        );
        return { ...about, ...check };
      } catch (error) {
        // Twilio answers 20003 for an account the credentials do not own: say which.
        const notOwned =
          isApiError(error) && error.kind === 'auth' && !(error instanceof SubaccountKeyError);
        const message = notOwned
          ? `Twilio refused the saved credentials on ${shortSid(accountSid)}: check that it is a subaccount of the saved account, or choose another.`
          : plainFailure(error, `Checking the Twilio subaccount failed. ${UNEXPECTED}`);
        return { ...about, ok: false, message };
      }
    }),
  );
}
