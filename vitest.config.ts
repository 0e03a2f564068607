import { defineConfig } from 'vitest/config';

/**
 * Three projects so that only integration and browser runs pay for the local cloud (and the
 * browser runs for the console build): vitest runs a project's globalSetup only when one of its
 * test files is selected.
 */
export default defineConfig({
  test: {
    setupFiles: ['aws-sdk-client-mock-vitest/extend'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The handlers' JSON logs are for CloudWatch; tests assert on behaviour, not on log lines.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/infra/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          // Builds the console once if stale; each file then starts its own local site and Chromium.
          globalSetup: ['tests/browser/global-setup.ts'],
          // A site and a browser per file: one file at a time on a 2-core machine.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
