import { readFileSync } from 'node:fs';
import { Config, type ConfigInput, type Luminaire } from '../../../../schedules/index.ts';
import { Luminaire as LuminaireSchema } from '../../../../schedules/inventory/schema.ts';

/** A small Carcassonne-like site: on at sunset, 70 % from 22:30, off 00:30-05:00, off at sunrise. */
export function testConfig(overrides: Partial<ConfigInput> = {}): Config {
  return Config.parse({
    site: {
      name: 'Test',
      timezone: 'Europe/Paris',
      latitude: 43.213,
      longitude: 2.349,
      tariffEurPerKwh: 0.2,
      co2KgPerKwh: 0.053,
    },
    profiles: {
      residential: {
        on: { event: 'sunset', offsetMinutes: 10 },
        off: { event: 'sunrise', offsetMinutes: -10 },
        steps: [
          { at: '22:30', level: 70 },
          { at: '00:30', level: 0 },
          { at: '05:00', level: 70 },
        ],
      },
    },
    calendar: [{ profile: 'residential' }],
    ...overrides,
  });
}

/** `count` luminaires along one street, ~25 m apart. */
export function testLuminaires(count: number, prefix = 'L'): Luminaire[] {
  return Array.from({ length: count }, (_, i) =>
    LuminaireSchema.parse({
      id: `${prefix}-${String(i).padStart(4, '0')}`,
      lat: 43.2068,
      lon: 2.3644 + i * 0.0003,
      street: 'Rue Trivalle',
      zone: i % 2 === 0 ? 'bastide' : 'cite',
      ledWatts: 36,
      baselineWatts: 150,
    }),
  );
}

/** A real AWS event shape from tests/fixtures/events. */
export function eventFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/events/${name}`, import.meta.url), 'utf8')) as T;
}
