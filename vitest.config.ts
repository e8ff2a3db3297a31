import { defineConfig } from 'vitest/config';

// Two projects: fast Node-only unit tests (core, sync-server, extension logic) and end-to-end
// tests that drive the built extension in a real Chromium against a real server on loopback.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'sync-server/**/*.test.ts',
            'deploy/**/*.test.ts',
            'extension/**/*.test.ts',
            'test/unit/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
