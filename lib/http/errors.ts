/**
 * Errors shared by the Twilio and HighLevel clients. An `ApiError` says what
 * happened and what to do in plain words, so the options page and the tooltip
 * can show `message` as it is. Secrets are scrubbed before an error is built,
 * and the error keeps no reference to the request, its headers or the raw
 * exception, so serialising it can never leak a token.
 */

export type Provider = 'twilio' | 'highlevel';

export type ApiErrorKind =
  /** The credentials were refused (HTTP 401, Twilio 20003). */
  | 'auth'
  /** The credentials work but may not do this (HTTP 403, missing scope). */
  | 'forbidden'
  | 'not-found'
  /** Too many requests (HTTP 429, Twilio 20429). */
  | 'rate-limited'
  /** The provider failed (HTTP 5xx). */
  | 'server'
  /** The provider could not be reached. */
  | 'network'
  /** No answer within the time limit. */
  | 'timeout'
  /** The answer was not what the API specification promises. */
  | 'malformed'
  /** The provider refused the request itself (other 4xx, e.g. Twilio 21211). */
  | 'rejected'
  /** The caller cancelled through its AbortSignal. */
  | 'aborted';

export interface ApiErrorInit {
  provider: Provider;
  kind: ApiErrorKind;
  /** What the client was doing, e.g. `list messages`. */
  operation: string;
  /** What happened and what to do, in a sentence or two. */
  message: string;
  retryable: boolean;
  status?: number;
  /** The provider's own error code (Twilio's numeric codes). */
  code?: number;
  /** The provider's own wording, shortened, for support. */
  providerMessage?: string;
  /** How long the provider asked us to wait before trying again. */
  retryAfterMs?: number;
  /** Twilio's `more_info` link. */
  moreInfo?: string;
}

/** A failed call to Twilio or HighLevel, with a plain explanation. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly provider: Provider;
  readonly kind: ApiErrorKind;
  readonly operation: string;
  readonly retryable: boolean;
  readonly status?: number;
  readonly code?: number;
  readonly providerMessage?: string;
  readonly retryAfterMs?: number;
  readonly moreInfo?: string;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.provider = init.provider;
    this.kind = init.kind;
    this.operation = init.operation;
    this.retryable = init.retryable;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.providerMessage !== undefined) this.providerMessage = init.providerMessage;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.moreInfo !== undefined) this.moreInfo = init.moreInfo;
  }

  /** The fields worth storing or sending to another context; no stack. */
  toJSON(): ApiErrorInit & { name: 'ApiError' } {
    const out: ApiErrorInit & { name: 'ApiError' } = {
      name: 'ApiError',
      provider: this.provider,
      kind: this.kind,
      operation: this.operation,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.status !== undefined) out.status = this.status;
    if (this.code !== undefined) out.code = this.code;
    if (this.providerMessage !== undefined) out.providerMessage = this.providerMessage;
    if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
    if (this.moreInfo !== undefined) out.moreInfo = this.moreInfo;
    return out;
  }
}

/** Narrows an unknown thrown value to `ApiError`. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** Bad input handed to a client method; `field` names the offending argument. */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

const REDACTED = '[redacted]';

/** The shortest start of a secret that is still masked where it stands alone (a clipped secret). */
export const SECRET_PREFIX_MIN = 8;

/**
 * Replaces every occurrence of each secret (and its URL-encoded form) in `text`,
 * and any run of at least SECRET_PREFIX_MIN characters that a secret starts with,
 * so a secret cut short by a clip or a page boundary is masked too.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short strings would blank out ordinary words; real secrets are long.
    if (secret.length < 6) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join(REDACTED);
      if (form.length >= SECRET_PREFIX_MIN) out = scrubPrefixes(out, form);
    }
  }
  return out;
}

/** Masks each run in `text` that starts with the first SECRET_PREFIX_MIN characters of `secret` and follows it. */
function scrubPrefixes(text: string, secret: string): string {
  const head = secret.slice(0, SECRET_PREFIX_MIN);
  let out = '';
  let from = 0;
  for (let at = text.indexOf(head); at !== -1; at = text.indexOf(head, from)) {
    let end = at + SECRET_PREFIX_MIN;
    while (end < text.length && end - at < secret.length && text[end] === secret[end - at]) end++;
    out += text.slice(from, at) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
}

/** Shortens provider text so a huge HTML page never ends up in a message. */
export function clip(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The error kind an HTTP status implies before any provider code is read. */
export function kindForStatus(status: number): ApiErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'rejected';
}
