import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Luminaire,
  parseCsvInventory,
  parseGeoJsonInventory,
  toCsv,
  toGeoJson,
} from '#schedules/inventory/index.ts';
import type { Parsed, Problem } from '#schedules/problem.ts';
import { CABINET_IDS, inventory } from './arbitraries.ts';

/** An inventory of at least two luminaires and the index of one of them. */
const inventoryAndIndex = inventory
  .filter((ls) => ls.length >= 2)
  .chain((ls) => fc.tuple(fc.constant(ls), fc.nat({ max: ls.length - 1 })));

/** One bad value for one field: what the problem must say about it. */
const corruption = fc.oneof(
  fc.record({
    field: fc.constantFrom('lat', 'lon', 'ledWatts', 'baselineWatts', 'minLevel'),
    value: fc.constantFrom<unknown>('abc', '12,5', 'NaN'),
    message: fc.constant(/^expected a number, got /),
  }),
  fc.record({
    field: fc.constant('lat'),
    value: fc.double({ min: 90.000001, max: 1e6, noNaN: true }),
    message: fc.constant(/^latitude must be -90\.\.90$/),
  }),
  fc.record({
    field: fc.constant('lon'),
    value: fc.double({ min: -1e6, max: -180.000001, noNaN: true }),
    message: fc.constant(/^longitude must be -180\.\.180$/),
  }),
  fc.record({
    field: fc.constantFrom('ledWatts', 'baselineWatts'),
    value: fc.constantFrom(0, -1),
    message: fc.constant(/must be > 0 W$/),
  }),
);

/** Writes luminaires with one field replaced, as a careless export would. */
function corrupt(
  luminaires: readonly Luminaire[],
  index: number,
  field: string,
  value: unknown,
): Luminaire[] {
  return luminaires.map((l, i) => (i === index ? ({ ...l, [field]: value } as unknown as Luminaire) : l));
}

function onlyProblem(result: Parsed<Luminaire[]>): Problem {
  expect(result.ok).toBe(false);
  const problems = result.ok ? [] : result.problems;
  expect(problems).toHaveLength(1);
  return problems[0] as Problem;
}

const featurePath = (index: number, field: string) =>
  field === 'lon'
    ? `features[${index}].geometry.coordinates[0] (longitude)`
    : field === 'lat'
      ? `features[${index}].geometry.coordinates[1] (latitude)`
      : `features[${index}].properties.${field}`;

describe('a single bad value in an inventory', () => {
  it('gives exactly one CSV problem naming the file, its row and its column', () => {
    fc.assert(
      fc.property(inventoryAndIndex, corruption, ([luminaires, index], { field, value, message }) => {
        const problem = onlyProblem(
          parseCsvInventory(toCsv(corrupt(luminaires, index, field, value)), 'in.csv', CABINET_IDS),
        );
        expect(problem.source).toBe('in.csv');
        expect(problem.path).toBe(`row ${index + 2}, column ${field}`);
        expect(problem.message).toMatch(message);
      }),
    );
  });

  it('gives exactly one GeoJSON problem naming the file, its feature and its property or coordinate', () => {
    fc.assert(
      fc.property(inventoryAndIndex, corruption, ([luminaires, index], { field, value, message }) => {
        const text = JSON.stringify(toGeoJson(corrupt(luminaires, index, field, value)));
        const problem = onlyProblem(parseGeoJsonInventory(text, 'in.geojson', CABINET_IDS));
        expect(problem.source).toBe('in.geojson');
        expect(problem.path).toBe(featurePath(index, field));
        expect(problem.message).toMatch(message);
      }),
    );
  });

  it('reports a repeated id once, at the later record, naming the earlier one', () => {
    const pair = inventoryAndIndex.chain(([ls, first]) =>
      fc.tuple(fc.constant(ls), fc.constant(first), fc.integer({ min: 0, max: ls.length - 1 })),
    );
    fc.assert(
      fc.property(
        pair.filter(([, a, b]) => a !== b),
        ([luminaires, a, b]) => {
          const [first, second] = [Math.min(a, b), Math.max(a, b)];
          const id = (luminaires[first] as Luminaire).id;
          const duplicated = corrupt(luminaires, second, 'id', id);
          const csv = onlyProblem(parseCsvInventory(toCsv(duplicated), 'in.csv', CABINET_IDS));
          expect(csv.path).toBe(`row ${second + 2}, column id`);
          expect(csv.message).toBe(`duplicate id ${JSON.stringify(id)} (also at row ${first + 2})`);
          const geojson = onlyProblem(
            parseGeoJsonInventory(JSON.stringify(toGeoJson(duplicated)), 'in.geojson', CABINET_IDS),
          );
          expect(geojson.path).toBe(`features[${second}].properties.id`);
          expect(geojson.message).toBe(`duplicate id ${JSON.stringify(id)} (also at features[${first}])`);
        },
      ),
    );
  });
});
