import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '#schedules/config/parse.ts';
import type { Config } from '#schedules/config/schema.ts';
import { METRES_PER_DEGREE } from '#schedules/geo.ts';
import {
  type Cabinet,
  hasOwnController,
  type Luminaire,
  PresenceSensor,
  parseCsvCabinets,
  parseCsvInventory,
  parseGeoJsonInventory,
} from '#schedules/inventory/index.ts';
import { EXAMPLE_DIR, makeExample } from '#scripts/make-example.ts';

const read = (name: string) => readFile(join(EXAMPLE_DIR, name), 'utf8');

/** Distance in metres, equirectangular: exact enough within a town. */
function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const east = (b.lon - a.lon) * METRES_PER_DEGREE * Math.cos((a.lat * Math.PI) / 180);
  const north = (b.lat - a.lat) * METRES_PER_DEGREE;
  return Math.hypot(east, north);
}

describe('the Carcassonne example', () => {
  let luminaires: Luminaire[];
  let cabinets: Cabinet[];
  let cabinetIds: ReadonlySet<string>;
  let config: Config;
  beforeAll(async () => {
    const parsedCabinets = parseCsvCabinets(await read('cabinets.csv'), 'cabinets.csv');
    if (!parsedCabinets.ok) throw new Error('example cabinets do not parse');
    cabinets = parsedCabinets.value;
    cabinetIds = new Set(cabinets.map((cabinet) => cabinet.id));
    const parsed = parseGeoJsonInventory(await read('luminaires.geojson'), 'luminaires.geojson', cabinetIds);
    if (!parsed.ok) throw new Error('example inventory does not parse');
    luminaires = parsed.value;
    const parsedConfig = parseConfig(JSON.parse(await read('config.json')), 'config.json');
    if (!parsedConfig.ok) throw new Error(JSON.stringify(parsedConfig.problems));
    config = parsedConfig.value;
  });

  it('is what scripts/make-example.ts generates', async () => {
    const { files } = makeExample();
    for (const [name, text] of Object.entries(files)) expect(await read(name), name).toBe(text);
  });

  it('holds the same luminaires as GeoJSON and as CSV', async () => {
    expect(parseCsvInventory(await read('luminaires.csv'), 'luminaires.csv', cabinetIds)).toEqual({
      ok: true,
      value: luminaires,
    });
    expect(luminaires.length).toBeGreaterThan(2500);
  });

  it('switches every luminaire by a cabinet, 30 to 60 of them, some villages by their cabinets only', () => {
    expect(cabinets.length).toBeGreaterThanOrEqual(30);
    expect(cabinets.length).toBeLessThanOrEqual(60);
    expect(luminaires.filter((l) => l.cabinet === undefined)).toEqual([]);
    const nodeLessZones = new Set(luminaires.filter((l) => !hasOwnController(l)).map((l) => l.zone));
    expect([...nodeLessZones].sort()).toEqual(['berriac', 'pezens']);
    for (const cabinet of cabinets) {
      const fed = luminaires.filter((l) => l.cabinet === cabinet.id);
      const kva = fed.reduce((sum, l) => sum + l.ledWatts, 0) / 1000 / 0.95;
      expect(cabinet.subscribedKva, cabinet.id).toBeGreaterThanOrEqual(kva);
    }
  });

  it('has a config whose calendar and overrides name only zones and streets of the inventory', () => {
    const zones = new Set(luminaires.map((l) => l.zone));
    const streets = new Set(luminaires.map((l) => l.street));
    const targets = [...config.calendar, ...config.overrides.map((o) => ('all' in o.target ? {} : o.target))];
    for (const target of targets) {
      for (const zone of target.zones ?? []) expect(zones, zone).toContain(zone);
      for (const street of target.streets ?? []) expect(streets, street).toContain(street);
    }
  });

  it('places every presence sensor on a lit street of its zone, within 60 m of one of its luminaires', async () => {
    const sensors = PresenceSensor.array().parse(JSON.parse(await read('sensors.json')));
    expect(sensors.length).toBeGreaterThan(20);
    for (const sensor of sensors) {
      const nearest = Math.min(
        ...luminaires
          .filter((l) => l.street === sensor.street && l.zone === sensor.zone)
          .map((l) => metresBetween(sensor, l)),
      );
      expect(nearest, sensor.id).toBeLessThan(60);
    }
  });
});
