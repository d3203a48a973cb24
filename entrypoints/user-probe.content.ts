import { HIGHLEVEL_APP_HOSTS } from '@/lib/hosts';
import { probeMainWorld } from '@/lib/page/user-probe';

// Runs in the page's main world, where the app's AppUtils can be called, and hands the
// logged-in user to the isolated content script by a DOM event (see lib/page/user-probe.ts).
// A world: 'MAIN' content script rather than an injected <script>: no web-accessible resource
// that any site could probe for, no script tag subject to the page's CSP, and the same
// registration (scripting.registerContentScripts with world: 'MAIN') serves white-label domains.
export default defineContentScript({
  matches: [...HIGHLEVEL_APP_HOSTS],
  world: 'MAIN',
  main() {
    probeMainWorld();
  },
});
