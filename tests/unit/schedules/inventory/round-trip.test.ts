import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvInventory, parseGeoJsonInventory, toCsv, toGeoJson } from '#schedules/inventory/index.ts';
import { inventory } from './arbitraries.ts';

describe('open-data export', () => {
  it('reads back exactly what toCsv wrote', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        expect(parseCsvInventory(toCsv(luminaires), 'export.csv')).toEqual({ ok: true, value: luminaires });
      }),
    );
  });

  it('reads back exactly what toGeoJson wrote', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        const written = JSON.stringify(toGeoJson(luminaires));
        expect(parseGeoJsonInventory(written, 'export.geojson')).toEqual({ ok: true, value: luminaires });
      }),
    );
  });

  it('gives the same luminaires from either format', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        const fromCsv = parseCsvInventory(toCsv(luminaires), 'export.csv');
        const fromGeoJson = parseGeoJsonInventory(JSON.stringify(toGeoJson(luminaires)), 'export.geojson');
        expect(fromCsv).toEqual(fromGeoJson);
      }),
    );
  });
});
