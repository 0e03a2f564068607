/**
 * Utility reconciliation at scale: a year of half-hourly load curve (17,520 intervals) for each of
 * BENCH_POINTS delivery points (500), generated as French semicolon exports (one file per delivery
 * point, as the utility's portal delivers them), parsed by the import and reconciled over the year.
 *
 * Prints one line:
 * `reconcile: <T> s for a year of half-hourly readings of <N> delivery points (parse <P> s, reconcile <R> s, <F> findings)`
 * Generating the file is not timed: each file is generated (as the bytes an upload or a read file
 * delivers), then parsed, one at a time. BENCH_ROW_READER=1 times the row reader instead of the fast
 * path (the reference the fast path is tested against), to compare the two back to back.
 */
import { performance } from 'node:perf_hooks';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import {
  type LoadCurve,
  parseUtilityReadings,
  parseUtilityReadingsByRow,
} from '#schedules/utility/readings.ts';
import { type ReconcileCabinet, reconcile } from '#schedules/utility/reconcile.ts';

const POINTS = Number(process.env.BENCH_POINTS ?? 500);
const ROW_READER = process.env.BENCH_ROW_READER === '1';
const FROM = Date.parse('2025-12-31T23:00:00Z') / 1000;
const INTERVALS = 17_520;
const clock = ZoneClock.of('Europe/Paris');

const cabinets: ReconcileCabinet[] = Array.from({ length: POINTS }, (_, n) => ({
  id: `C-${n}`,
  lat: 43 + (n % 20) * 0.05,
  lon: 2 + Math.floor(n / 20) * 0.05,
  deliveryPointId: String(30_000_000_000_000 + n),
  subscribedKva: 6 + (n % 30),
  lineLossPercent: 3,
}));

/** Local `dd/mm/yyyy HH:MM` of each interval start, shared by every file. */
const stamps = Array.from({ length: INTERVALS }, (_, i) => {
  const iso = clock.format(FROM + i * 1800);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
});
const hours = Array.from({ length: INTERVALS }, (_, i) =>
  Number(clock.format(FROM + i * 1800).slice(11, 13)),
);

function exportOf(cabinet: ReconcileCabinet, n: number): string {
  const lines = ['PDL;timestamp;powerW'];
  const lit = 800 + (n % 40) * 100;
  for (let i = 0; i < INTERVALS; i++) {
    const hour = hours[i] ?? 0;
    const watts = hour >= 19 || hour < 7 ? lit : n % 50 === 0 && hour === 12 ? lit / 2 : 0;
    lines.push(`${cabinet.deliveryPointId};${stamps[i]};${String(watts).replace('.', ',')}`);
  }
  return lines.join('\r\n');
}

const deliveryPoints = new Set(cabinets.map((c) => c.deliveryPointId));

// Files are generated one at a time, as an import receives them, and only their parsing is timed.
let parseMs = 0;
let parseCpuMs = 0;
let bytes = 0;
const curves = new Map<string, LoadCurve>();
for (const [n, cabinet] of cabinets.entries()) {
  const text = exportOf(cabinet, n);
  const file = Buffer.from(text);
  bytes += file.length;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const source = `pdl-${n}.csv`;
  const parsed = ROW_READER
    ? parseUtilityReadingsByRow(text, source, { deliveryPoints })
    : parseUtilityReadings(file, source, { deliveryPoints });
  if (!parsed.ok || parsed.value.kind !== 'load-curve') throw new Error(`${source} did not parse`);
  for (const [id, curve] of parsed.value.curves) curves.set(id, curve);
  parseCpuMs += cpuMs(process.cpuUsage(cpu));
  parseMs += performance.now() - started;
}
const reconcileStarted = performance.now();
const reconcileCpu = process.cpuUsage();
const result = reconcile({
  cabinets,
  readings: { kind: 'load-curve', intervalSeconds: 1800, curves },
  period: { from: FROM, to: FROM + INTERVALS * 1800 },
  plannedKwh: new Map(cabinets.map((c, n) => [c.id, ((800 + (n % 40) * 100) * 12 * 365) / 1000])),
});
const reconcileCpuMs = cpuMs(process.cpuUsage(reconcileCpu));
const reconcileMs = performance.now() - reconcileStarted;
const seconds = (ms: number) => (ms / 1000).toFixed(2);
console.log(
  `reconcile: ${seconds(parseMs + reconcileMs)} s for a year of half-hourly readings of ${POINTS} delivery points ` +
    `(parse ${seconds(parseMs)} s, reconcile ${seconds(reconcileMs)} s, ${result.findings.length} findings)`,
);
console.log(
  `  ${ROW_READER ? 'row reader' : 'fast path'}: ${POINTS * INTERVALS} rows, ${(bytes / 1e6).toFixed(1)} MB; ` +
    `CPU parse ${seconds(parseCpuMs)} s, reconcile ${seconds(reconcileCpuMs)} s`,
);

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
