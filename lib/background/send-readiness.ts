/**
 * Whether a send to a contact can go out now, whatever its body: the sender
 * view shows it on the badge and the send action, and the send request
 * checks it again before queuing.
 */

import type { SendRoute } from '../messaging/send-views';
import type { RulesIndex } from '../rules';
import type { Resolution } from '../rules/types';
import { type Readiness, readiness } from '../send';
import { SUBACCOUNT_KEY_REFUSAL, SubaccountKeyError } from '../twilio';
import type { SendService } from './send-service';
import type { BackgroundServices } from './services';
import { isLcPhone } from './twilio-account';

const NO_TWILIO =
  'No Twilio credentials are saved: add them in Sender Lens options to send through Twilio.';
const NO_HIGHLEVEL =
  'No HighLevel token is saved for this sub-account: add one in Sender Lens options to send through HighLevel.';

export interface SendReadiness {
  route: SendRoute;
  readiness: Readiness;
}

/** The route of the sub-account and whether the contact can be texted on it now. */
export async function sendReadiness(
  services: Pick<BackgroundServices, 'store' | 'twilio' | 'highlevel'>,
  send: Pick<SendService, 'settings'>,
  input: { locationId: string; contactId: string; index: RulesIndex; resolution: Resolution },
): Promise<SendReadiness> {
  // LC Phone has no Twilio account of the customer's: HighLevel's API is its only route.
  const route = (await isLcPhone(services.store, input.locationId))
    ? 'highlevel'
    : ((await send.settings()).routes[input.locationId] ?? 'twilio');
  let routeProblem: string | null;
  try {
    const client =
      route === 'twilio'
        ? await services.twilio(input.locationId)
        : await services.highlevel(input.locationId);
    routeProblem = client !== null ? null : route === 'twilio' ? NO_TWILIO : NO_HIGHLEVEL;
  } catch (error) {
    // Refused before any request: the send would fail the same way, so say why now.
    if (!(error instanceof SubaccountKeyError)) throw error;
    routeProblem = SUBACCOUNT_KEY_REFUSAL;
  }
  const to = input.index.contacts.get(input.contactId)?.phone ?? null;
  const blockedSince =
    'from' in input.resolution && to !== null
      ? await services.store.outbox.blockedSince(input.locationId, input.resolution.from, to)
      : null;
  return {
    route,
    readiness: readiness({ ...input, blockedSince, routeProblem }),
  };
}
