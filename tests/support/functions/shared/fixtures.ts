import { readFileSync } from 'node:fs';
import type { Luminaire } from '#schedules/index.ts';
import { Luminaire as LuminaireSchema } from '#schedules/inventory/schema.ts';

/**
 * The issue's Carcassonne site: on at sunset + 10 min, 70 % from 22:30, off 00:30-05:00, 70 % until
 * sunrise - 10 min (the schedules tests' fixture).
 */
export { config as testConfig } from '../../schedules/fixtures.ts';

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
