import { defineConfig } from 'vitest/config';

// End-to-end suite: drives the built extension in real Chromium. Run with
// `npm run test:e2e`, which builds .output/chrome-mv3-e2e first.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    // One browser at a time: the machine has two cores shared with other work.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
