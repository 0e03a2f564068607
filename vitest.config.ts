import { defineConfig } from 'vitest/config';

/**
 * Projects by cost: unit (pure, seconds), infra (CDK synth and bundling, most of a minute) and
 * integration (the local cloud: vitest runs a project's globalSetup only when one of its test files
 * is selected). `npm run test:unit` runs the first alone.
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
        // Worker threads start faster than forked processes: a third less CPU for the unit run.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], pool: 'threads' },
      },
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'] } },
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
