/**
 * Which Twilio account a HighLevel sub-account reads and sends through: the
 * subaccount set in its settings, else the main account of the saved
 * credentials. An agency often gives each sub-account its own Twilio
 * subaccount and keeps one set of credentials, the main account's.
 */
import type { HttpOptions } from '../http/transport';
import { revealTwilioCredentials, type TwilioCredentials } from '../secrets';
import type { Store } from '../store';
import { TwilioClient } from '../twilio';

/**
 * The Twilio subaccount set for a sub-account (undefined: the main account),
 * or 'lc-phone' when it is on LC Phone and has no Twilio account at all.
 */
export async function twilioAccountOf(
  store: Pick<Store, 'listLocations'>,
  locationId: string,
): Promise<string | undefined | 'lc-phone'> {
  const location = (await store.listLocations()).find((l) => l.locationId === locationId);
  if (location?.lcPhone) return 'lc-phone';
  return location?.twilioAccountSid;
}

/**
 * A Twilio client for the sub-account's account, or the main account's
 * without a location; null without credentials, and for a sub-account on LC
 * Phone (its messages are in no Twilio log of the customer's). Throws SubaccountKeyError
 * when the credentials are an API key of another account than the one set.
 */
export async function twilioClientFor(input: {
  credentials: TwilioCredentials | null;
  store: Pick<Store, 'listLocations'>;
  locationId?: string | undefined;
  http: HttpOptions;
}): Promise<TwilioClient | null> {
  if (input.credentials === null) return null;
  const accountSid =
    input.locationId === undefined
      ? undefined
      : await twilioAccountOf(input.store, input.locationId);
  if (accountSid === 'lc-phone') return null;
  return new TwilioClient({
    ...input.http,
    credentials: revealTwilioCredentials(input.credentials),
    ...(accountSid === undefined ? {} : { accountSid }),
  });
}

/** Whether the sub-account is on LC Phone, HighLevel's own phone system. */
export async function isLcPhone(
  store: Pick<Store, 'listLocations'>,
  locationId: string,
): Promise<boolean> {
  return (await twilioAccountOf(store, locationId)) === 'lc-phone';
}
