/**
 * The only error sentences a content script ever gets. A provider's own
 * wording (and anything a client built around it) stays in the background
 * and the extension's pages: the page a content script runs in is not ours,
 * so what reaches it is chosen from this closed set by the kind of failure.
 */
import type { ApiErrorKind, Provider } from '../http/errors';
import { isApiError } from '../http/errors';
import { SUBACCOUNT_KEY_REFUSAL, SubaccountKeyError } from '../twilio';

const NAMES: Record<Provider, string> = { highlevel: 'HighLevel', twilio: 'Twilio' };

const BY_KIND: Record<ApiErrorKind, (name: string) => string> = {
  auth: (name) =>
    name === 'Twilio'
      ? 'Twilio refused the saved credentials; check them in Sender Lens options.'
      : 'HighLevel refused the saved token; paste a current one in Sender Lens options.',
  forbidden: (name) =>
    `The saved ${name} credentials may not read this; check their scopes in Sender Lens options.`,
  'not-found': (name) => `${name} has no such record in this sub-account.`,
  'rate-limited': (name) => `${name} is limiting requests; try again shortly.`,
  server: (name) => `${name} is having trouble; try again shortly.`,
  network: (name) => `Could not reach ${name}; check the connection and try again.`,
  timeout: (name) => `${name} did not answer in time; try again shortly.`,
  malformed: (name) => `${name} sent an answer Sender Lens cannot read; try again shortly.`,
  rejected: (name) => `${name} refused the request.`,
  aborted: () => 'The request was cancelled.',
};

/** Said when nothing more precise may be said. */
export const SOMETHING_FAILED = 'Sender Lens could not check this just now; try again shortly.';

/** A fixed sentence for `error`, safe for a content script: never the provider's text. */
export function plainSentence(error: unknown): string {
  if (!isApiError(error)) return SOMETHING_FAILED;
  // Sender Lens's own fixed sentence: it says what to change, and quotes no provider.
  if (error instanceof SubaccountKeyError) return SUBACCOUNT_KEY_REFUSAL;
  const name = NAMES[error.provider] ?? 'The provider';
  return (BY_KIND[error.kind] ?? (() => SOMETHING_FAILED))(name);
}
