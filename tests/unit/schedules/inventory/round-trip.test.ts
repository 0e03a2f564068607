import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cabinetsCsv,
  parseCsvCabinets,
  parseCsvInventory,
  parseGeoJsonCabinets,
  parseGeoJsonInventory,
  toCsv,
  toGeoJson,
} from '#schedules/inventory/index.ts';
import { CABINET_IDS, cabinets, inventory } from './arbitraries.ts';

describe('open-data export', () => {
  it('reads back exactly what toCsv wrote', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        expect(parseCsvInventory(toCsv(luminaires), 'export.csv', CABINET_IDS)).toEqual({
          ok: true,
          value: luminaires,
        });
      }),
    );
  });

  it('reads back exactly what toGeoJson wrote', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        const written = JSON.stringify(toGeoJson(luminaires));
        expect(parseGeoJsonInventory(written, 'export.geojson', CABINET_IDS)).toEqual({
          ok: true,
          value: luminaires,
        });
      }),
    );
  });

  it('gives the same luminaires from either format', () => {
    fc.assert(
      fc.property(inventory, (luminaires) => {
        const fromCsv = parseCsvInventory(toCsv(luminaires), 'export.csv', CABINET_IDS);
        const fromGeoJson = parseGeoJsonInventory(
          JSON.stringify(toGeoJson(luminaires)),
          'export.geojson',
          CABINET_IDS,
        );
        expect(fromCsv).toEqual(fromGeoJson);
      }),
    );
  });

  it('reads back exactly the cabinets written as CSV and as GeoJSON', () => {
    fc.assert(
      fc.property(cabinets, (written) => {
        expect(parseCsvCabinets(cabinetsCsv(written), 'cabinets.csv')).toEqual({ ok: true, value: written });
        expect(parseGeoJsonCabinets(JSON.stringify(toGeoJson(written)), 'cabinets.geojson')).toEqual({
          ok: true,
          value: written,
        });
      }),
    );
  });
});
