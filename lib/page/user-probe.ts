/**
 * Who is logged in to HighLevel. The page's own scripts know
 * (`AppUtils.Utilities.getCurrentUser()`, see
 * ../../../shared/specs/highlevel/docs/CustomJs.md), but a content script runs
 * in an isolated world and cannot call them. A tiny script in the page's main
 * world (`probeMainWorld`) asks and hands the answer over as a DOM event, which
 * the content script reads with `listenForUser`.
 *
 * The page can dispatch that same event with anything in it. The value it
 * carries chooses what to display (whose number to expect), never anything
 * that authorises an action: no permission, send or secret depends on it.
 *
 * Wiring (done in entrypoints/, not here):
 * 1. `entrypoints/user-probe.ts`:
 *    `export default defineUnlistedScript(() => probeMainWorld());`
 * 2. wxt.config.ts: add `{ resources: ['user-probe.js'], matches: <HighLevel hosts> }` to the
 *    manifest's `web_accessible_resources`.
 * 3. In the content script's `main(ctx)`: first
 *    `listenForUser(document, ctx.signal, onUser)`, then
 *    `await injectScript('/user-probe.js')`. The listener asks again on start,
 *    so the order does not matter for correctness, only for one extra event.
 * On white-label hosts registered at run time, the same file can instead be
 * registered with `scripting.registerContentScripts({ ..., world: 'MAIN' })`
 * (Chrome 111+, Firefox 128+). `probeMainWorld` is self-contained, so it also
 * works as the `func` of `scripting.executeScript({ world: 'MAIN' })`, provided
 * the bundler injects no helpers into its body (esbuild's `keepNames` does).
 */

/** Event the main-world probe dispatches on `document`; its detail is a JSON string. */
export const USER_EVENT = 'sender-lens:user';
/** Event the content script dispatches on `document` to ask the probe to send again. */
export const USER_REQUEST_EVENT = 'sender-lens:user-request';

/**
 * Main-world script: reads the current user and location from `AppUtils` and
 * dispatches them on `document` now, on every route change, and when asked.
 * Self-contained on purpose (no imports, no outer variables) so it can be
 * serialised into the page.
 */
export function probeMainWorld(): void {
  const EVENT = 'sender-lens:user';
  const REQUEST = 'sender-lens:user-request';
  const MARK = Symbol.for('sender-lens.user-probe');
  const POLL_MS = 500;
  const POLL_TRIES = 60;
  const win = window as unknown as Record<PropertyKey, unknown>;
  // An extension reload injects the probe again; one set of listeners is enough.
  if (win[MARK]) return;
  Object.defineProperty(window, MARK, { value: true });

  type Utilities = { getCurrentUser?: unknown; getCurrentLocation?: unknown };
  const text = (value: unknown, max: number): string | undefined =>
    typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  // The app may return a value or a promise; either way, never let it throw into the page.
  const call = (fn: unknown, self: unknown): Promise<unknown> => {
    try {
      return Promise.resolve(typeof fn === 'function' ? fn.call(self) : undefined);
    } catch {
      return Promise.resolve(undefined);
    }
  };

  const send = (): boolean => {
    const utils = record(record(win.AppUtils).Utilities) as Utilities;
    if (typeof utils.getCurrentUser !== 'function') return false;
    Promise.all([call(utils.getCurrentUser, utils), call(utils.getCurrentLocation, utils)])
      .then(([rawUser, rawLocation]) => {
        const user = record(rawUser);
        const id = text(user.id, 128);
        if (!id) return;
        const fullName = [user.firstName, user.lastName]
          .filter((part) => typeof part === 'string' && part)
          .join(' ');
        const pathLocation = /^\/v2\/location\/([^/]+)/.exec(window.location.pathname)?.[1];
        const detail = JSON.stringify({
          id,
          name: text(user.name, 200) ?? text(fullName, 200),
          role: text(user.role, 64),
          locationId: text(record(rawLocation).id, 128) ?? text(pathLocation, 128),
        });
        document.dispatchEvent(new CustomEvent(EVENT, { detail }));
      })
      .catch(() => {});
    return true;
  };

  window.addEventListener('routeLoaded', () => send());
  window.addEventListener('routeChangeEvent', () => send());
  document.addEventListener(REQUEST, () => send());
  // AppUtils may be defined after this script runs.
  if (!send()) {
    let tries = 0;
    const timer = setInterval(() => {
      tries += 1;
      if (send() || tries >= POLL_TRIES) clearInterval(timer);
    }, POLL_MS);
  }
}

/** The logged-in user as the page reports it. Display only: the page can forge it. */
export interface PageUser {
  id: string;
  name: string | null;
  role: string | null;
  locationId: string | null;
}

const MAX_DETAIL = 2048;
const ID = /^[A-Za-z0-9_-]{1,128}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const FIELDS: Record<keyof PageUser, (value: string) => boolean> = {
  id: (value) => ID.test(value),
  locationId: (value) => ID.test(value),
  name: (value) => value.length <= 200 && !CONTROL.test(value),
  role: (value) => value.length <= 64 && !CONTROL.test(value),
};

/** Checks a `sender-lens:user` event's detail; null for anything but the expected JSON. */
export function parseUserDetail(detail: unknown): PageUser | null {
  if (typeof detail !== 'string' || detail.length > MAX_DETAIL) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const user: PageUser = { id: '', name: null, role: null, locationId: null };
  for (const [key, value] of Object.entries(parsed)) {
    if (!Object.hasOwn(FIELDS, key)) return null;
    const field = key as keyof PageUser;
    if (typeof value !== 'string' || !FIELDS[field](value)) return null;
    user[field] = value;
  }
  return user.id ? user : null;
}

/**
 * Calls `onUser` for each valid user event on `doc` until `signal` aborts,
 * and asks the probe to send again in case it ran first.
 */
export function listenForUser(
  doc: Document,
  signal: AbortSignal,
  onUser: (user: PageUser) => void,
): void {
  if (signal.aborted) return;
  doc.addEventListener(
    USER_EVENT,
    (event) => {
      const user = parseUserDetail((event as CustomEvent<unknown>).detail);
      if (user) onUser(user);
    },
    { signal },
  );
  doc.dispatchEvent(new CustomEvent(USER_REQUEST_EVENT));
}

/** Where the current user came from: the page's probe, or the user's "I am …" choice. */
export interface CurrentUser {
  userId: string;
  source: 'page' | 'chosen';
}

/**
 * The user to show a sub-account's sends for: the page's answer when there is
 * one, else the "I am …" choice the user made for that sub-account, else null.
 */
export function pickCurrentUser(
  probed: PageUser | null,
  chosenUserId: string | null,
): CurrentUser | null {
  if (probed) return { userId: probed.id, source: 'page' };
  if (chosenUserId) return { userId: chosenUserId, source: 'chosen' };
  return null;
}
