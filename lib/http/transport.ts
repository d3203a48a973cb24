/**
 * The one place both REST clients go through fetch: time limits, cancelling,
 * retries with backoff, and turning every failure (no network, HTML instead
 * of JSON, 401, 5xx…) into an `ApiError` that says what to do. Provider
 * specifics (error codes, wording) come in through `ProviderRules`.
 */

import { ShapeError } from './check';
import { ApiError, type ApiErrorInit, clip, type Provider, scrub } from './errors';
import { backoffDelay, DEFAULT_BACKOFF, parseRetryAfter } from './retry';

/** Options both clients accept; tests use them to point at fakes and run fast. */
export interface HttpOptions {
  /** Defaults to the provider's real host. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Waits between retries; tests pass one that records and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1), for jitter. */
  random?: () => number;
  /** Retries after the first attempt; default 3. */
  maxRetries?: number;
  /** Cancels every request of this client. */
  signal?: AbortSignal;
  /** Time limit for one attempt, in ms; default 30 s. */
  timeoutMs?: number;
  /** A longer `Retry-After` than this is not waited out but thrown; default 60 s. */
  maxRetryAfterMs?: number;
}

/** What a provider's error body and status mean, in that provider's terms. */
export interface FailureContext {
  operation: string;
  status: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  /** The body text, clipped, for a provider message when not JSON. */
  bodyText: string;
  retryAfterMs?: number;
  /** Attempts made so far, including this one. */
  attempts: number;
  /** What access the request needs, e.g. `the contacts.readonly scope`. */
  needs?: string;
}

export type FailureDescription = Pick<
  ApiErrorInit,
  'kind' | 'message' | 'retryable' | 'code' | 'providerMessage' | 'moreInfo'
>;

export interface ProviderRules {
  provider: Provider;
  /** The name users know, e.g. `Twilio`. */
  label: string;
  /** Strings never to be shown anywhere (tokens, secrets). */
  secrets: readonly string[];
  describeFailure(context: FailureContext): FailureDescription;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Said in messages: `list messages` → "while trying to list messages". */
  operation: string;
  /** Safe to repeat after a server error or a lost connection. */
  idempotent: boolean;
  /** What access the request needs, for the message when it is refused. */
  needs?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Stopped extends Error {
  constructor(readonly why: 'timeout' | 'aborted') {
    super(why);
  }
}

/** Sends requests for one client and returns parsed JSON bodies. */
export class Transport {
  readonly baseUrl: URL;
  readonly #rules: ProviderRules;
  readonly #fetch: typeof fetch | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #maxRetries: number;
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  readonly #maxRetryAfterMs: number;

  constructor(options: HttpOptions, rules: ProviderRules, defaultBaseUrl: string) {
    this.#rules = rules;
    const base = options.baseUrl ?? defaultBaseUrl;
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new TypeError(`baseUrl: "${base}" is not an absolute URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError(`baseUrl: "${base}" must be an http(s) URL`);
    }
    this.baseUrl = url;
    this.#fetch = options.fetch;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#maxRetries = nonNegativeInteger(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries');
    this.#signal = options.signal;
    this.#timeoutMs = nonNegativeInteger(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.#maxRetryAfterMs = nonNegativeInteger(
      options.maxRetryAfterMs,
      DEFAULT_MAX_RETRY_AFTER_MS,
      'maxRetryAfterMs',
    );
  }

  /** Resolves a path (with query) against the base URL, keeping any path the base has. */
  url(pathAndQuery: string): URL {
    // A base with a path (the fakes served under /twilio) prefixes API paths
    // instead of being replaced by them, Twilio's next_page_uri included.
    const prefix = this.baseUrl.pathname.replace(/\/+$/, '');
    if (prefix === '' || !pathAndQuery.startsWith('/')) return new URL(pathAndQuery, this.baseUrl);
    return new URL(`${prefix}${pathAndQuery}`, this.baseUrl.origin);
  }

  /** Sends the request, retrying where that is safe, and returns the JSON body. */
  async json(spec: RequestSpec): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(spec, attempt + 1);
      if (outcome.ok) return outcome.body;
      const error = outcome.error;
      if (attempt >= this.#maxRetries || !this.#shouldRetry(error, spec)) throw error;
      await this.#wait(
        backoffDelay(attempt, this.#random, DEFAULT_BACKOFF, error.retryAfterMs),
        spec,
      );
    }
  }

  /** Builds an `ApiError` for a body that does not match the specification. */
  malformed(operation: string, problem: ShapeError | string): ApiError {
    const detail = typeof problem === 'string' ? problem : `${problem.path} ${problem.problem}`;
    const label = this.#rules.label;
    return this.#error({
      kind: 'malformed',
      operation,
      retryable: false,
      message: `${label} sent an answer Sender Lens cannot read while trying to ${operation}: ${detail}. Try again later; if it keeps happening, ${label}'s API may have changed, so please report it.`,
    });
  }

  /** Runs `read` over a body and turns a `ShapeError` into a malformed `ApiError`. */
  read<T>(operation: string, body: unknown, read: (body: unknown) => T): T {
    try {
      return read(body);
    } catch (e) {
      if (e instanceof ShapeError) throw this.malformed(operation, e);
      throw e;
    }
  }

  #shouldRetry(error: ApiError, spec: RequestSpec): boolean {
    switch (error.kind) {
      case 'rate-limited':
        // A 429 means the request was turned away before any work, so even a
        // send is safe to repeat; a wait longer than we allow goes to the caller.
        return (error.retryAfterMs ?? 0) <= this.#maxRetryAfterMs;
      case 'server':
      case 'network':
      case 'timeout':
        // A send may have gone through before the failure; repeating it could
        // text the contact twice, so only reads are repeated here.
        return spec.idempotent && error.retryable;
      default:
        return false;
    }
  }

  async #attempt(
    spec: RequestSpec,
    attempts: number,
  ): Promise<{ ok: true; body: unknown } | { ok: false; error: ApiError }> {
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      ({ status, text, retryAfter } = await this.#send(spec));
    } catch (e) {
      if (e instanceof ApiError) throw e;
      return { ok: false, error: this.#transportError(spec, e) };
    }

    const parsed = parseJson(text);
    if (status >= 200 && status < 300) {
      if (parsed.ok) return { ok: true, body: parsed.value };
      throw this.#unreadable(spec.operation, text);
    }
    const retryAfterMs = parseRetryAfter(retryAfter);
    const described = this.#rules.describeFailure({
      operation: spec.operation,
      status,
      body: parsed.ok ? parsed.value : undefined,
      // Scrubbed before it is clipped: a clip can cut a secret to a part scrub() would miss.
      bodyText: clip(scrub(text, this.#rules.secrets)),
      attempts,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(spec.needs === undefined ? {} : { needs: spec.needs }),
    });
    return {
      ok: false,
      error: this.#error({
        ...described,
        operation: spec.operation,
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      }),
    };
  }

  async #send(
    spec: RequestSpec,
  ): Promise<{ status: number; text: string; retryAfter: string | null }> {
    const callerSignal = this.#signal;
    if (callerSignal?.aborted) throw this.#aborted(spec.operation);

    const controller = new AbortController();
    let why: 'timeout' | 'aborted' | undefined;
    const onAbort = () => {
      why ??= 'aborted';
      controller.abort();
    };
    callerSignal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      why ??= 'timeout';
      controller.abort();
    }, this.#timeoutMs);

    const fetchImpl = this.#fetch ?? globalThis.fetch;
    const work = (async () => {
      const init: RequestInit = {
        method: spec.method,
        headers: spec.headers,
        signal: controller.signal,
      };
      if (spec.body !== undefined) init.body = spec.body;
      const res = await fetchImpl(spec.url.toString(), init);
      const text = await res.text();
      return { status: res.status, text, retryAfter: res.headers.get('retry-after') };
    })();
    // Some fetch implementations ignore the signal; racing makes the limit hold anyway.
    let onStopped: () => void = () => {};
    const stopped = new Promise<never>((_, reject) => {
      onStopped = () => reject(new Stopped(why ?? 'aborted'));
      controller.signal.addEventListener('abort', onStopped, { once: true });
    });
    work.catch(() => {});
    stopped.catch(() => {});
    try {
      return await Promise.race([work, stopped]);
    } catch (e) {
      if (why === 'aborted') throw this.#aborted(spec.operation);
      if (why === 'timeout') throw new Stopped('timeout');
      throw e;
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
      // A listener left on the signal keeps `stopped`, and through the race
      // the whole response text, alive for as long as the signal lives
      // (seen in Node's fetch: about 2 MB a page of 1,000 messages).
      controller.signal.removeEventListener('abort', onStopped);
    }
  }

  async #wait(ms: number, spec: RequestSpec): Promise<void> {
    const signal = this.#signal;
    if (signal === undefined) return this.#sleep(ms);
    if (signal.aborted) throw this.#aborted(spec.operation);
    let onAbort: () => void = () => {};
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => reject(this.#aborted(spec.operation));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.#sleep(ms), stopped]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #transportError(spec: RequestSpec, e: unknown): ApiError {
    const label = this.#rules.label;
    if (e instanceof Stopped && e.why === 'timeout') {
      return this.#error({
        kind: 'timeout',
        operation: spec.operation,
        retryable: true,
        message: `${label} did not answer within ${Math.round(this.#timeoutMs / 1000)} s while trying to ${spec.operation}. Try again in a minute; if it keeps happening, check ${label}'s status page.`,
      });
    }
    return this.#error({
      kind: 'network',
      operation: spec.operation,
      retryable: true,
      providerMessage: clip(scrub(networkReason(e), this.#rules.secrets)),
      message: `Could not reach ${label} (${this.baseUrl.host}) to ${spec.operation}. Check the internet connection (and any firewall or VPN); Sender Lens will try again.`,
    });
  }

  #aborted(operation: string): ApiError {
    return this.#error({
      kind: 'aborted',
      operation,
      retryable: false,
      message: `Stopped before ${this.#rules.label} answered: the request to ${operation} was cancelled.`,
    });
  }

  #unreadable(operation: string, text: string): ApiError {
    const trimmed = text.trimStart();
    let detail: string;
    if (trimmed === '') detail = 'the body was empty';
    else if (trimmed.startsWith('<')) {
      // An HTML page on a success status usually comes from a proxy or a
      // captive portal between the browser and the provider.
      detail = 'it sent an HTML page instead of JSON (a proxy, captive portal or outage page?)';
    } else {
      detail = 'the JSON was cut off or invalid';
    }
    const label = this.#rules.label;
    return this.#error({
      kind: 'malformed',
      operation,
      // Cut-off bodies and interposed pages are usually passing trouble.
      retryable: true,
      message: `${label} sent an answer Sender Lens cannot read while trying to ${operation}: ${detail}. Try again in a minute; if it keeps happening, please report it.`,
    });
  }

  #error(init: Omit<ApiErrorInit, 'provider'>): ApiError {
    const secrets = this.#rules.secrets;
    const clean = (s: string | undefined) => (s === undefined ? undefined : scrub(s, secrets));
    const out: ApiErrorInit = {
      ...init,
      provider: this.#rules.provider,
      message: scrub(init.message, secrets),
      operation: scrub(init.operation, secrets),
    };
    const providerMessage = clean(init.providerMessage);
    if (providerMessage !== undefined) out.providerMessage = providerMessage;
    const moreInfo = clean(init.moreInfo);
    if (moreInfo !== undefined) out.moreInfo = moreInfo;
    return new ApiError(out);
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function networkReason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: unknown }).cause;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  return code === undefined ? e.message : `${e.message} (${code})`;
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name}: expected a whole number of 0 or more, got ${value}`);
  }
  return value;
}
