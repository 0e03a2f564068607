import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { command } from '#cli/commands/check.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';

const EXAMPLE = 'examples/carcassonne';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lighting-check-'));
});

/** The example config with an edit, written to a temporary file. */
// biome-ignore lint/suspicious/noExplicitAny: the edits reach into the file's JSON by known paths
async function editedConfig(edit: (raw: Record<string, any>) => void) {
  const raw = JSON.parse(await readFile(`${EXAMPLE}/config.json`, 'utf8'));
  edit(raw);
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(raw));
  return path;
}

describe('lighting check', () => {
  it.each(['luminaires.geojson', 'luminaires.csv'])(
    'finds no problem in the example config with %s',
    async (inventory) => {
      const result = await runCommand(
        command,
        '--config',
        `${EXAMPLE}/config.json`,
        '--inventory',
        `${EXAMPLE}/${inventory}`,
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
  );

  it('reports names no luminaire has, one located line each', async () => {
    const config = await editedConfig((raw) => {
      raw.calendar[1].zones = ['cite', 'citee'];
      raw.overrides.push({
        id: 'typo',
        target: { streets: ['Rue de Verdunn'], luminaires: ['L-9999'] },
        level: 0,
        from: '2026-12-01T17:00:00+01:00',
        until: '2026-12-02T07:00:00+01:00',
        reason: 'test',
      });
    });
    const result = await runCommand(command, '--config', config, '--inventory', `${EXAMPLE}/luminaires.csv`);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `${config}: calendar[1].zones[1]: unknown zone "citee": no luminaire is in it`,
      expect.stringMatching(
        /: overrides\[1\]\.target\.streets\[0\]: unknown street "Rue de Verdunn": no luminaire is on it \(streets: /,
      ),
      `${config}: overrides[1].target.luminaires[0]: unknown luminaire "L-9999"`,
    ]);
  });

  it('reports a cabinet whose tariff option is the option of no tariff of the config, naming the cabinet and field', async () => {
    const config = await editedConfig((raw) => {
      raw.site.tariffs = raw.site.tariffs.filter((tariff: { option: string }) => tariff.option !== 'ep-c5');
    });
    const result = await runCommand(command, '--config', config, '--inventory', `${EXAMPLE}/luminaires.csv`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${EXAMPLE}/luminaires.csv: cabinet CAB-cite-01, tariffOption: "ep-c5" is the option of no tariff of the config (options: ep-c4)`,
    );
  });

  it('warns of a cabinet whose luminaires draw more than its subscribed power, naming the cabinet and field', async () => {
    const cabinets = join(dir, 'cabinets.csv');
    const rows = (await readFile(`${EXAMPLE}/cabinets.csv`, 'utf8')).split('\n');
    const cite = rows.findIndex((row) => row.startsWith('CAB-cite-01,'));
    const columns = (rows[0] ?? '').split(',');
    const fields = (rows[cite] ?? '').split(',');
    fields[columns.indexOf('subscribedKva')] = '1';
    rows[cite] = fields.join(',');
    await writeFile(cabinets, rows.join('\n'));
    const result = await runCommand(
      command,
      '--config',
      `${EXAMPLE}/config.json`,
      '--inventory',
      `${EXAMPLE}/luminaires.csv`,
      '--cabinets',
      cabinets,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /cabinets\.csv: cabinet CAB-cite-01, subscribedKva: its luminaires draw \d+\.\d\d kW at full power .*more than its subscribed 1 kVA.*\(FR : .*puissance souscrite de 1 kVA\)$/,
      ),
    ]);
  });

  it('reports the problems of both files together: a schema error in the config, duplicate ids in the inventory', async () => {
    const config = await editedConfig((raw) => {
      raw.profiles.park.onLevel = 120;
      raw.calendar[0].profile = 'nope';
    });
    const csv = (await readFile(`${EXAMPLE}/luminaires.csv`, 'utf8')).trimEnd().split('\n');
    const inventory = join(dir, 'duplicates.csv');
    await writeFile(inventory, `${[...csv, csv[1]].join('\n')}\n`);
    const result = await runCommand(command, '--config', config, '--inventory', inventory);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContain(`${config}: profiles.park.onLevel: level must be 0..100`);
    expect(
      lines.some(
        (line) => line.startsWith(`${inventory}: row ${csv.length + 1}`) && line.includes('duplicate id'),
      ),
    ).toBe(true);
  });

  it('is a usage error without --inventory (exit 2)', async () => {
    const result = await runCommand(command, '--config', `${EXAMPLE}/config.json`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--inventory: required');
  });
});
