/**
 * The cost of the deployment per luminaire-month, measured: a small site (the example's Cité zone,
 * its luminaires and presence sensors) runs a simulated day through the real local pipeline with
 * 15-minute telemetry while a cost meter counts what AWS would bill (local-runtime/metered-run.ts);
 * the counts are extrapolated to a month at 10,000 and 200,000 luminaires and priced with
 * schedules/cost/prices-eu-west-3.json (docs/cost.md). The scheduled functions' runs are measured
 * apart at two sizes (the zone, the whole example) to split what each run pays whatever the fleet
 * from what grows with it (local-runtime/scheduled-scaling.ts).
 *
 * Fails when fewer than 99 % of the reports due reached the pipeline, or presence dropped more than
 * 2 % of the detections as late: the figure would then depend on the machine's load.
 *
 * Prints one line:
 * `cost: $<X> per luminaire-month at 10,000, $<Y> at 200,000 (15-min telemetry); Lambda by wall clock: …`
 * Flags (environment): BENCH_ZONE (cite), BENCH_HOURS (24), BENCH_SPEED (900 simulated s per s),
 * BENCH_SWEEPS (alarm sweeps measured at each size, 3), BENCH_RUNS_FROM (a measurement file: take
 * the scheduled functions' runs measured alone from it instead of measuring them again; they run
 * without devices, so a change to the fleet's reports leaves them as they were),
 * BENCH_COST_SNAPSHOT (a path: write the measurement there, e.g. docs/cost/measured-night.json,
 * then `npm run cost:readme`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadSite } from '#cli/load-site.ts';
import { FIREHOSE_LIMITS } from '#functions/archive/aggregate-records.ts';
import { fleetReportingFunction, functionNamed } from '#functions/registry.ts';
import { METRICS } from '#functions/shared/metrics.ts';
import { meterLocalRun } from '#local-runtime/metered-run.ts';
import { meterScheduledRuns } from '#local-runtime/scheduled-scaling.ts';
import { fleetPeakToMean } from '#schedules/cost/capacity.ts';
import { ledgerModelFor, telemetryShardsFor } from '#schedules/cost/monthly.ts';
import { archivePutsFor } from '#schedules/cost/raw-archive.ts';
import { benchLine, QUOTED_FLEETS } from '#schedules/cost/report.ts';
import {
  type Deployment,
  Measurement,
  type RawArchiveBatching,
  type RunSample,
} from '#schedules/cost/usage.ts';
import { formatProblem, type Luminaire, ZoneClock } from '#schedules/index.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import { loadPrices } from '#scripts/cost-readme.ts';

// The handlers run in this process, not in Lambda: no X-Ray daemon takes their trace segments.
process.env.POWERTOOLS_TRACE_ENABLED = 'false';

const ZONE = process.env.BENCH_ZONE ?? 'cite';
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const SPEED = Number(process.env.BENCH_SPEED ?? 900);
const SWEEPS = Number(process.env.BENCH_SWEEPS ?? 3);
const TELEMETRY_EVERY_SECONDS = 900;
/** Reports due that must reach the pipeline for the figure to stand. */
const REPORTS_NEEDED = 0.99;
/** Detections presence may drop as late before the figure depends on the machine's load. */
const LATE_ALLOWED = 0.02;
/** An equinox: its night is the year's average length, so the day's level changes are too. */
const DAY = '2026-03-20';
const EXAMPLE = 'examples/carcassonne';

/**
 * Counted from the deployment's definitions: every custom metric with each value of its dimensions
 * (functions/shared/metrics.ts); the alarms' metrics and the dashboard of
 * infra/constructs/monitoring.ts; the raw-report delivery stream's 900 s buffer (h/raw's
 * infra/constructs/raw-report-delivery.ts, one hourly partition written at a time); the SQS event source's five
 * idle long-pollers (20 s each) on the one queue with a function behind it; how the raw archive
 * function batches the stream and packs Firehose records (its registry entry, Firehose's limits).
 */
const RAW_ARCHIVE = functionNamed('raw-archive', 'stream-reader');
const RAW_ARCHIVE_BATCHING: RawArchiveBatching = {
  function: RAW_ARCHIVE.name,
  batchSize: RAW_ARCHIVE.trigger.batchSize,
  batchWindowSeconds: RAW_ARCHIVE.trigger.batchWindowSeconds,
  reportsPerRecord: FIREHOSE_LIMITS.reportsPerRecord,
  recordsPerCall: FIREHOSE_LIMITS.recordsPerCall,
  callBytes: FIREHOSE_LIMITS.callBytes,
};
const LEDGER = functionNamed(fleetReportingFunction().name, 'iot-stream');
const DEPLOYMENT: Deployment = {
  customMetrics: Object.values(METRICS).reduce(
    (sum, metric) =>
      sum +
      Object.values(metric.dimensions as Record<string, readonly string[]>).reduce(
        (product, values) => product * values.length,
        1,
      ),
    0,
  ),
  alarmMetrics: 18,
  dashboards: 1,
  firehoseBufferSeconds: 900,
  idleQueuePollsPerMonth: 5 * 3 * 60 * 24 * 30,
  ledgerFunction: LEDGER.name,
  ledgerBatching: {
    batchSize: LEDGER.trigger.batchSize,
    batchWindowSeconds: LEDGER.trigger.batchWindowSeconds,
  },
  rawArchive: RAW_ARCHIVE_BATCHING,
};

const site = await loadSite(`${EXAMPLE}/config.json`, `${EXAMPLE}/luminaires.geojson`);
if (!site.ok) throw new Error(site.problems.map(formatProblem).join('\n'));
const { config } = site.value;
const luminaires = site.value.luminaires.filter((l) => l.zone === ZONE);
const sensors = PresenceSensor.array()
  .parse(JSON.parse(readFileSync(`${EXAMPLE}/sensors.json`, 'utf8')))
  .filter((s) => s.zone === ZONE);
// Noon to noon: one plan push, one whole night, a day of 15-minute reports and alarm sweeps.
const from = ZoneClock.of(config.site.timezone).toEpoch(DAY, 12 * 3600);

// Each scheduled run at the zone's size and the whole example's, on a night (the sweep judges levels).
const runsOf = (fleet: readonly Luminaire[], sweeps: number) =>
  meterScheduledRuns({
    config,
    luminaires: fleet,
    cabinets: site.value.cabinets.filter((c) => fleet.some((l) => l.cabinet === c.id)),
    at: from + 11 * 3600,
    sweeps,
  });
const runsFrom = process.env.BENCH_RUNS_FROM;
const measuredBefore = (at: 0 | 1): Record<string, RunSample> => {
  const { functions } = Measurement.parse(JSON.parse(readFileSync(runsFrom ?? '', 'utf8'))).usage;
  return Object.fromEntries(
    Object.entries(functions).flatMap(([name, fn]) =>
      fn.runAtSizes === undefined ? [] : [[name, fn.runAtSizes[at]] as const],
    ),
  );
};
// A file measured before the push's chunks were has them measured now, with the push (no sweep).
const runsAt = async (at: 0 | 1, fleet: readonly Luminaire[]) => {
  if (runsFrom === undefined) return runsOf(fleet, SWEEPS);
  const before = measuredBefore(at);
  return 'plan-push-chunk' in before ? before : { ...before, ...(await runsOf(fleet, 0)) };
};
const small = await runsAt(0, luminaires);
const large = await runsAt(1, site.value.luminaires);
const one = (run: RunSample | undefined) =>
  run === undefined
    ? 'not measured'
    : `${run.luminaires} luminaires ${run.cpuMs.toFixed(0)} ms CPU, ` +
      `round trips ${JSON.stringify(run.awsRounds)}, ${run.readUnits} read units`;
for (const name of Object.keys(small))
  process.stderr.write(`${name}, one run: ${one(small[name])}; ${one(large[name])}\n`);

const started = performance.now();
const usage = await meterLocalRun({
  config,
  luminaires,
  cabinets: site.value.cabinets.filter((c) => luminaires.some((l) => l.cabinet === c.id)),
  sensors,
  from,
  hours: HOURS,
  speed: SPEED,
  telemetryEverySeconds: TELEMETRY_EVERY_SECONDS,
  pushAt: '13:00',
  log: (message) => process.stderr.write(`${message}\n`),
});
const reportsDue = (luminaires.length * HOURS * 3600) / TELEMETRY_EVERY_SECONDS;
process.stderr.write(
  `${luminaires.length} luminaires, ${sensors.length} sensors, ${HOURS} simulated hours in ${((performance.now() - started) / 1000).toFixed(0)} s: ` +
    `${usage.kinesis.records} reports arrived of ${reportsDue} due, ` +
    `at most ${usage.kinesis.peakMinuteRecords} in a minute ` +
    `(${(((usage.kinesis.peakMinuteRecords ?? 0) * HOURS * 60) / usage.kinesis.records).toFixed(2)} × the mean), ` +
    `${usage.iot.messages} messages, ${usage.iot.basicIngestMessages} by Basic Ingest, ${usage.iot.shadowOperations} shadow units, ` +
    `alarm sweep ${usage.functions['alarm-sweep']?.requests} runs of ${usage.functions['alarm-sweep']?.scheduledRuns} starts\n`,
);
// What the messages and shadow operations are made of, per luminaire-day (ADR 0020).
const perLuminaireDay = (byKind: Record<string, number> | undefined) =>
  Object.entries(byKind ?? {})
    .sort(([, a], [, b]) => b - a)
    .map(([kind, count]) => `${kind} ${((count * 24) / HOURS / luminaires.length).toFixed(2)}`)
    .join(', ');
process.stderr.write(
  `messages per luminaire-day by kind: ${perLuminaireDay(usage.iot.messagesByKind)}\n` +
    `shadow units per luminaire-day by kind: ${perLuminaireDay(usage.iot.shadowOperationsByKind)}\n`,
);
// What each function did in the day: where the on-demand units and the log bytes come from.
for (const [name, fn] of Object.entries(usage.functions))
  process.stderr.write(
    `${name}: ${fn.requests} requests, ${fn.readUnits} read and ${fn.writeUnits} write units, ${fn.logBytes} log bytes\n`,
  );
// A detection presence received more than its hold after it happened boosts nothing: the boosts'
// lines stand only if the run's clock (not the sensors) made few of them late (ADR 0017, 18.).
const presence = usage.functions.presence;
const detections = presence?.requests ?? 0;
const late = presence?.dropped?.late ?? 0;
process.stderr.write(
  `presence: ${detections} detections, ${late} dropped as late (${((100 * late) / Math.max(1, detections)).toFixed(1)} %), ` +
    `dropped by reason ${JSON.stringify(presence?.dropped ?? {})}\n`,
);
if (late > LATE_ALLOWED * detections)
  throw new Error(`${late} of ${detections} detections dropped as late: the boosts' lines would not stand`);
if (usage.kinesis.records < REPORTS_NEEDED * reportsDue)
  throw new Error(
    `only ${usage.kinesis.records} of ${reportsDue} reports due arrived: the figure would not stand`,
  );

for (const [name, fn] of Object.entries(usage.functions)) {
  const [atSmall, atLarge] = [small[name], large[name]];
  if (atSmall !== undefined && atLarge !== undefined) fn.runAtSizes = [atSmall, atLarge];
}

const measurement = Measurement.parse({
  measuredOn: new Date().toISOString().slice(0, 10),
  luminaires: luminaires.length,
  sensors: sensors.length,
  simulatedHours: HOURS,
  telemetryEverySeconds: TELEMETRY_EVERY_SECONDS,
  // The agents' default: each reports at its own instant of the whole period.
  reportSpreadSeconds: TELEMETRY_EVERY_SECONDS,
  host: { cpus: cpus().length, loadAverage: loadavg()[0] },
  usage,
  deployment: DEPLOYMENT,
});
process.stderr.write(
  `the ledger's busiest minute modelled from the spread: ${QUOTED_FLEETS.map((f) => `${fleetPeakToMean(measurement, f.luminaires).toFixed(3)} × the mean at ${f.luminaires}`).join(', ')}\n`,
);
const archivedAt = (luminaires: number) => {
  const months = (30 * 24) / HOURS;
  const puts = archivePutsFor(
    usage.kinesis.records * (luminaires / measurement.luminaires) * months,
    usage.kinesis.recordBytes / usage.kinesis.records,
    telemetryShardsFor(measurement, luminaires),
    30 * 24 * 3600,
    RAW_ARCHIVE_BATCHING,
  );
  return `${puts.reportsPerRecord.toFixed(0)} reports a record, ${(puts.records / 1e6).toFixed(2)} M records, ${(puts.billedBytes / 1024 ** 3).toFixed(1)} GB billed, ${(puts.batches / 1e6).toFixed(3)} M invocations at ${luminaires}`;
};
process.stderr.write(
  `raw archive: locally ${usage.firehose.records} Firehose records put for ${usage.kinesis.records} reports ` +
    `(${(usage.kinesis.records / Math.max(1, usage.firehose.records)).toFixed(1)} a record, ${usage.functions[RAW_ARCHIVE.name]?.requests} invocations); ` +
    `on AWS, modelled: ${QUOTED_FLEETS.map((f) => archivedAt(f.luminaires)).join('; ')}\n`,
);
const ledgerRun = usage.functions[LEDGER.name]?.batches;
if (ledgerRun !== undefined) {
  const per = (units: number) => (units / Math.max(1, ledgerRun.records)).toFixed(2);
  const modelledAt = (luminaires: number) => {
    const m = ledgerModelFor(measurement, luminaires);
    return m === undefined
      ? `not modelled at ${luminaires}`
      : `at ${luminaires} batches of ${m.reportsPerBatch.toFixed(0)} reports, a report ${m.writeUnits.toFixed(2)} write units ` +
          `(${m.own.writeUnits.toFixed(2)} its own), ${m.readUnits.toFixed(2)} read (${m.own.readUnits.toFixed(2)}), ` +
          `${m.cpuMs.toFixed(2)} ms CPU (${m.own.cpuMs.toFixed(2)}), ${m.rounds.toFixed(3)} round trips`;
  };
  process.stderr.write(
    `ledger: locally ${ledgerRun.batches} batches of ${(ledgerRun.records / Math.max(1, ledgerRun.batches)).toFixed(1)} reports ` +
      `(${ledgerRun.luminaireVisits} luminaire visits), a report ${per(ledgerRun.ownWriteUnits + ledgerRun.sharedWriteUnits)} write units ` +
      `(${per(ledgerRun.ownWriteUnits)} on its luminaire's items, ${per(ledgerRun.sharedWriteUnits)} on ${ledgerRun.sharedItemsWritten} writes of ${ledgerRun.sharedItems} other items: rejects, no rollup since Wave 9), ` +
      `${per(ledgerRun.ownReadUnits + ledgerRun.sharedReadUnits)} read units (${per(ledgerRun.ownReadUnits)} own); ` +
      `on AWS, modelled: ${QUOTED_FLEETS.map((f) => modelledAt(f.luminaires)).join('; ')}\n`,
  );
}
const snapshot = process.env.BENCH_COST_SNAPSHOT;
if (snapshot !== undefined) writeFileSync(snapshot, `${JSON.stringify(measurement, null, 2)}\n`);
console.log(benchLine(measurement, loadPrices()));
