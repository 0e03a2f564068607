import { z } from 'zod';
import { estimateCee } from '#schedules/cee/estimate.ts';
import { defineCommand } from '../args.ts';
import { INVENTORY_FLAGS, INVENTORY_OPTIONS, loadInventoryOrReport } from '../load-site.ts';

const USAGE = `usage: lighting cee --inventory FILE [--cabinets FILE] [--format json|table]

Offline CEE (energy-savings certificates) estimate from the inventory: RES-EC-104 per renewed LED
luminaire, RES-EC-103 per regulated watt (luminaires with their own controller, connected cabinets
for the luminaires they dim). Each luminaire or cabinet is eligible, not eligible (why) or missing
data (which fields). An estimate from quoted figures: check it against the sheet in force.
  --inventory  luminaires (.geojson/.json or .csv)
  --cabinets   cabinets (default: cabinets.csv next to the inventory, if any)
  --format     table (default: totals, then what is not eligible or lacks data) or json (every line)
Exit code: 0 estimate printed, 1 bad files, 2 bad usage.`;

const Flags = z.strictObject({
  ...INVENTORY_FLAGS,
  format: z.enum(['json', 'table']).default('table'),
});

export const command = defineCommand({
  name: 'cee',
  summary: 'estimate the CEE kWh cumac of the inventory (RES-EC-104, RES-EC-103), offline',
  usage: USAGE,
  options: { ...INVENTORY_OPTIONS, format: { type: 'string' } },
  flags: Flags,
  async run(flags) {
    const loaded = await loadInventoryOrReport(flags);
    if (loaded === null) return 1;
    const estimate = estimateCee(loaded.luminaires, loaded.cabinets);
    const { format } = flags;
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify(estimate, null, 2)}\n`);
      return 0;
    }
    const count = (status: string) => estimate.lines.filter((l) => l.status === status).length;
    const lines = [
      estimate.label,
      `RES-EC-104: ${estimate.totalKwhCumac['RES-EC-104']} kWh cumac; RES-EC-103: ${estimate.totalKwhCumac['RES-EC-103']} kWh cumac; total ${estimate.totalKwhCumac.all} kWh cumac`,
      `${count('eligible')} eligible, ${count('not-eligible')} not eligible, ${count('missing-data')} missing data`,
      ...estimate.lines
        .filter((l) => l.status !== 'eligible')
        .map(
          (l) =>
            `${l.sheet}  ${l.subject.kind} ${l.subject.id}: ${l.status} (${l.reason ?? `missing ${l.missingFields?.join(', ')}`})`,
        ),
      'to verify:',
      ...estimate.toVerify.map((t) => `- ${t}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
