// Single source for the hosts the extension touches, shared by wxt.config.ts (manifest) and the
// content script (its `matches`). Loopback hosts are added to the manifest by wxt.config.ts in
// test modes only, so production bundles never carry them.

/** Hosts where HighLevel serves its own app; white-label domains are granted at run time. */
export const HIGHLEVEL_APP_HOSTS: readonly string[] = [
  'https://app.gohighlevel.com/*',
  'https://*.gohighlevel.com/*',
  'https://*.leadconnectorhq.com/*',
  'https://*.msgsndr.com/*',
];

/** APIs the background calls: HighLevel API v2 and Twilio. */
export const API_HOSTS: readonly string[] = [
  'https://services.leadconnectorhq.com/*',
  'https://api.twilio.com/*',
];

/** Loopback origin where the e2e and demo builds find the fake APIs and fixture pages. */
export const LOOPBACK_HOSTS: readonly string[] = ['http://127.0.0.1/*'];

/** Build modes that talk to local fakes instead of the real services. */
export const TEST_MODES: readonly string[] = ['e2e', 'demo'];

/** True when a build mode may reach the loopback fakes; production and development never do. */
export function isTestMode(mode: string | undefined): boolean {
  return mode !== undefined && TEST_MODES.includes(mode);
}

/** Host permissions the manifest requests up front for a build mode. */
export function hostPermissions(mode: string | undefined): string[] {
  const hosts = [...HIGHLEVEL_APP_HOSTS, ...API_HOSTS];
  return isTestMode(mode) ? [...hosts, ...LOOPBACK_HOSTS] : hosts;
}
