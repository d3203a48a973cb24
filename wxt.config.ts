import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// Hosts where HighLevel serves its own app. White-label domains are added at
// run time through optional host permissions, never baked into the build.
export const HIGHLEVEL_HOSTS = [
  'https://app.gohighlevel.com/*',
  'https://*.gohighlevel.com/*',
  'https://*.leadconnectorhq.com/*',
  'https://*.msgsndr.com/*',
];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Sender Lens for HighLevel',
    description: 'See which number an SMS will go out from, and why, before you hit send.',
    permissions: ['storage', 'alarms', 'scripting'],
    host_permissions: [
      ...HIGHLEVEL_HOSTS,
      'https://services.leadconnectorhq.com/*',
      'https://api.twilio.com/*',
    ],
    optional_host_permissions: ['https://*/*'],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'sender-lens@senderlens.app',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
