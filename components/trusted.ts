/**
 * The CRM page's scripts can dispatch events on anything they reach (a
 * synthetic `click()` on a switcher option would send a pick); the browser
 * marks only the events a person caused as trusted. Every handler of the
 * extension's injected controls goes through `trusted`.
 */

/** `handler`, run only for events the browser marks as caused by the user. */
export function trusted<E extends Event>(handler: (event: E) => void): (event: E) => void {
  return (event) => {
    if (event.isTrusted === true) handler(event);
  };
}
