import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSite } from '#cli/load-site.ts';
import { SimClock } from '#device-sim/clock.ts';
import type { Config } from '#schedules/config/schema.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import { type LocalSite, startLocalSite } from './local-site.ts';

const EXAMPLE = fileURLToPath(new URL('../examples/carcassonne', import.meta.url));

export interface ExampleSite {
  readonly local: LocalSite;
  /** The example's configuration as it was seeded. */
  readonly config: Config;
  stop(): Promise<void>;
}

/**
 * The Carcassonne example (2,823 luminaires, 48 sensors) on the real local site `npm start` runs,
 * in memory, on free ports, its clock the wall clock, the console of `consoleDir` at `/`: what the
 * browser tests and the console's bench drive.
 */
export async function startExampleSite(options: {
  siteId: string;
  consoleDir: string;
}): Promise<ExampleSite> {
  const site = await loadSite(join(EXAMPLE, 'config.json'), join(EXAMPLE, 'luminaires.geojson'));
  if (!site.ok) throw new Error(`the example site does not load: ${JSON.stringify(site.problems)}`);
  const sensors = PresenceSensor.array().parse(
    JSON.parse(await readFile(join(EXAMPLE, 'sensors.json'), 'utf8')),
  );
  const clock = new SimClock({ speed: 1, start: Date.now() / 1000 });
  const local = await startLocalSite({
    apiPort: 0,
    siteId: options.siteId,
    seed: {
      config: site.value.config,
      luminaires: site.value.luminaires,
      cabinets: site.value.cabinets,
      sensors,
    },
    clock,
    pushAt: '13:00',
    consoleDir: options.consoleDir,
    log: () => {},
  });
  return {
    local,
    config: site.value.config,
    async stop() {
      await local.stop();
      clock.stop();
    },
  };
}
