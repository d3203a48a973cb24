// Where the builds, the fixtures' outputs and the screenshots live, from the repo root.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root, so paths work whatever directory a test, bench or the demo was started from. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where `npm run build:e2e` puts the Chrome build that the e2e suite and the benches load. */
export const E2E_EXTENSION_DIR = join(ROOT, '.output/chrome-mv3-e2e');

/** Where `wxt build --mode demo` puts the Chrome build the demo loads. */
export const DEMO_EXTENSION_DIR = join(ROOT, '.output/chrome-mv3-demo');

/** Where `wxt build` puts the production Chrome build (bench:page weighs its scripts). */
export const PRODUCTION_EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');

/** Screenshots of the e2e suite land here; the folder is gitignored. */
export const ARTIFACTS_DIR = join(ROOT, 'artifacts/e2e');
