import { HIGHLEVEL_APP_HOSTS } from '@/lib/hosts';

export default defineContentScript({
  // e2e/demo builds also match http://127.0.0.1/*; wxt.config.ts adds that to the manifest.
  matches: [...HIGHLEVEL_APP_HOSTS],
  main() {
    // Lets the e2e suite see that the script was injected; production pages get no marker.
    if (import.meta.env.MODE !== 'production')
      document.documentElement.dataset.senderLens = 'ready';
  },
});
