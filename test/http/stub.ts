/**
 * Hand-written fetch stubs for the client tests: each records the requests it
 * gets and answers from a list of canned responses (or a function).
 */

export interface SeenRequest {
  url: URL;
  /** The URL exactly as the client built it, to check encoding. */
  rawUrl: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

export type Answer =
  | Response
  | Error
  | ((request: SeenRequest) => Response | Error | Promise<Response>);

export interface StubFetch {
  fetch: typeof fetch;
  requests: SeenRequest[];
}

/**
 * A fetch that answers the n-th request with `answers[n]` (the last answer
 * repeats). An `Error` answer rejects, like fetch does when the network is down.
 */
export function stubFetch(...answers: Answer[]): StubFetch {
  const requests: SeenRequest[] = [];
  const fetchStub = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const rawUrl = String(input);
    const request: SeenRequest = {
      url: new URL(rawUrl),
      rawUrl,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error('stubFetch was given no answers');
    const result = typeof answer === 'function' ? await answer(request) : answer;
    if (result instanceof Error) throw result;
    // A Response body can be read once; hand out a copy so answers can repeat.
    return result.clone();
  };
  return { fetch: fetchStub as typeof fetch, requests };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A response with a raw text body, e.g. an HTML error page or cut-off JSON. */
export function text(body: string, status = 200, contentType = 'text/html'): Response {
  return new Response(body, { status, headers: { 'content-type': contentType } });
}

/** What fetch throws when there is no network. */
export function offline(): Error {
  return new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
}

/** A sleep that returns at once and records what it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  };
}

/** Runs `fn` and returns what it threw; fails the test when it does not throw. */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** Collects every page of an async generator. */
export async function allPages<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
