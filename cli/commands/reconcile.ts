import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { curveSpan } from '#schedules/utility/curve-months.ts';
import { parseUtilityReadings, type UtilityReadings } from '#schedules/utility/readings.ts';
import { DEFAULT_THRESHOLDS, type Reconciliation } from '#schedules/utility/reconcile.ts';
import { MAX_RECONCILE_NIGHTS, reconcileSite } from '#schedules/utility/reconcile-site.ts';
import { defineCommand } from '../args.ts';
import { loadSiteOrReport, reportProblems, SITE_FLAGS, SITE_OPTIONS } from '../load-site.ts';

const USAGE = `usage: lighting reconcile --config FILE --inventory FILE --readings CSV [--cabinets FILE]
                          [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--kva-month-euros N] [--format json|table|csv]

Compares, per delivery point (the cabinets billed on it), the energy the utility's readings bill
with the energy the plans ask (the energy model over every night of the period, plus each cabinet's
line loss), and the maximum demand with the subscribed power. Offline there is no metered energy:
the comparison is with the plans, and the output says so. Findings: unknown-load, faulty-meter,
day-burning, over-subscription (with its yearly cost).
  --readings         the utility's load curve or index readings (CSV, comma or French semicolon)
  --from, --to       the period, local dates of the site, --to excluded (default: the readings' span)
  --kva-month-euros  the fixed part per kVA and month, to price over-subscription (default: the
                     subscription part of each cabinet's tariff option valid at the period's end,
                     else ${DEFAULT_THRESHOLDS.eurosPerKvaMonth})
  --format           table (default), json or csv (semicolon, decimal comma)
Exit code: 0 no finding, 1 findings or input problems (one line per problem on stderr), 2 bad usage.`;

const DateFlag = z.iso.date('must be a date YYYY-MM-DD');

const Flags = z.strictObject({
  ...SITE_FLAGS,
  readings: z.string({ error: 'required: the utility readings (CSV)' }).min(1),
  from: DateFlag.optional(),
  to: DateFlag.optional(),
  'kva-month-euros': z.coerce.number().min(0).max(1000).optional(),
  format: z.enum(['json', 'table', 'csv']).default('table'),
});

export const command = defineCommand({
  name: 'reconcile',
  summary:
    "compare the utility's readings with the plans per delivery point (findings on stderr-free output)",
  usage: USAGE,
  options: {
    ...SITE_OPTIONS,
    readings: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'kva-month-euros': { type: 'string' },
    format: { type: 'string' },
  },
  flags: Flags,
  async run(flags) {
    const site = await loadSiteOrReport(flags);
    if (site === null) return 1;
    const { config, luminaires, cabinets } = site;
    const parsed = parseUtilityReadings(await readFile(flags.readings), flags.readings, {
      deliveryPoints: new Set(cabinets.map((c) => c.deliveryPointId)),
      timeZone: config.site.timezone,
    });
    if (!parsed.ok) return reportProblems(parsed.problems);
    const clock = ZoneClock.of(config.site.timezone);
    const span = readingsSpan(parsed.value);
    if (span === null && (flags.from === undefined || flags.to === undefined)) {
      return fail([`${flags.readings}: no readings, and no --from/--to period`]);
    }
    const from = flags.from === undefined ? (span?.from ?? 0) : clock.toEpoch(flags.from, 0);
    const to = flags.to === undefined ? (span?.to ?? 0) : clock.toEpoch(flags.to, 0);
    const nights = Math.round((to - from) / 86_400);
    if (to <= from || nights > MAX_RECONCILE_NIGHTS) {
      return fail([`the period must be 1..${MAX_RECONCILE_NIGHTS} days long (--from before --to)`]);
    }
    const result = reconcileSite({
      config,
      luminaires,
      cabinets,
      readings: parsed.value,
      period: { from, to },
      ...(flags['kva-month-euros'] === undefined ? {} : { eurosPerKvaMonth: flags['kva-month-euros'] }),
    });
    const output = {
      period: { from: clock.format(from), to: clock.format(to) },
      metered: 'not available offline: compared with the plans',
      ...result,
    };
    process.stdout.write(
      flags.format === 'json'
        ? `${JSON.stringify(output, null, 2)}\n`
        : flags.format === 'csv'
          ? reconciliationCsv(result)
          : reconciliationTable(result, output.period),
    );
    return result.findings.length > 0 ? 1 : 0;
  },
});

function fail(lines: readonly string[]): 1 {
  process.stderr.write(`${lines.join('\n')}\n`);
  return 1;
}

/** The period the readings cover: the load curve's first interval start to its last interval end. */
function readingsSpan(readings: UtilityReadings): { from: number; to: number } | null {
  if (readings.kind !== 'load-curve') return null;
  const spans = [...readings.curves.values()]
    .filter((curve) => curve.starts.length > 0)
    .map((curve) => curveSpan(curve, readings.intervalSeconds));
  if (spans.length === 0) return null;
  return { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) };
}

const COLUMNS = [
  'deliveryPointId',
  'cabinetIds',
  'billedKwh',
  'plannedKwh',
  'maxDemandKva',
  'subscribedKva',
  'daylightKwh',
] as const;

function cells(result: Reconciliation, decimal: (n: number) => string): string[][] {
  return result.deliveryPoints.map((point) =>
    COLUMNS.map((column) => {
      const value = point[column];
      if (Array.isArray(value)) return value.join(' ');
      return typeof value === 'number' ? decimal(value) : String(value ?? '');
    }),
  );
}

function reconciliationCsv(result: Reconciliation): string {
  const rows = [
    COLUMNS.join(';'),
    ...cells(result, (n) => n.toFixed(1).replace('.', ',')).map((row) => row.join(';')),
  ];
  return `${rows.join('\n')}\n`;
}

function reconciliationTable(result: Reconciliation, period: { from: string; to: string }): string {
  const rows = [[...COLUMNS], ...cells(result, (n) => n.toFixed(1))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const lines = [
    `period ${period.from} to ${period.to}; metered energy: not available offline (compared with the plans); power factor ${result.thresholds.powerFactor} assumed for kVA`,
    ...rows.map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    ),
    '',
    ...(result.findings.length === 0
      ? ['no findings']
      : result.findings.map(
          (f) => `${f.kind}  ${f.deliveryPointId} (${f.cabinetIds.join(', ')}): ${f.message}`,
        )),
  ];
  return `${lines.join('\n')}\n`;
}
