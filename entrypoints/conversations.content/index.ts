export default defineContentScript({
  matches: [
    'https://app.gohighlevel.com/*',
    'https://*.gohighlevel.com/*',
    'https://*.leadconnectorhq.com/*',
    'https://*.msgsndr.com/*',
  ],
  main() {},
});
