import { defineConfig } from 'vitest/config';

/**
 * Projects by cost: unit (pure, seconds), infra (CDK synth and bundling, most of a minute),
 * integration (the local cloud) and browser (the console build, a local site and Chromium per file):
 * vitest runs a project's globalSetup only when one of its test files is selected.
 * `npm run test:unit` runs the first alone.
 */
export default defineConfig({
  test: {
    setupFiles: ['aws-sdk-client-mock-vitest/extend'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A polled condition waits on servers, files and pages that answer in seconds on a loaded 2-core
    // machine: vitest's default gives up after one second.
    expect: { poll: { timeout: 30_000 } },
    // The handlers' JSON logs are for CloudWatch and their traces for X-Ray; tests assert on behaviour.
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_TRACE_ENABLED: 'false',
    },
    projects: [
      {
        extends: true,
        // Worker threads start faster than forked processes, and unit tests share their modules
        // (no per-file isolation: a unit test injects its fakes, it mocks no module), which takes
        // the run from about 75 s to about 25 s here.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], pool: 'threads', isolate: false },
      },
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          // The slowest tests (a plan push, DynamoDB Local's restart) took up to 10 s on loaded CI runs:
          // the bound is over ten times that, and a file's setup (tables, a site seeded) gets as long.
          testTimeout: 120_000,
          hookTimeout: 120_000,
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
          // The slowest test (the finance report) took 15 to 52 s on loaded CI runs: the bound is over four
          // times the worst.
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
