import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const biome = join(root, 'node_modules/.bin/biome');

// Probes are linted in a scratch directory holding the project's biome.json, so a `biome check .`
// or a test walking the tree at the same time never meets them.
let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'boundaries-'));
  copyFileSync(join(root, 'biome.json'), join(scratch, 'biome.json'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface BiomeReport {
  diagnostics: { category: string; location: { path: string; start: { line: number } } }[];
}

/**
 * Writes one probe file per entry (one import a line), lints them all in one Biome run and answers,
 * per file, the specifiers Biome rejects as restricted imports.
 */
function restrictedImports(probes: Record<string, readonly string[]>): Record<string, string[]> {
  for (const [file, specifiers] of Object.entries(probes)) {
    const imports = specifiers.map((specifier, i) => `import * as m${i} from '${specifier}';`);
    const uses = `export const all = [${specifiers.map((_, i) => `m${i}`).join(', ')}];`;
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), `${[...imports, uses].join('\n')}\n`);
  }
  const run = spawnSync(
    biome,
    ['lint', '--vcs-enabled=false', '--reporter=json', '--max-diagnostics=none', ...Object.keys(probes)],
    { cwd: scratch, encoding: 'utf8' },
  );
  const report = JSON.parse(run.stdout) as BiomeReport;
  const found: Record<string, string[]> = Object.fromEntries(Object.keys(probes).map((file) => [file, []]));
  for (const { category, location } of report.diagnostics) {
    const specifier = probes[location.path]?.[location.start.line - 1];
    if (category === 'lint/style/noRestrictedImports' && specifier !== undefined) {
      found[location.path]?.push(specifier);
    }
  }
  return found;
}

describe('layer boundaries enforced by biome.json', () => {
  it('schedules/ and protocol/ import no AWS SDK, CDK, Lambda types or Powertools', () => {
    const aws = [
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb/dist-types/index.js',
      'aws-cdk-lib',
      'aws-cdk-lib/aws-iam',
      'aws-lambda',
      '@aws-lambda-powertools/logger',
    ];
    const probes = { 'schedules/plan/probe.ts': aws, 'protocol/probe.ts': aws };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('schedules/ and protocol/ do no file, network or process I/O', () => {
    const io = ['node:fs', 'fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process'];
    const probes = { 'schedules/time/probe.ts': io, 'protocol/probe.ts': io };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('schedules/ and protocol/ import none of the shells around them', () => {
    const probes = {
      'schedules/plan/probe.ts': [
        '../../functions/shared/errors.ts',
        '../../infra/names.ts',
        '../../local-cloud/iot.ts',
        '../../local-runtime/site.ts',
        '../../cli/main.ts',
        '../../device-sim/fleet.ts',
      ],
      'protocol/probe.ts': ['../functions/shared/errors.ts', '../infra/names.ts', '../device-sim/fleet.ts'],
    };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('schedules/ and protocol/ import none of the shells through the #folder aliases either', () => {
    const shells = [
      '#functions/shared/errors.ts',
      '#infra/names.ts',
      '#local-cloud/iot.ts',
      '#local-runtime/site.ts',
      '#cli/main.ts',
      '#device-sim/fleet.ts',
    ];
    const probes = { 'schedules/plan/probe.ts': shells, 'protocol/probe.ts': shells };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('device-sim/ and local-cloud/ import neither the handlers nor the stack', () => {
    const probes = {
      'device-sim/probe.ts': ['../functions/telemetry/ledger.handler.ts', '../infra/names.ts'],
      'local-cloud/iot/probe.ts': ['../../functions/shared/errors.ts', '../../infra/stateless-stack.ts'],
    };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('device-sim/ and local-cloud/ import neither the handlers nor the stack through the #folder aliases', () => {
    const aliased = ['#functions/telemetry/handler.ts', '#infra/names.ts'];
    const probes = { 'device-sim/probe.ts': aliased, 'local-cloud/iot/probe.ts': aliased };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('functions/ imports neither the stack nor the local stand-ins', () => {
    const probes = {
      'functions/api/probe.ts': [
        '../../infra/names.ts',
        '../../local-cloud/iot.ts',
        '../../local-runtime/site.ts',
      ],
    };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('console/ imports neither the handlers, the stack, the local stand-ins, the CLI nor Node.js', () => {
    const probes = {
      'console/src/pages/probe.ts': [
        '../../../functions/api/problem.ts',
        '../../../infra/names.ts',
        '../../../local-runtime/http-gateway.ts',
        '../../../cli/main.ts',
        '../../../device-sim/fleet.ts',
        'node:fs',
        '@aws-sdk/client-dynamodb',
        '#functions/api/problem.ts',
        '#infra/names.ts',
        '#local-runtime/http-gateway.ts',
        '#cli/main.ts',
      ],
    };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('functions/ imports neither the stack nor the local stand-ins through the #folder aliases', () => {
    const probes = {
      'functions/api/probe.ts': ['#infra/names.ts', '#local-cloud/iot.ts', '#local-runtime/site.ts'],
    };
    expect(restrictedImports(probes)).toEqual(probes);
  });

  it('lets each layer import what it may, including files whose names look like a forbidden folder', () => {
    expect(
      restrictedImports({
        'schedules/plan/probe.ts': [
          '../time/local-date.ts',
          '../../protocol/plan-codec.ts',
          '#protocol/plan-codec.ts',
          '#schedules/time/local-date.ts',
          'zod',
          'node:crypto',
          'suncalc',
        ],
        'device-sim/probe.ts': [
          '../protocol/topics.ts',
          '../schedules/index.ts',
          '#protocol/topics.ts',
          'mqtt',
        ],
        'functions/api/probe.ts': [
          '../../schedules/index.ts',
          '#schedules/index.ts',
          '../shared/errors.ts',
          '@aws-sdk/client-dynamodb',
        ],
        'console/src/pages/probe.ts': [
          '../../../schedules/index.ts',
          '../../../protocol/principal.ts',
          '../api/client.ts',
          'preact',
          'maplibre-gl',
        ],
      }),
    ).toEqual({
      'schedules/plan/probe.ts': [],
      'device-sim/probe.ts': [],
      'functions/api/probe.ts': [],
      'console/src/pages/probe.ts': [],
    });
  });
});
