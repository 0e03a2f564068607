import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { command } from '#cli/commands/reconcile.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';

const EXAMPLE = 'examples/carcassonne';
/** The delivery point of the example's cabinet CAB-cite-01. */
const PDL = '20133033653418';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lighting-reconcile-'));
});

/** A French export of one day's load curve at `watts` every half-hour, from 15/01/2026 00:00 local. */
async function readingsFile(watts: number, pdl = PDL): Promise<string> {
  const lines = ['PDL;timestamp;powerW'];
  for (let i = 0; i < 48; i++) {
    const hh = String(Math.floor(i / 2)).padStart(2, '0');
    lines.push(`${pdl};15/01/2026 ${hh}:${i % 2 === 0 ? '00' : '30'};${watts}`);
  }
  const path = join(dir, `courbe-${watts}-${pdl}.csv`);
  await writeFile(path, `${lines.join('\r\n')}\r\n`);
  return path;
}

const run = (readings: string, ...more: string[]) =>
  runCommand(
    command,
    '--config',
    `${EXAMPLE}/config.json`,
    '--inventory',
    `${EXAMPLE}/luminaires.csv`,
    '--readings',
    readings,
    ...more,
  );

describe('lighting reconcile', () => {
  it('reports a circuit drawing power by day as day-burning, exiting 1', async () => {
    const result = await run(await readingsFile(1000));
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('metered energy: not available offline (compared with the plans)');
    expect(result.stdout).toMatch(
      /day-burning {2}20133033653418 \(CAB-cite-01\): \d+(\.\d)? kWh drawn in daylight/,
    );
    expect(result.code).toBe(1);
  });

  it("prices an over-subscription by the subscription part of the cabinet's tariff option, unless told", async () => {
    const readings = await readingsFile(100);
    const yearlyCost = async (...more: string[]) => {
      const output = JSON.parse((await run(readings, '--format', 'json', ...more)).stdout);
      return output.findings.find(
        (f: { kind: string; deliveryPointId: string }) =>
          f.kind === 'over-subscription' && f.deliveryPointId === PDL,
      )?.yearlyCostEuros;
    };
    // CAB-cite-01 subscribes 6 kVA for a 0.1 kW maximum: 5 kVA in excess, at the example's C5 1.55 € a kVA and month.
    expect(await yearlyCost()).toBeCloseTo(5 * 1.55 * 12, 6);
    expect(await yearlyCost('--kva-month-euros', '1')).toBeCloseTo(60, 6);
  });

  it('prints json with the period, the delivery points and the findings', async () => {
    const result = await run(await readingsFile(1000), '--format', 'json');
    const output = JSON.parse(result.stdout);
    expect(output.period).toEqual({ from: '2026-01-15T00:00:00+01:00', to: '2026-01-16T00:00:00+01:00' });
    expect(
      output.deliveryPoints.find((p: { deliveryPointId: string }) => p.deliveryPointId === PDL),
    ).toMatchObject({
      billedKwh: 24,
      cabinetIds: ['CAB-cite-01'],
    });
    expect(output.findings.map((f: { kind: string }) => f.kind)).toContain('day-burning');
  });

  it('prints semicolon csv with decimal commas', async () => {
    const result = await run(await readingsFile(1000), '--format', 'csv');
    expect(result.stdout.split('\n')[0]).toBe(
      'deliveryPointId;cabinetIds;billedKwh;plannedKwh;maxDemandKva;subscribedKva;daylightKwh',
    );
    expect(result.stdout).toContain(`${PDL};CAB-cite-01;24,0;`);
  });

  it('refuses readings of a delivery point no cabinet names, by row and column, exiting 1', async () => {
    const result = await run(await readingsFile(1000, '99999999999999'));
    expect(result.stderr.split('\n')[0]).toBe(
      `${join(dir, 'courbe-1000-99999999999999.csv')}: row 2, column PDL: delivery point 99999999999999 is not in the inventory (no cabinet names it)`,
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(1);
  });

  it('exits 2 without the readings', async () => {
    const result = await runCommand(command, '--config', `${EXAMPLE}/config.json`, '--inventory', 'x.csv');
    expect(result.code).toBe(2);
  });
});
