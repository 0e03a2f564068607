import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Luminaire,
  parseCsvInventory,
  parseGeoJsonInventory,
  toCsv,
  toGeoJson,
} from '../../../schedules/inventory/index.ts';

/** Text with the characters CSV must quote: separators, quotes, line breaks, and any Unicode grapheme. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', ';', '"', '\n', '\r\n', '\r', ' ', 'é', 'œ'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 20,
});
const thingName = fc.stringMatching(/^[a-zA-Z0-9:_-]{1,64}$/);
/** -0 is not a coordinate anyone means; both formats write it as 0. */
const number = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((x) => x + 0);
const positive = (max: number) => fc.double({ min: Number.MIN_VALUE, max, noNaN: true });

const luminaire: fc.Arbitrary<Luminaire> = fc.record({
  id: text.filter((s) => s.length <= 64),
  lat: number(-90, 90),
  lon: number(-180, 180),
  street: text,
  zone: text,
  ledWatts: positive(1000),
  baselineWatts: positive(2000),
  minLevel: fc.integer({ min: 0, max: 100 }),
  thingName,
});

const inventory = fc.uniqueArray(luminaire, { selector: (l) => l.id, maxLength: 30 });

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
