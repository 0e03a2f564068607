import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { command } from '#cli/commands/export.ts';
import { loadCabinets } from '#cli/load-site.ts';
import { EclExtCollection } from '#schedules/export/eclext-schema.ts';
import { parseCsvInventory, parseGeoJsonInventory } from '#schedules/inventory/index.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';

const EXAMPLE = 'examples/carcassonne';
const CONFIG = `${EXAMPLE}/config.json`;
const GEOJSON = `${EXAMPLE}/luminaires.geojson`;

const exportSite = (...argv: string[]) =>
  runCommand(command, '--config', CONFIG, '--inventory', GEOJSON, ...argv);

describe('lighting export', () => {
  it('writes the example as EclExt that the schema of its promised attributes accepts', async () => {
    const run = await exportSite(
      '--format',
      'eclext',
      '--night',
      '2026-06-21',
      '--producer',
      'Carcassonne Agglo',
    );
    expect(run.code).toBe(0);
    const exported = EclExtCollection.parse(JSON.parse(run.stdout));
    expect(exported.features).toHaveLength(2823);
    expect(exported.metadata).toMatchObject({ producteur: 'Carcassonne Agglo', nuit: '2026-06-21' });
    // The example holds no luminaire structure nor support: named, not guessed.
    expect(exported.metadata.donneesManquantes.map((m) => m.attribut)).toEqual(
      expect.arrayContaining(['structure', 'support', 'estAdaptatif']),
    );
  });

  it('writes the inventory back as GeoJSON and CSV the import reads unchanged', async () => {
    const stored = await loadCabinets(GEOJSON);
    const cabinets = new Set(stored.ok ? stored.value.map((cabinet) => cabinet.id) : []);
    expect(cabinets.size).toBeGreaterThan(0);
    const original = parseGeoJsonInventory(await readFile(GEOJSON, 'utf8'), 'in', cabinets);
    expect(original.ok).toBe(true);
    const geojson = await exportSite('--format', 'geojson');
    expect(parseGeoJsonInventory(geojson.stdout, 'out', cabinets)).toEqual(original);
    const csv = await exportSite('--format', 'csv');
    expect(parseCsvInventory(csv.stdout, 'out', cabinets)).toEqual(original);
  });

  it('exits 2 without a known format', async () => {
    const run = await exportSite('--format', 'shapefile');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lighting export: --format: required: eclext, geojson or csv');
  });
});
