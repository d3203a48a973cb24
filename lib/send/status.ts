/**
 * What a provider's message status means for a send, and Twilio's codes in
 * the words the page shows. Only fixed sentences and the code table of
 * lib/twilio are used: a provider's own wording never reaches a page.
 */
import type { OutboxState as SendState } from '../store';
import { explainTwilioCode } from '../twilio/errors';

/** States after which nothing more will happen to a send. */
export const FINAL_STATES: readonly SendState[] = ['delivered', 'undelivered', 'failed', 'unknown'];

/** The send's state for a status Twilio or HighLevel reports for the message. */
export function stateOfProviderStatus(status: string): SendState {
  switch (status.toLowerCase()) {
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      // accepted, scheduled, queued, sending, sent, pending: the provider has it.
      return 'sent';
  }
}

/**
 * What to do about the codes agents meet most, in the words of the send
 * action; other codes take the general table's advice.
 */
const ADVICE: Record<number, string> = {
  21610:
    'The contact replied STOP to this number. Do not text them from it unless they reply START.',
  21606: 'This number cannot send SMS. Pick an SMS-capable number, or enable SMS for it in Twilio.',
  21408:
    "Texts to this country are not enabled. Enable the region in Twilio's SMS geographic permissions.",
  21614: 'The contact’s number is not a mobile number. Call them, or ask for a mobile number.',
  30007:
    'The carrier filtered the message as spam. Reword it, and check the number’s A2P registration.',
  30034:
    'The number is not registered for A2P 10DLC. Register it in Twilio before texting US contacts.',
};

/** The plain words for a provider's error code: a short reason and what to do. */
export function explainCode(code: number): { reason: string; advice: string } {
  const known = explainTwilioCode(code);
  const reason = known ? known.what : `Twilio reported error ${code}`;
  const advice = ADVICE[code] ?? known?.action ?? 'Look the code up in Twilio’s error dictionary.';
  return { reason, advice };
}

/** Whether sending again later can work after Twilio refused a create with `code`. */
export function isRetryableCode(code: number): boolean {
  return explainTwilioCode(code)?.retryable ?? false;
}
