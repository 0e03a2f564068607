import { defineConfig } from 'vitest/config';

/**
 * Two projects so that only integration runs pay for the local cloud: vitest runs a project's
 * globalSetup only when one of its test files is selected.
 */
export default defineConfig({
  test: {
    setupFiles: ['aws-sdk-client-mock-vitest/extend'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The handlers' JSON logs are for CloudWatch and their traces for X-Ray; tests assert on behaviour.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
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
    ],
  },
});
