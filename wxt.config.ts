import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { hostPermissions, isTestMode, LOOPBACK_HOSTS } from './lib/hosts';

// The build mode picks the hosts: `wxt build` (production) requests only the real HighLevel and
// Twilio hosts; `wxt build --mode e2e` / `--mode demo` also reach the fakes on 127.0.0.1.
// White-label domains are added at run time through optional host permissions, never baked in.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser, mode }) => ({
    name: 'Sender Lens for HighLevel',
    description: 'See which number an SMS will go out from, and why, before you hit send.',
    permissions: ['storage', 'alarms', 'scripting'],
    host_permissions: hostPermissions(mode),
    optional_host_permissions: ['https://*/*'],
    // Forwarded by the background to the tab's content script (lib/background/commands.ts).
    commands: {
      'open-switcher': {
        // Alt+Shift+7: Chromium 156 left Alt+Shift+N unbound (no key in commands.getAll()) but binds
        // this, and Firefox accepts digits. Neither browser nor HighLevel uses it, while the
        // alternative Ctrl+Shift+Y opens Firefox's downloads on Linux and Windows. Users change it
        // on chrome://extensions/shortcuts or in Firefox's about:addons (the options page says so).
        suggested_key: { default: 'Alt+Shift+7' },
        description: 'Open the Sender Lens number switcher',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'sender-lens@senderlens.app',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  hooks: {
    // Content scripts declare only the real HighLevel hosts; test builds must also run them on
    // the fixture pages served from 127.0.0.1.
    'build:manifestGenerated': (wxt, manifest) => {
      if (!isTestMode(wxt.config.mode)) return;
      for (const script of manifest.content_scripts ?? []) {
        script.matches = [...(script.matches ?? []), ...LOOPBACK_HOSTS];
      }
    },
  },
});
