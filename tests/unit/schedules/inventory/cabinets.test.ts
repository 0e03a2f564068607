import { describe, expect, it } from 'vitest';
import {
  parseCsvCabinets,
  parseCsvInventory,
  parseGeoJsonCabinets,
  parseGeoJsonInventory,
} from '#schedules/inventory/index.ts';
import { formatProblem, type Parsed } from '#schedules/problem.ts';

const HEADER = 'id;lat;lon;zone;commune;deliveryPointId;subscribedKva;tariffOption;controller';

function problemLines<T>(result: Parsed<T>): string[] {
  if (result.ok) throw new Error('expected problems');
  return result.problems.map(formatProblem);
}

describe('cabinet import', () => {
  it('reads a semicolon-separated list, a delivery point with its leading zeros and the default line loss', () => {
    const text = `${HEADER}\nA-01;43.2;2.35;trebes;Trèbes;01234567890123;36;eclairage-public;connected\n`;
    expect(parseCsvCabinets(text, 'cabinets.csv')).toEqual({
      ok: true,
      value: [
        {
          id: 'A-01',
          lat: 43.2,
          lon: 2.35,
          zone: 'trebes',
          commune: 'Trèbes',
          deliveryPointId: '01234567890123',
          subscribedKva: 36,
          tariffOption: 'eclairage-public',
          controller: 'connected',
          thingName: 'A-01',
          lineLossPercent: 3,
        },
      ],
    });
  });

  it('names every bad cell by row and column, and a meter two cabinets claim', () => {
    const text = [
      `${HEADER};lineLossPercent`,
      'A;43.2;2.35;trebes;;01234567890123;36;ep;clock;3',
      'B;43.2;2.35;trebes;;1234;0;EP;astro;25',
      'C;43.2;2.35;trebes;;01234567890123;300;ep;none;',
    ].join('\n');
    expect(problemLines(parseCsvCabinets(text, 'cabinets.csv'))).toEqual([
      'cabinets.csv: row 3, column deliveryPointId: deliveryPointId must be 14 digits (PDL/PRM)',
      'cabinets.csv: row 3, column subscribedKva: subscribedKva must be > 0 kVA',
      'cabinets.csv: row 3, column tariffOption: tariffOption must be 1-40 characters of [a-z0-9-]',
      'cabinets.csv: row 3, column controller: controller must be none, clock or connected',
      'cabinets.csv: row 3, column lineLossPercent: lineLossPercent must be 0..20',
      'cabinets.csv: row 4, column subscribedKva: subscribedKva must be at most 250 kVA',
    ]);
    const twoOnOneMeter = [
      HEADER,
      'A;43.2;2.35;t;;01234567890123;36;ep;clock',
      'B;43.2;2.35;t;;01234567890123;9;ep;none',
    ];
    expect(problemLines(parseCsvCabinets(twoOnOneMeter.join('\n'), 'cabinets.csv'))).toEqual([
      'cabinets.csv: row 3, column deliveryPointId: delivery point 01234567890123 is already the meter of cabinet "A" (at row 2)',
    ]);
  });

  it("takes a clock's night cut, and names one that closes before it opens or is not a clock's", () => {
    const text = [
      `${HEADER};nightCut`,
      'A;43.2;2.35;t;;01234567890121;36;ep;clock;23:00-05:00',
      'B;43.2;2.35;t;;01234567890122;36;ep;clock;05:00-23:00',
      'C;43.2;2.35;t;;01234567890123;36;ep;connected;23:00-05:00',
      'D;43.2;2.35;t;;01234567890124;36;ep;clock;23h-5h',
    ].join('\n');
    expect(problemLines(parseCsvCabinets(text, 'cabinets.csv'))).toEqual([
      'cabinets.csv: row 3, column nightCut: nightCut must open before it closes within the night (noon to noon), e.g. 23:00-05:00',
      'cabinets.csv: row 4, column nightCut: only a clock cabinet has a night cut: a connected one follows its plan, a plain one its luminaires',
      'cabinets.csv: row 5, column nightCut: nightCut must be "HH:MM-HH:MM", site time (e.g. 23:00-05:00)',
    ]);
    const [clock] = (
      parseCsvCabinets(text.split('\n').slice(0, 2).join('\n'), 'c.csv') as { value: { nightCut?: string }[] }
    ).value;
    expect(clock?.nightCut).toBe('23:00-05:00');
  });

  it('reads GeoJSON cabinets, a numeric delivery point as text, and names a bad property by feature', () => {
    const properties = {
      id: 'C1',
      zone: 'cite',
      deliveryPointId: 30000000000001,
      subscribedKva: 12,
      tariffOption: 'ep',
      controller: 'clock',
    };
    const feature = (p: object) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [2.36, 43.2] },
      properties: p,
    });
    const ok = parseGeoJsonCabinets(
      JSON.stringify({ type: 'FeatureCollection', features: [feature(properties)] }),
      'c.geojson',
    );
    expect(ok.ok && ok.value[0]?.deliveryPointId).toBe('30000000000001');
    const bad = {
      type: 'FeatureCollection',
      features: [feature({ ...properties, street: 'x', subscribedKva: '12' })],
    };
    expect(problemLines(parseGeoJsonCabinets(JSON.stringify(bad), 'c.geojson'))).toEqual([
      'c.geojson: features[0].properties.street: unknown property (known: id, zone, commune, deliveryPointId, subscribedKva, tariffOption, controller, thingName, lineLossPercent, nightCut)',
      'c.geojson: features[0].properties.subscribedKva: expected a number, got "12"',
    ]);
  });
});

describe('luminaires behind cabinets', () => {
  const HEAD = 'id,lat,lon,street,zone,ledWatts,baselineWatts,cabinet,controller';

  it('reads the cabinet a luminaire names and its lack of a controller', () => {
    const text = `${HEAD}\nL1,43.2,2.35,rue,trebes,40,100,A,none\nL2,43.2,2.35,rue,trebes,40,100,A,\n`;
    const result = parseCsvInventory(text, 'l.csv', new Set(['A']));
    expect(result.ok && result.value.map((l) => [l.id, l.cabinet, l.controller])).toEqual([
      ['L1', 'A', 'none'],
      ['L2', 'A', undefined],
    ]);
  });

  it('refuses a luminaire naming an unknown cabinet, and one without controller nor cabinet', () => {
    const text = `${HEAD}\nL1,43.2,2.35,rue,trebes,40,100,B,none\nL2,43.2,2.35,rue,trebes,40,100,,none\n`;
    expect(problemLines(parseCsvInventory(text, 'l.csv', new Set(['A'])))).toEqual([
      'l.csv: row 2, column cabinet: unknown cabinet "B"',
      'l.csv: row 3, column controller: a luminaire without its own controller (controller none) must name its cabinet',
    ]);
    const document = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [2.35, 43.2] },
          properties: { id: 'L1', street: 'r', zone: 'z', ledWatts: 40, baselineWatts: 100, cabinet: 'A' },
        },
      ],
    };
    expect(problemLines(parseGeoJsonInventory(JSON.stringify(document), 'l.geojson'))).toEqual([
      'l.geojson: features[0].properties.cabinet: unknown cabinet "A"',
    ]);
  });
});
