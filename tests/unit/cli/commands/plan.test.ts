import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { command } from '#cli/commands/plan.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';
import { halfHourlyProfile } from '#tests/support/schedules/fixtures.ts';

const EXAMPLE = 'examples/carcassonne';
const CONFIG = `${EXAMPLE}/config.json`;
const GEOJSON = `${EXAMPLE}/luminaires.geojson`;
const CSV = `${EXAMPLE}/luminaires.csv`;
const INVENTORY_SIZE = 2823;

interface PlanOutput {
  night: string;
  timezone: string;
  luminaires: {
    id: string;
    profile: string | null;
    on: string | null;
    off: string | null;
    transitions: { at: string; level: number }[];
    energyWh: number;
    baselineWh: number;
  }[];
}

/** Runs `lighting plan` on the example config for a night. */
function planExample(inventory: string, night: string, ...more: string[]) {
  return plan('--config', CONFIG, '--inventory', inventory, '--night', night, ...more);
}

/** Runs `lighting plan` in-process, capturing what it writes. */
const plan = (...argv: string[]) => runCommand(command, ...argv);

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

function expectWellFormedPlan(output: PlanOutput): void {
  for (const luminaire of output.luminaires) {
    const { on, off, transitions } = luminaire;
    if (on === null) {
      expect(off).toBeNull();
      expect(transitions).toEqual([]);
      continue;
    }
    const instants = transitions.map((t) => Date.parse(t.at));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(transitions[0]?.at).toBe(on);
    expect(transitions.at(-1)).toEqual({ at: off, level: 0 });
    transitions.slice(1).forEach((t, i) => {
      expect(t.level).not.toBe(transitions[i]?.level);
    });
    for (const t of transitions) expect(t.at).toMatch(ISO_SECONDS);
    expect(Math.round(luminaire.energyWh * 10) / 10).toBe(luminaire.energyWh);
    expect(Math.round(luminaire.baselineWh * 10) / 10).toBe(luminaire.baselineWh);
  }
}

describe('lighting plan on the Carcassonne example', () => {
  let summer: PlanOutput;
  beforeAll(async () => {
    const run = await planExample(GEOJSON, '2026-06-21');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    summer = JSON.parse(run.stdout) as PlanOutput;
  });

  it('plans every luminaire of the midsummer night with the site offset +02:00', () => {
    expect(summer.night).toBe('2026-06-21');
    expect(summer.timezone).toBe('Europe/Paris');
    expect(summer.luminaires).toHaveLength(INVENTORY_SIZE);
    expectWellFormedPlan(summer);
    const times = summer.luminaires.flatMap((l) => l.transitions.map((t) => t.at));
    expect(times.every((at) => at.endsWith('+02:00'))).toBe(true);
  });

  it('lights every luminaire from sunset, until sunrise or, in parks, until 01:00', () => {
    for (const l of summer.luminaires) {
      expect(l.on?.slice(0, 13)).toMatch(/^2026-06-21T2[01]$/);
      if (l.profile === 'park') expect(l.off).toBe('2026-06-22T01:00:00+02:00');
      else expect(l.off?.slice(0, 13)).toMatch(/^2026-06-22T0[56]$/);
    }
  });

  it('applies the calendar: extinction in the villages, dimming on main roads, 60 % in the Cité after 01:00', () => {
    const byId = new Map(summer.luminaires.map((l) => [l.id, l]));
    const cite = byId.get('L-0001');
    expect(cite?.profile).toBe('cite-heritage');
    expect(cite?.transitions.map((t) => t.level)).toEqual([100, 60, 0]);
    expect(cite?.transitions[1]?.at).toBe('2026-06-22T01:00:00+02:00');
    const profiles = new Set(summer.luminaires.map((l) => l.profile));
    expect(profiles).toEqual(
      new Set(['cite-heritage', 'residential', 'main-road', 'park', 'village-extinction']),
    );
    for (const l of summer.luminaires.filter((x) => x.profile === 'village-extinction')) {
      expect(l.transitions.map((t) => [t.at.slice(11, 19), t.level]).slice(1, 3)).toEqual([
        ['23:00:00', 0],
        ['05:30:00', 100],
      ]);
    }
  });

  it('plans less energy than the pre-LED baseline for every luminaire', () => {
    for (const l of summer.luminaires) expect(l.energyWh).toBeLessThan(l.baselineWh);
  });

  it('gives the same plan from the CSV and the GeoJSON inventory', async () => {
    const run = await planExample(CSV, '2026-06-21');
    expect(JSON.parse(run.stdout)).toEqual(summer);
  });

  it('uses +01:00 in winter and shows only the luminaires asked for', async () => {
    const run = await planExample(CSV, '2026-12-18', '--id', 'L-0700', '--id', 'L-0001');
    const winter = JSON.parse(run.stdout) as PlanOutput;
    expect(winter.luminaires.map((l) => l.id)).toEqual(['L-0001', 'L-0700']);
    expectWellFormedPlan(winter);
    expect(winter.luminaires.flatMap((l) => l.transitions.map((t) => t.at.slice(-6)))).toSatisfy(
      (offsets: string[]) => offsets.every((o) => o === '+01:00'),
    );
  });

  it('changes offset inside the night the clocks go back (24-25 October 2026)', async () => {
    const run = await planExample(GEOJSON, '2026-10-24', '--id', 'L-0001');
    const [cite] = (JSON.parse(run.stdout) as PlanOutput).luminaires;
    expect(cite?.on).toMatch(/^2026-10-24T18:\d{2}:\d{2}\+02:00$/);
    expect(cite?.transitions[1]).toEqual({ at: '2026-10-25T01:00:00+02:00', level: 60 });
    expect(cite?.off).toMatch(/^2026-10-25T07:\d{2}:\d{2}\+01:00$/);
  });

  it('prints one table row per luminaire', async () => {
    const run = await planExample(GEOJSON, '2026-06-21', '--format', 'table');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('night 2026-06-21 (Europe/Paris), times local');
    expect(lines[1]).toMatch(/^id\s+zone\s+street\s+profile\s+on\s+off\s+levels\s+energy Wh\s+baseline Wh$/);
    expect(lines.slice(2, -1)).toHaveLength(INVENTORY_SIZE);
    expect(lines[2]).toMatch(
      /^L-0001\s+cite\s+Porte Narbonnaise\s+cite-heritage\s+21:\d\d\s+06:\d\d\s+21:\d\d 100, 01:00 60, 06:\d\d 0\s+\d+\.\d\s+\d+\.\d$/,
    );
    expect(lines.at(-1)).toMatch(
      /^2823 of 2823 luminaires lit; [\d.]+ kWh planned, [\d.]+ kWh baseline \(\d+ % saved\)$/,
    );
  });
});

describe('lighting plan where the sun does not set', () => {
  it('prints a luminaire not lit that night with null on, off and profile and no transitions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lighting-plan-'));
    const inventory = join(dir, 'tromso.csv');
    await writeFile(
      inventory,
      'id,lat,lon,street,zone,ledWatts,baselineWatts\nN-1,69.6496,18.956,Storgata,nord,40,115\n',
    );
    const run = await planExample(inventory, '2026-06-21');
    expect(JSON.parse(run.stdout)).toMatchObject({
      totals: { luminaires: 1, lit: 0, baselineWh: 0 },
      luminaires: [{ id: 'N-1', profile: null, on: null, off: null, transitions: [] }],
    });
  });
});

describe('lighting plan with bad input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lighting-plan-'));
    const config = JSON.parse(await readFile(CONFIG, 'utf8'));
    config.calendar.push({ profile: 'fireworks', zones: ['cite'], dates: ['2026-07-14'], priority: 70 });
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    await writeFile(
      join(dir, 'luminaires.csv'),
      [
        'id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel',
        'L-1,43.2066,2.3656,Rue Cros-Mayrevieille,cite,30,115,0',
        'L-2,95,2.3656,Rue Cros-Mayrevieille,cite,30,115,0',
        'L-1,43.2067,2.3645,Rue Cros-Mayrevieille,cite,30,115,0',
      ].join('\n'),
    );
  });

  it('exits 1 with one line per problem naming the file, the place and the field', async () => {
    const configPath = join(dir, 'config.json');
    const inventoryPath = join(dir, 'luminaires.csv');
    const run = await plan('--config', configPath, '--inventory', inventoryPath, '--night', '2026-06-21');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^${configPath}: calendar\\[9\\]\\.profile: unknown profile "fireworks"`),
      ),
      `${inventoryPath}: row 3, column lat: latitude must be -90..90`,
      `${inventoryPath}: row 4, column id: duplicate id "L-1" (also at row 2)`,
    ]);
  });

  it('exits 1 on a config whose plans would not fit a controller, naming the profile and what fits', async () => {
    const config = JSON.parse(await readFile(CONFIG, 'utf8'));
    config.profiles.dense = halfHourlyProfile(26);
    const configPath = join(dir, 'dense.json');
    await writeFile(configPath, JSON.stringify(config));
    const run = await plan('--config', configPath, '--inventory', CSV, '--night', '2026-06-21');
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${configPath}: profiles.dense.steps: profile "dense": 26 steps × 8 nights encode up to 448 numbers, ` +
        'the controller takes 400: at most 23 steps at 8 nights, or planNights ≤ 7',
    ]);
  });

  it('exits 1 naming a luminaire id that is not in the inventory', async () => {
    const run = await planExample(CSV, '2026-06-21', '--id', 'L-9999');
    expect(run).toEqual({ code: 1, stdout: '', stderr: `${CSV}: no luminaire with id "L-9999"\n` });
  });

  it('exits 1 naming a file that cannot be read or whose format is unknown', async () => {
    const run = await plan(
      '--config',
      join(dir, 'missing.json'),
      '--inventory',
      'inventory.xlsx',
      '--night',
      '2026-06-21',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `${join(dir, 'missing.json')}: cannot read: no such file\n` +
        'inventory.xlsx: unknown inventory format (expected .geojson, .json, .csv)\n',
    );
  });

  it('exits 2 naming each bad or missing flag', async () => {
    const run = await plan('--inventory', CSV, '--night', '2026-02-30', '--format', 'xml');
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('lighting plan: '))).toEqual([
      'lighting plan: --config: required: the site config file (JSON)',
      'lighting plan: --night: not a calendar date',
      'lighting plan: --format: Invalid option: expected one of "json"|"table"',
    ]);
  });
});

describe('the lighting bin', () => {
  it('runs `lighting plan` as a process and sets its exit code', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, [
      'bin/lighting.mjs',
      'plan',
      '--config',
      CONFIG,
      '--inventory',
      GEOJSON,
      '--night',
      '2026-06-21',
      '--id',
      'L-0001',
    ]);
    expect((JSON.parse(ok.stdout) as PlanOutput).luminaires.map((l) => l.id)).toEqual(['L-0001']);
    await expect(
      run(process.execPath, ['bin/lighting.mjs', 'plan', '--night', 'tomorrow']),
    ).rejects.toMatchObject({
      code: 2,
    });
  });
});
