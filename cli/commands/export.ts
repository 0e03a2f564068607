import { z } from 'zod';
import { LocalDate } from '#schedules/config/schema.ts';
import { toEclExt } from '#schedules/export/eclext.ts';
import { toCsv, toGeoJson } from '#schedules/inventory/index.ts';
import { circuitsOf, planNight } from '#schedules/plan/plan-night.ts';
import { nightOf } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { defineCommand } from '../args.ts';
import { loadSiteOrReport, SITE_FLAGS, SITE_OPTIONS } from '../load-site.ts';

const USAGE = `usage: lighting export --config FILE --inventory FILE [--cabinets FILE] --format eclext|geojson|csv [--night YYYY-MM-DD] [--producer NAME]

Writes the inventory to stdout:
  eclext   the national geostandard for outdoor lighting (CNIG EclExt 1.1, GeoJSON, Licence Ouverte
           2.0): one point per luminaire with the standard's mandatory attributes and its night profile
           for --night (local times HH:MMHL); attributes the inventory lacks are null and named in
           metadata.donneesManquantes
  geojson  the inventory as the import reads it
  csv      the same as CSV
  --night     the night of the EclExt profiles (default: tonight, site time)
  --producer  the dataset's producer (default: the site's name)
Exit code: 0 done, 1 bad config or inventory, 2 bad usage.`;

const Flags = z.strictObject({
  ...SITE_FLAGS,
  format: z.enum(['eclext', 'geojson', 'csv'], { error: 'required: eclext, geojson or csv' }),
  night: z.string().pipe(LocalDate).optional(),
  producer: z.string().min(1).max(200).optional(),
});

export const command = defineCommand({
  name: 'export',
  summary: 'write the inventory as EclExt (national open-data standard), GeoJSON or CSV',
  usage: USAGE,
  options: {
    ...SITE_OPTIONS,
    format: { type: 'string' },
    night: { type: 'string' },
    producer: { type: 'string' },
  },
  flags: Flags,
  async run(flags) {
    const site = await loadSiteOrReport(flags);
    if (site === null) return 1;
    const { format, night, producer } = flags;
    const { config, luminaires, cabinets } = site;
    if (format === 'csv') process.stdout.write(toCsv(luminaires));
    else if (format === 'geojson') process.stdout.write(`${JSON.stringify(toGeoJson(luminaires))}\n`);
    else {
      const now = Date.now() / 1000;
      const { timezone } = config.site;
      const plan = planNight(
        config,
        luminaires,
        night ?? nightOf(timezone, now),
        circuitsOf(cabinets, luminaires),
      );
      const dataset = {
        producer: producer ?? config.site.name,
        extractedAt: ZoneClock.of(timezone).format(now),
      };
      process.stdout.write(`${JSON.stringify(toEclExt(luminaires, plan, dataset))}\n`);
    }
    return 0;
  },
});
