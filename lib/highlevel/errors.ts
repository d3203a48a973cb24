/** HighLevel's error answers in plain words: what happened and what to do. */

import { clip, kindForStatus } from '../http/errors';
import type { FailureContext, FailureDescription } from '../http/transport';

/** Reads HighLevel's error body: `{statusCode, message (string or list), error}`. */
function readErrorBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const said = b.message ?? b.msg ?? b.error;
  if (typeof said === 'string' && said !== '') return clip(said);
  if (Array.isArray(said)) {
    const parts = said.filter((s): s is string => typeof s === 'string');
    if (parts.length > 0) return clip(parts.join('; '));
  }
  return undefined;
}

/** Turns a failed HighLevel answer into the wording and kind of an `ApiError`. */
export function describeHighLevelFailure(context: FailureContext): FailureDescription {
  const { status, operation } = context;
  const providerMessage =
    readErrorBody(context.body) ?? (context.bodyText === '' ? undefined : context.bodyText);
  let kind = kindForStatus(status);
  // HighLevel answers a token that lacks a scope with 401, not 403.
  if (kind === 'auth' && providerMessage !== undefined && /scope/i.test(providerMessage)) {
    kind = 'forbidden';
  }
  // HighLevel answers an unknown id with 400 "… not found" rather than 404.
  if (
    kind === 'rejected' &&
    status === 400 &&
    providerMessage !== undefined &&
    /not found/i.test(providerMessage)
  ) {
    kind = 'not-found';
  }
  const said = `HTTP ${status}${providerMessage === undefined ? '' : `: ${providerMessage}`}`;
  const gaveUp = context.attempts > 1 ? ` (gave up after ${context.attempts} attempts)` : '';
  const needs = context.needs ?? 'the scopes Sender Lens lists in its options';

  let message: string;
  let retryable = false;
  switch (kind) {
    case 'auth':
      message = `HighLevel did not accept the token (${said}). Paste a current Private Integration token of this sub-account in Sender Lens options.`;
      break;
    case 'forbidden':
      message = `HighLevel did not let this token ${operation} (${said}). The token needs ${needs} and access to this sub-account: edit the Private Integration in HighLevel's settings, then paste the token again.`;
      break;
    case 'not-found':
      message = `HighLevel found nothing while trying to ${operation} (${said}). It may have been deleted or belong to another sub-account.`;
      break;
    case 'rate-limited':
      message = `HighLevel is limiting requests${gaveUp} (HTTP ${status}). Wait a minute and try again.`;
      retryable = true;
      break;
    case 'server':
      message = `HighLevel had a server problem while trying to ${operation}${gaveUp} (HTTP ${status}). Try again in a few minutes.`;
      retryable = true;
      break;
    default:
      message = `HighLevel refused the request to ${operation} (${said}).`;
  }
  const out: FailureDescription = { kind, message, retryable };
  if (providerMessage !== undefined) out.providerMessage = providerMessage;
  return out;
}
