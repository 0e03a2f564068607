import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '#cli/load-site.ts';
import { circuitsOf, planNight } from '#schedules/index.ts';
import { cabinetsCsv, hasOwnController, toCsv } from '#schedules/inventory/index.ts';

const NIGHT = '2026-06-21';
const STREETS = new Set(['Rue de la Mairie', 'Rue des Écoles']);
const EXAMPLE = 'examples/carcassonne';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Where it wrote its report and its data. */
  readonly dir: string;
}

/** The same night at two speeds: the report must not depend on how fast the simulated clock ran. */
const SPEEDS = [3600, 900] as const;

let dir: string;
let run: Run;
let slower: Run;

function startNights(speed: number, into: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        'bin/lighting.mjs',
        'start',
        ...['--nights', '1', '--speed', String(speed), '--from', NIGHT, '--api-port', '0'],
        ...['--inventory', join(dir, 'luminaires.csv'), '--sensors', join(dir, 'sensors.json')],
        ...['--data-dir', join(into, 'data'), '--out', join(into, 'out')],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A run that hangs is stopped with what it printed, so the failure says where it stood.
    const limit = setTimeout(() => {
      stderr += `\nstill running after ${RUN_LIMIT_MS / 1000} s: stopped by the test\n`;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    }, RUN_LIMIT_MS);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, dir: into });
    });
  });
}

/** Far above a run's few minutes on a loaded machine, and twice of it still within the hook's timeout. */
const RUN_LIMIT_MS = 400_000;

const whatItPrinted = (r: Run) => `${r.stdout.slice(-4_000)}\n${r.stderr.slice(-4_000)}`;

/**
 * The README's main job end to end, on a village's two streets: `lighting start --nights 1` runs
 * the local cloud, the handlers and device-sim luminaires through one simulated night, then writes
 * the savings report the luminaires' own meters fed.
 */
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lighting-start-'));
  const site = await loadSite(`${EXAMPLE}/config.json`, `${EXAMPLE}/luminaires.csv`);
  if (!site.ok) throw new Error('example site does not load');
  await writeFile(
    join(dir, 'luminaires.csv'),
    // Luminaires with their own controller: the report reads their meters.
    toCsv(site.value.luminaires.filter((l) => STREETS.has(l.street) && hasOwnController(l))),
  );
  await writeFile(join(dir, 'cabinets.csv'), cabinetsCsv(site.value.cabinets));
  // No presence sensors: a boost lasts two minutes, less than a fast clock's sweep, so boosts are the
  // one figure that still depends on the speed (ADR 0009); tests/integration/functions/presence.test.ts
  // covers the presence path.
  await writeFile(join(dir, 'sensors.json'), '[]');
  const [fast, slow] = SPEEDS;
  // One after the other: two DynamoDB Local JVMs starting at once on a loaded machine time out.
  run = await startNights(fast, join(dir, `speed-${fast}`));
  slower = await startNights(slow, join(dir, `speed-${slow}`));
}, 900_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm start --nights 1', () => {
  it('exits 0 after writing the savings report as HTML and CSV', async () => {
    expect(run.code, whatItPrinted(run)).toBe(0);
    expect(slower.code, whatItPrinted(slower)).toBe(0);
    const base = join(run.dir, 'out', `savings-${NIGHT}-to-${NIGHT}`);
    expect(await readFile(`${base}.html`, 'utf8')).toContain('<svg');
    expect((await readFile(`${base}.csv`, 'utf8')).split('\n')[0]).toMatch(/kwh/i);
  });

  it('reports the energy the luminaires metered: at least the plan, at most full light all night', async () => {
    const site = await loadSite(`${EXAMPLE}/config.json`, join(dir, 'luminaires.csv'));
    if (!site.ok) throw new Error('test inventory does not load');
    const { config, luminaires, cabinets } = site.value;
    // As pushed: cut by the cabinets' contactors.
    const plan = planNight(config, luminaires, NIGHT, circuitsOf(cabinets, luminaires));
    const plannedKwh = plan.luminaires.reduce((sum, l) => sum + l.energyWh, 0) / 1000;
    const fullLightKwh =
      plan.luminaires.reduce((sum, l) => {
        const watts = site.value.luminaires.find((x) => x.id === l.id)?.ledWatts ?? 0;
        return sum + (l.on === null || l.off === null ? 0 : (watts * (l.off - l.on)) / 3600);
      }, 0) / 1000;
    const totals = /metered ([\d.]+) kWh, baseline ([\d.]+) kWh/.exec(run.stdout);
    expect(totals, run.stdout).not.toBeNull();
    const metered = Number(totals?.[1]);
    expect(plannedKwh).toBeGreaterThan(0);
    expect(metered).toBeGreaterThanOrEqual(plannedKwh * 0.97);
    expect(metered).toBeLessThanOrEqual(fullLightKwh * 1.05);
    expect(Number(totals?.[2])).toBeGreaterThan(metered);
  });

  it('reports the same figures, to the watt-hour and the luminaire-night, at any speed', async () => {
    expect(slower.code, slower.stderr).toBe(0);
    const csv = (r: Run) => readFile(join(r.dir, 'out', `savings-${NIGHT}-to-${NIGHT}.csv`), 'utf8');
    expect(await csv(slower)).toBe(await csv(run));
  });

  it('raises no not-reporting alarm: the sweep judges silence by the interval the devices report at', () => {
    expect(run.stdout).not.toMatch(/luminaires? muets?|not reporting/i);
  });

  it("keeps the functions' EMF metric lines and JSON logs off the terminal, in the data directory", async () => {
    expect(run.stdout).not.toContain('"_aws"');
    expect(run.stdout).toContain(join(run.dir, 'data', 'logs', 'functions.log'));
    expect(await readFile(join(run.dir, 'data', 'logs', 'functions.log'), 'utf8')).toContain('"_aws"');
  });

  it('tells the user where the console and the API listen and how to get a token', () => {
    expect(run.stdout).toMatch(/console on http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toMatch(/API on http:\/\/127\.0\.0\.1:\d+\/api/);
    expect(run.stdout).toContain('npx lighting token --role technician');
  });
});
