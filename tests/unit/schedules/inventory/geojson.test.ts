import { describe, expect, it } from 'vitest';
import { parseGeoJsonInventory } from '#schedules/inventory/index.ts';
import { formatProblem } from '#schedules/problem.ts';

function feature(
  properties: Record<string, unknown>,
  geometry: unknown = { type: 'Point', coordinates: [2.3636, 43.2065] },
) {
  return { type: 'Feature', geometry, properties };
}

const VALID = { id: 'L-1', street: 'Rue Cros-Mayrevieille', zone: 'cite', ledWatts: 40, baselineWatts: 150 };

function problemLines(document: unknown): string[] {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  const result = parseGeoJsonInventory(text, 'luminaires.geojson');
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

describe('parseGeoJsonInventory', () => {
  it('reads Point features at [lon, lat], ignoring an altitude and null properties', () => {
    const document = {
      type: 'FeatureCollection',
      features: [
        feature({ ...VALID, minLevel: null }),
        feature(
          { ...VALID, id: 7, minLevel: 20, thingName: 'cite-7' },
          { type: 'Point', coordinates: [2.36, 43.2, 110] },
        ),
      ],
    };
    expect(parseGeoJsonInventory(JSON.stringify(document), 'x.geojson')).toEqual({
      ok: true,
      value: [
        { ...VALID, lat: 43.2065, lon: 2.3636, minLevel: 0, thingName: 'L-1' },
        { ...VALID, id: '7', lat: 43.2, lon: 2.36, minLevel: 20, thingName: 'cite-7' },
      ],
    });
  });

  it('reports each bad feature by its index and property', () => {
    const document = {
      type: 'FeatureCollection',
      features: [
        feature(VALID),
        feature({ ...VALID, id: 'L-2', ledWatts: '60', baselineWatts: 0, lamp: 'SHP' }),
        feature({ ...VALID, id: 'L-1', zone: undefined }, { type: 'Point', coordinates: [2.36, 95] }),
        feature(
          { ...VALID, id: 'L-3' },
          {
            type: 'LineString',
            coordinates: [
              [2.36, 43.2],
              [2.37, 43.21],
            ],
          },
        ),
        feature({ ...VALID, id: 'L-4' }, null),
        feature({ ...VALID, id: 'L-5' }, { type: 'Point', coordinates: [2.36] }),
        'not a feature',
      ],
    };
    expect(problemLines(document)).toEqual([
      'luminaires.geojson: features[1].properties.lamp: unknown property (known: id, street, zone, ledWatts, baselineWatts, minLevel, thingName, cabinet, controller)',
      'luminaires.geojson: features[1].properties.ledWatts: expected a number, got "60"',
      'luminaires.geojson: features[1].properties.baselineWatts: baselineWatts must be > 0 W',
      'luminaires.geojson: features[2].geometry.coordinates[1] (latitude): latitude must be -90..90',
      'luminaires.geojson: features[2].properties.zone: required value is missing',
      'luminaires.geojson: features[2].properties.id: duplicate id "L-1" (also at features[0])',
      'luminaires.geojson: features[3].geometry.type: expected a Point geometry, got "LineString"',
      'luminaires.geojson: features[4].geometry: expected a Point geometry',
      'luminaires.geojson: features[5].geometry.coordinates: expected [longitude, latitude]',
      'luminaires.geojson: features[6]: expected a Feature object',
    ]);
  });

  it('refuses a thing name that is already the device of another feature', () => {
    const document = {
      type: 'FeatureCollection',
      features: [feature({ ...VALID, id: 'L-2', thingName: 'L-1' }), feature(VALID)],
    };
    expect(problemLines(document)).toEqual([
      'luminaires.geojson: features[1].properties.id: thing name "L-1" (derived from id "L-1") is already the device of luminaire "L-2" (at features[0])',
    ]);
  });

  it('reports a document that is not JSON or not a FeatureCollection', () => {
    expect(problemLines('{"type": "FeatureCollection",')[0]).toMatch(
      /^luminaires\.geojson: not valid JSON: /,
    );
    expect(problemLines({ type: 'Feature', features: {} })).toEqual([
      'luminaires.geojson: type: expected "FeatureCollection"',
      'luminaires.geojson: features: expected an array of features',
    ]);
  });
});
