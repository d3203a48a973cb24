/**
 * The checks every send passes before anything goes on the wire. Each
 * refusal is a fixed sentence the page may show, on the badge and on the
 * send action; none quotes a provider.
 */
import { MAX_BODY_CHARACTERS, MAX_MEDIA_URLS } from '../messaging/requests/send';
import type { RulesIndex } from '../rules';
import type { RefusalCode, Resolution } from '../rules/types';

const REFUSALS: Record<RefusalCode, string> = {
  'contact-opted-out':
    'The contact has opted out of SMS (DND or a STOP reply): Sender Lens will not text them.',
  'contact-has-no-phone': 'The contact has no phone number to text.',
  'no-sender-number':
    'No number of this sub-account can send this SMS: add an SMS-capable default number in HighLevel.',
  'pick-unavailable':
    'The picked number is no longer an SMS number of this sub-account: pick another one.',
  'workflow-from-unavailable':
    'The workflow’s From Number is not an SMS number of this sub-account.',
  'bulk-from-unavailable':
    'The bulk action’s From Number is not an SMS number of this sub-account.',
  'invalid-input': 'Sender Lens could not read this sub-account’s synced data: sync it again.',
};

/** What the sender view needs to say whether a send can go out, whatever the body. */
export interface ReadinessInput {
  resolution: Resolution;
  index: RulesIndex;
  contactId: string;
  /** When Twilio refused this pair with 21610, or null. */
  blockedSince: string | null;
  /** A sentence when the chosen route has no credentials, else null. */
  routeProblem: string | null;
}

/** The sender and recipient a send would use, or the sentence that says why there is none. */
export type Readiness = { ok: true; from: string; to: string } | { ok: false; refusal: string };

/** Whether a send to the contact can go out now, apart from its body. */
export function readiness(input: ReadinessInput): Readiness {
  const { resolution, index } = input;
  if ('error' in resolution) return { ok: false, refusal: REFUSALS[resolution.error] };
  const contact = index.contacts.get(input.contactId);
  const to = contact?.phone ?? null;
  if (to === null) {
    return {
      ok: false,
      refusal:
        contact?.rawPhone === undefined
          ? REFUSALS['contact-has-no-phone']
          : 'The contact’s phone number is not a valid number, so there is nowhere to send.',
    };
  }
  const number = index.numbers.get(resolution.from);
  if (number?.sms === false) {
    return {
      ok: false,
      refusal: `${index.phones.display(resolution.from)} cannot send SMS: pick an SMS-capable number.`,
    };
  }
  if (input.blockedSince !== null) {
    return {
      ok: false,
      refusal: `The contact replied STOP to ${index.phones.display(resolution.from)} (Twilio refused a send on ${input.blockedSince.slice(0, 10)}): pick another number, or wait until they reply START.`,
    };
  }
  if (input.routeProblem !== null) return { ok: false, refusal: input.routeProblem };
  return { ok: true, from: resolution.from, to };
}

/** Why this body cannot be sent, or null when it can. */
export function bodyRefusal(body: string, mediaCount: number): string | null {
  if (body.trim() === '' && mediaCount === 0)
    return 'Type a message first: there is nothing to send.';
  if (body.length > MAX_BODY_CHARACTERS) {
    const over = body.length - MAX_BODY_CHARACTERS;
    return `The message is ${over.toLocaleString('en-US')} characters too long: Twilio takes at most 1,600.`;
  }
  if (mediaCount > MAX_MEDIA_URLS) return 'Twilio takes at most 10 media URLs per message.';
  return null;
}

/** Why a media URL cannot be attached, or null when it can. */
export function mediaRefusal(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return null;
  } catch {
    // Falls through to the sentence below.
  }
  return 'A media URL must be a full http(s) address that Twilio can fetch.';
}
