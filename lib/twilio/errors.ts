/**
 * Twilio's error codes in plain words: what happened and what to do. The same
 * table explains an API refusal (21610 on create) and a delivery failure
 * reported later in a message's `error_code` (30007).
 */

import { ApiError, type ApiErrorKind, clip, kindForStatus } from '../http/errors';
import type { FailureContext, FailureDescription } from '../http/transport';

export interface TwilioCodeInfo {
  /** What happened, as a clause: `the 'To' number is not a valid phone number`. */
  what: string;
  /** What to do about it, as a sentence. */
  action: string;
  /** Whether sending again, unchanged, can succeed later. */
  retryable: boolean;
  /** Overrides the kind the HTTP status implies. */
  kind?: ApiErrorKind;
}

const CODES: Record<number, TwilioCodeInfo> = {
  20003: {
    what: 'Twilio did not accept the credentials',
    action:
      'Check the Account SID and the Auth Token (or the API key SID and secret) in Sender Lens options; a rotated Auth Token stops the old one working.',
    retryable: false,
    kind: 'auth',
  },
  20404: {
    what: 'Twilio has no such item in this account',
    action: 'Check the Account SID; the item may have been deleted.',
    retryable: false,
    kind: 'not-found',
  },
  20429: {
    what: 'Twilio is limiting requests because too many arrived at once',
    action: 'Sender Lens waits and tries again; if it keeps happening, sync less often.',
    retryable: true,
    kind: 'rate-limited',
  },
  21211: {
    what: "the 'To' number is not a valid phone number",
    action: "Fix the contact's phone number in HighLevel (for example +14155550101).",
    retryable: false,
  },
  21408: {
    what: "this Twilio account may not send SMS to the 'To' number's country",
    action:
      "Allow the country in Twilio Console under Messaging > Settings > Geo permissions, or don't text this contact.",
    retryable: false,
  },
  21602: {
    what: 'the message has no body',
    action: 'Write a message (or attach media) before sending.',
    retryable: false,
  },
  21603: {
    what: "the message has no 'From' number or Messaging Service",
    action: 'Pick a sender number before sending.',
    retryable: false,
  },
  21604: {
    what: "the message has no 'To' number",
    action: 'Add a phone number to the contact in HighLevel.',
    retryable: false,
  },
  21606: {
    what: "the 'From' number is not an SMS-capable number of this Twilio account for this destination",
    action:
      'Pick another sender, or check in Twilio Console that the number belongs to this account and can send SMS.',
    retryable: false,
  },
  21608: {
    what: 'a Twilio trial account can only text numbers verified in the account',
    action: 'Verify the number in Twilio Console, or upgrade the account.',
    retryable: false,
  },
  21610: {
    what: 'the contact replied STOP to this sender and has unsubscribed',
    action: "Don't text them; they can reply START to opt back in.",
    retryable: false,
  },
  21612: {
    what: "Twilio cannot deliver between this 'From' and 'To' number (the sender cannot reach that carrier or country)",
    action: 'Pick a sender that can reach this contact, or check the contact’s number.',
    retryable: false,
  },
  21614: {
    what: "the 'To' number is not a mobile number that can receive SMS (a landline?)",
    action: 'Call the contact or ask for a mobile number.',
    retryable: false,
  },
  21617: {
    what: 'the message is longer than Twilio’s limit of 1,600 characters',
    action: 'Shorten the message or send it in parts.',
    retryable: false,
  },
  21620: {
    what: 'a media URL is not valid or cannot be fetched by Twilio',
    action: 'Attach the file again, or check that its link is public.',
    retryable: false,
  },
  21660: {
    what: "the 'From' number does not belong to this Twilio account",
    action: 'Pick a number of this account, or check which Twilio account is set in Sender Lens.',
    retryable: false,
  },
  30001: {
    what: 'too many messages were queued for this sender (queue overflow)',
    action: 'Send more slowly; Twilio accepts again shortly.',
    retryable: true,
  },
  30002: {
    what: 'the Twilio account is suspended',
    action: 'Resolve the suspension (billing or compliance) in Twilio Console.',
    retryable: false,
  },
  30003: {
    what: "the contact's phone was unreachable (switched off or out of coverage)",
    action: 'Try again later.',
    retryable: true,
  },
  30004: {
    what: 'the message was blocked, by the carrier or by the contact',
    action: "Don't resend; reach the contact another way.",
    retryable: false,
  },
  30005: {
    what: "the 'To' number is unknown or no longer in service",
    action: "Check the contact's number.",
    retryable: false,
  },
  30006: {
    what: "the 'To' number is a landline or its carrier cannot receive SMS",
    action: 'Call the contact or ask for a mobile number.',
    retryable: false,
  },
  30007: {
    what: "the contact's carrier filtered the message as spam",
    action:
      'Change the wording (links, all caps, shortened URLs) and make sure the sender is registered (A2P 10DLC or toll-free verification).',
    retryable: false,
  },
  30008: {
    what: 'delivery failed for a reason the carrier did not give',
    action: 'Try again; if it repeats, contact Twilio support with the message SID.',
    retryable: true,
  },
  30009: {
    what: 'part of a multi-part message went missing on the way',
    action: 'Send the message again.',
    retryable: true,
  },
  30010: {
    what: 'the message cost more than the maximum price set for it',
    action: 'Raise or remove the maximum price.',
    retryable: false,
  },
  30032: {
    what: 'the sender is a toll-free number that is not verified',
    action: 'Complete toll-free verification in Twilio Console, or send from another number.',
    retryable: false,
  },
  30034: {
    what: 'the sender is a US 10DLC number not registered to an approved A2P campaign',
    action:
      'Register the number with an A2P 10DLC brand and campaign in Twilio Console, or send from a registered number.',
    retryable: false,
  },
};

/** Plain words for a Twilio error code, or undefined when the code is not in the table. */
export function explainTwilioCode(code: number): TwilioCodeInfo | undefined {
  return CODES[code];
}

/** The codes the table explains, for tests and documentation. */
export function knownTwilioCodes(): number[] {
  return Object.keys(CODES).map(Number);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Reads Twilio's error body: `{code, message, more_info, status}`. */
function readErrorBody(body: unknown): { code?: number; message?: string; moreInfo?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const out: { code?: number; message?: string; moreInfo?: string } = {};
  if (typeof b.code === 'number' && Number.isInteger(b.code)) out.code = b.code;
  if (typeof b.message === 'string') out.message = clip(b.message);
  if (typeof b.more_info === 'string') out.moreInfo = clip(b.more_info);
  return out;
}

/** Turns a failed Twilio answer into the wording and kind of an `ApiError`. */
export function describeTwilioFailure(context: FailureContext): FailureDescription {
  const { status, operation } = context;
  const body = readErrorBody(context.body);
  const info = body.code === undefined ? undefined : explainTwilioCode(body.code);
  const kind = info?.kind ?? (body.code === 20429 ? 'rate-limited' : kindForStatus(status));
  const providerMessage = body.message ?? (context.bodyText === '' ? undefined : context.bodyText);
  const codeText = body.code === undefined ? `HTTP ${status}` : `Twilio error ${body.code}`;
  const gaveUp = context.attempts > 1 ? ` (gave up after ${context.attempts} attempts)` : '';

  let message: string;
  let retryable: boolean;
  if (info !== undefined) {
    const tries = kind === 'rate-limited' ? gaveUp : '';
    message = `${capitalise(info.what)}${tries} (${codeText}). ${info.action}`;
    retryable = info.retryable;
  } else {
    const said = providerMessage === undefined ? '' : `: ${providerMessage}`;
    switch (kind) {
      case 'auth':
        message = `Twilio did not accept the credentials (${codeText}${said}). Check the Account SID and the Auth Token (or the API key SID and secret) in Sender Lens options.`;
        retryable = false;
        break;
      case 'forbidden':
        message = `Twilio refused access while trying to ${operation} (${codeText}${said}). If this is a restricted API key, allow it Messaging and Phone Numbers, or use a standard key.`;
        retryable = false;
        break;
      case 'not-found':
        message = `Twilio found nothing while trying to ${operation} (${codeText}${said}). Check the Account SID; the item may have been deleted.`;
        retryable = false;
        break;
      case 'rate-limited':
        message = `Twilio is limiting requests${gaveUp} (${codeText}). Wait a minute and try again.`;
        retryable = true;
        break;
      case 'server':
        message = `Twilio had a server problem while trying to ${operation}${gaveUp} (${codeText}). Try again in a few minutes; status.twilio.com lists outages.`;
        retryable = true;
        break;
      default:
        message = `Twilio refused the request to ${operation} (${codeText}${said}). Check the details of what was sent.`;
        retryable = false;
    }
  }

  const out: FailureDescription = { kind, message, retryable };
  if (body.code !== undefined) out.code = body.code;
  if (providerMessage !== undefined) out.providerMessage = providerMessage;
  if (body.moreInfo !== undefined) out.moreInfo = body.moreInfo;
  return out;
}

/** Said wherever an API key of the main account would be used on one of its subaccounts. */
export const SUBACCOUNT_KEY_REFUSAL =
  "An API key of the main Twilio account cannot act on its subaccounts: use the main account's Auth Token, or an API key made in the subaccount.";

/**
 * Twilio answers 20003 when an API key of the main account is used on a
 * subaccount's resources (only the main Auth Token reaches them). Sender
 * Lens knows that before asking, so it refuses without a request and says
 * what to do instead. An ApiError, so every caller that words Twilio's
 * refusals words this one too.
 */
export class SubaccountKeyError extends ApiError {
  constructor() {
    super({
      provider: 'twilio',
      kind: 'auth',
      operation: 'act on a subaccount',
      message: SUBACCOUNT_KEY_REFUSAL,
      retryable: false,
    });
  }
}
