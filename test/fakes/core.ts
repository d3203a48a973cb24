import type { Contract, ContractMatch, Violation } from './contract.ts';

/** A response as the fakes build it, before it becomes a fetch Response or goes on the wire. */
export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request a fake received. `path` is relative to the API root, without the query. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  /** The spec operation the request matched, when it matched one. */
  operationId?: string;
  /** The spec marks that operation deprecated, so tests can prove nothing calls it. */
  deprecated?: boolean;
}

export type MalformedKind = 'truncated-json' | 'html' | 'wrong-types' | 'missing-fields';

/** Faults are queued in the order they are added; each request uses up one unit of the oldest. */
export interface Faults {
  /** The next `count` requests answer 429 (Twilio: code 20429), with Retry-After when given. */
  rateLimit(count: number, opts?: { retryAfterSeconds?: number }): void;
  /** The next `count` requests answer `status` (default 500). */
  serverError(count: number, status?: number): void;
  /**
   * The next `count` requests are answered normally after `ms` milliseconds.
   * With `afterHandling` the request takes effect first and only the answer
   * waits, so a client that goes away meanwhile leaves it done.
   */
  slow(count: number, ms: number, opts?: { afterHandling?: boolean }): void;
  /**
   * The next `count` connections drop: in-process fetch rejects with
   * TypeError('fetch failed'); over HTTP the socket is destroyed. With
   * `afterHandling` the request takes effect (a message is created) and only
   * the response is lost, as when a connection dies mid-answer.
   */
  drop(count: number, opts?: { afterHandling?: boolean }): void;
  /** The next `count` responses come back with a broken body (see corruptBody). */
  malformed(count: number, kind: MalformedKind): void;
  /** Forgets every queued fault. */
  clear(): void;
}

type Fault =
  | { kind: 'rateLimit'; retryAfterSeconds?: number }
  | { kind: 'serverError'; status: number }
  | { kind: 'slow'; ms: number; afterHandling: boolean }
  | { kind: 'drop'; afterHandling: boolean }
  | { kind: 'malformed'; malformed: MalformedKind };

function positiveCount(name: string, count: number): number {
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`faults.${name}: count must be a positive integer, got ${count}`);
  }
  return count;
}

export class FaultQueue implements Faults {
  private queue: { fault: Fault; left: number }[] = [];

  rateLimit(count: number, opts: { retryAfterSeconds?: number } = {}): void {
    const { retryAfterSeconds } = opts;
    if (retryAfterSeconds !== undefined && !(retryAfterSeconds >= 0)) {
      throw new Error(`faults.rateLimit: retryAfterSeconds must be >= 0, got ${retryAfterSeconds}`);
    }
    this.push('rateLimit', count, { kind: 'rateLimit', retryAfterSeconds });
  }

  serverError(count: number, status = 500): void {
    if (!Number.isInteger(status) || status < 500 || status > 599) {
      throw new Error(`faults.serverError: status must be a 5xx code, got ${status}`);
    }
    this.push('serverError', count, { kind: 'serverError', status });
  }

  slow(count: number, ms: number, opts: { afterHandling?: boolean } = {}): void {
    if (!(ms >= 0)) throw new Error(`faults.slow: ms must be >= 0, got ${ms}`);
    this.push('slow', count, { kind: 'slow', ms, afterHandling: opts.afterHandling === true });
  }

  drop(count: number, opts: { afterHandling?: boolean } = {}): void {
    this.push('drop', count, { kind: 'drop', afterHandling: opts.afterHandling === true });
  }

  malformed(count: number, kind: MalformedKind): void {
    if (!['truncated-json', 'html', 'wrong-types', 'missing-fields'].includes(kind)) {
      throw new Error(`faults.malformed: unknown kind '${kind}'`);
    }
    this.push('malformed', count, { kind: 'malformed', malformed: kind });
  }

  clear(): void {
    this.queue = [];
  }

  /** Faults still queued, counting units. */
  pending(): number {
    return this.queue.reduce((n, q) => n + q.left, 0);
  }

  /** Uses up one unit of the oldest queued fault. */
  take(): Fault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.left -= 1;
    if (head.left === 0) this.queue.shift();
    return head.fault;
  }

  private push(name: string, count: number, fault: Fault): void {
    this.queue.push({ fault, left: positiveCount(name, count) });
  }
}

/** Thrown inside a fake to mean "the connection died": the caller sees a network error. */
export class DropConnection extends Error {
  constructor() {
    super('connection dropped by fault injection');
    this.name = 'DropConnection';
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Small deterministic hashing, so ids and generated history repeat run after run.

/** Finalises a 32-bit integer into a well-mixed one (murmur3's fmix32). */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers into one 32-bit integer. */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = mix32(h ^ mix32(v >>> 0) ^ mix32(Math.floor(v / 0x100000000)));
  }
  return h;
}

/** Hashes a string into a 32-bit integer (FNV-1a). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Makes Twilio-style ids (two letters and 32 hex digits), deterministic per seed. */
export class SidMaker {
  private counter = 0;
  private readonly seed: number;
  constructor(seed: string) {
    this.seed = hashString(seed);
  }
  next(prefix: string): string {
    this.counter += 1;
    const c = this.counter;
    return prefix + [1, 2, 3, 4].map((w) => hex8(hashInts(this.seed, c, w))).join('');
  }
}

/** Twilio's date format: RFC 2822 in GMT, e.g. "Tue, 04 Mar 2025 10:00:00 +0000". */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function swapTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(swapTypes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapTypes(v)]));
  }
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value;
}

function dropHalf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropHalf);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter((_, i) => i % 2 === 1)
        .map(([k, v]) => [k, dropHalf(v)]),
    );
  }
  return value;
}

/**
 * Breaks a response body the way proxies and bad deploys do:
 * 'truncated-json' cuts it in half; 'html' swaps it for an HTML error page;
 * 'wrong-types' turns every string into a number, every number into a string
 * and every boolean into "yes"/"no"; 'missing-fields' removes every other key
 * (the 1st, 3rd, ...) of every object.
 */
export function corruptBody(res: FakeResponse, kind: MalformedKind): FakeResponse {
  const headers = { ...res.headers };
  if (kind === 'html') {
    headers['content-type'] = 'text/html; charset=utf-8';
    return {
      ...res,
      headers,
      body: '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><h1>Please wait</h1></body></html>',
    };
  }
  if (kind === 'truncated-json') {
    return { ...res, body: res.body.slice(0, Math.floor(res.body.length / 2)) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    return res;
  }
  const body = JSON.stringify(kind === 'wrong-types' ? swapTypes(parsed) : dropHalf(parsed));
  return { ...res, body };
}

/** What a handler gets to work with. */
export interface HandlerContext {
  match: ContractMatch;
  /** Request path relative to the API root. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => FakeResponse;

/** An incoming request, whether it came through fetch or over HTTP. */
export interface IncomingRequest {
  method: string;
  /** Path relative to the API root. */
  path: string;
  search: string;
  headers: Record<string, string>;
  body: string;
}

/** Parses a form body; repeated keys (Twilio's MediaUrl) become arrays. */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

export function json(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): FakeResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/**
 * What the Twilio and HighLevel fakes share: request log, spec validation,
 * fault injection, and an in-process fetch.
 */
export abstract class FakeService {
  readonly violations: Violation[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly faults = new FaultQueue();
  private readonly servedBases = new Set<string>();

  protected constructor(
    protected readonly contract: Contract,
    /** The real API's origin, e.g. https://api.twilio.com. */
    readonly origin: string,
  ) {}

  /** How long openapi-backend took to load this fake's specs (shared by fakes in one process). */
  get contractInitMs(): number {
    return this.contract.initMs;
  }

  protected abstract readonly label: string;
  protected abstract readonly handlers: Record<string, Handler>;
  /** Returns an error response when the credentials are wrong, undefined when they are fine. */
  protected abstract authenticate(
    req: IncomingRequest,
    match: ContractMatch,
  ): FakeResponse | undefined;
  protected abstract errorResponse(
    status: number,
    reason: 'violation' | 'not-found' | 'method' | 'rate-limit' | 'server' | 'not-implemented',
    detail: string,
    extra?: Record<string, string>,
  ): FakeResponse;

  /** Lists how a response body breaks the spec's schema for that operation and status (empty: it fits). */
  responseErrors(operationId: string, status: number, body: unknown): string[] {
    return this.contract.validateResponse(operationId, status, body);
  }

  /** Lets fetch accept URLs under a base the fake is served at (serveFakes calls this). */
  addServedBase(base: string): void {
    this.servedBases.add(base.replace(/\/$/, ''));
  }

  removeServedBase(base: string): void {
    this.servedBases.delete(base.replace(/\/$/, ''));
  }

  /** In-process fetch: the real API's origin or a served base, never the network. */
  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const path = this.relativePath(url);
    if (path === undefined) {
      throw new TypeError(
        `fetch failed: the ${this.label} fake serves ${[this.origin, ...this.servedBases].join(', ')}, not ${url.origin}`,
      );
    }
    if (request.signal.aborted) throw request.signal.reason;
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let res: FakeResponse;
    try {
      res = await this.dispatch(
        { method: request.method, path, search: url.search, headers, body },
        request.signal,
      );
    } catch (err) {
      if (err instanceof DropConnection) throw new TypeError('fetch failed', { cause: err });
      throw err;
    }
    const empty = res.status === 204 || res.status === 304 || request.method === 'HEAD';
    return new Response(empty ? null : res.body, { status: res.status, headers: res.headers });
  }) as typeof fetch;

  private relativePath(url: URL): string | undefined {
    if (url.origin === this.origin) return url.pathname;
    for (const base of this.servedBases) {
      const b = new URL(base);
      if (url.origin === b.origin && url.pathname.startsWith(`${b.pathname}/`)) {
        return url.pathname.slice(b.pathname.length);
      }
    }
    return undefined;
  }

  /** Answers one request: validate, inject faults, authenticate, handle. Throws DropConnection to drop it. */
  async dispatch(req: IncomingRequest, signal?: AbortSignal): Promise<FakeResponse> {
    const recorded: RecordedRequest = {
      method: req.method,
      path: req.path,
      query: req.search.replace(/^\?/, ''),
    };
    this.requests.push(recorded);
    const contentType =
      (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const parseErrors: string[] = [];
    let body: unknown;
    if (req.body) {
      if (contentType === 'application/x-www-form-urlencoded') body = parseForm(req.body);
      else if (contentType === 'application/json') {
        try {
          body = JSON.parse(req.body);
        } catch {
          parseErrors.push('body is not valid JSON');
        }
      } else body = req.body;
    }
    const checked = this.contract.check({
      method: req.method,
      path: req.path,
      search: req.search,
      headers: req.headers,
      body,
      contentType: req.body ? contentType : '',
    });
    if (checked.kind === 'matched') {
      recorded.operationId = checked.match.operationId;
      if (checked.match.operation.deprecated === true) recorded.deprecated = true;
    }
    const errors = [...parseErrors, ...checked.errors];
    const record = (more: string[]) => {
      const all = [...errors, ...more];
      if (all.length) this.violations.push({ method: req.method, path: req.path, errors: all });
      return all;
    };

    const fault = this.faults.take();
    if (fault?.kind === 'drop' && !fault.afterHandling) {
      record([]);
      throw new DropConnection();
    }
    if (fault?.kind === 'slow' && !fault.afterHandling) await delay(fault.ms, signal);
    if (fault?.kind === 'rateLimit') {
      record([]);
      const extra: Record<string, string> =
        fault.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(fault.retryAfterSeconds) };
      return this.errorResponse(429, 'rate-limit', 'Too Many Requests', extra);
    }
    if (fault?.kind === 'serverError') {
      record([]);
      return this.errorResponse(fault.status, 'server', 'Internal Server Error');
    }

    let res: FakeResponse;
    if (checked.kind === 'not-found') {
      record([]);
      res = this.errorResponse(404, 'not-found', `Cannot ${req.method} ${req.path}`);
    } else if (checked.kind === 'method-not-allowed') {
      record([]);
      res = this.errorResponse(405, 'method', errors.join('; '));
    } else {
      const denied = this.authenticate(req, checked.match);
      const handler = this.handlers[checked.match.operationId];
      const missing = handler
        ? []
        : [
            `${checked.match.operationId} is in the spec but the ${this.label} fake does not implement it`,
          ];
      const all = record(missing);
      if (denied) res = denied;
      else if (errors.length) res = this.errorResponse(400, 'violation', all.join('; '));
      else if (!handler) res = this.errorResponse(501, 'not-implemented', all.join('; '));
      else {
        res = handler({
          match: checked.match,
          path: req.path,
          params: checked.match.params,
          query: new URLSearchParams(req.search),
          body,
          headers: req.headers,
        });
      }
    }
    if (fault?.kind === 'drop') throw new DropConnection();
    if (fault?.kind === 'slow' && fault.afterHandling) await delay(fault.ms, signal);
    if (fault?.kind === 'malformed') res = corruptBody(res, fault.malformed);
    return res;
  }
}
