import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command } from '#cli/commands/compliance.ts';
import type { ComplianceReport } from '#schedules/compliance/check.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';

const EXAMPLE = 'examples/carcassonne';
const CONFIG = `${EXAMPLE}/config.json`;
const CSV = `${EXAMPLE}/luminaires.csv`;

const compliance = (...argv: string[]) => runCommand(command, ...argv);

describe('lighting compliance', () => {
  it('exits 1 on the example, naming the rules broken with their article and what to change', async () => {
    const run = await compliance(
      '--config',
      CONFIG,
      '--inventory',
      CSV,
      '--night',
      '2026-06-21',
      '--format',
      'json',
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ComplianceReport;
    expect(report.night).toBe('2026-06-21');
    const broken = new Set(report.findings.filter((f) => f.status === 'broken').map((f) => f.rule));
    expect(broken).toEqual(
      new Set([
        'colour-temperature',
        'upward-light-installed',
        'upward-light-half',
        'heritage-off-by',
        'car-park-off',
      ]),
    );
    expect(report.findings.find((f) => f.rule === 'heritage-off-by')).toMatchObject({
      article: 'art. 2',
      zone: 'cite',
      change: expect.stringContaining('switch off by 01:00'),
    });
  });

  it('exits 0 when no rule is broken, listing the rules it could not check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lighting-compliance-'));
    const inventory = join(dir, 'one.csv');
    await writeFile(
      inventory,
      'id,lat,lon,street,zone,ledWatts,baselineWatts,usage,colourTemperatureK,upwardLightRatioPercent,installedOn\n' +
        'L-1,43.2128,2.3513,Rue de Verdun,bastide,40,115,a,3000,0,2022-03-01\n',
    );
    const config = JSON.parse(await readFile(CONFIG, 'utf8'));
    config.site.zones = { bastide: config.site.zones.bastide };
    config.calendar = [{ profile: 'residential' }];
    config.overrides = [];
    const configPath = join(dir, 'config.json');
    await writeFile(configPath, JSON.stringify(config));
    const run = await compliance('--config', configPath, '--inventory', inventory, '--night', '2026-06-21');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('flux-density (art. 3, to verify): 0 broken, 1 not checkable');
    expect(run.stdout).toMatch(/not-checkable\s+flux-density\s+art\. 3\s+zone bastide/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('0 broken, 1 not checkable');
  });

  it('exits 2 naming a bad night or format', async () => {
    const run = await compliance(
      '--config',
      CONFIG,
      '--inventory',
      CSV,
      '--night',
      '2026-02-30',
      '--format',
      'xml',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lighting compliance: --night: not a calendar date');
    expect(run.stderr).toContain('lighting compliance: --format:');
  });

  it('exits 1 naming the file of a bad inventory', async () => {
    const run = await compliance('--config', CONFIG, '--inventory', `${EXAMPLE}/missing.csv`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${EXAMPLE}/missing.csv`);
  });
});
