import { type CapacityMode, fleetPeakToMean, provisionedUnitsFor } from './capacity.ts';
import { gbSecondsOf, type LambdaBasis } from './duration.ts';
import { type LedgerPerReport, ledgerPerReport, ledgerUsageAt, reportsPerBatch } from './ledger-batches.ts';
import { type PriceKey, type PriceTable, priceOf } from './prices.ts';
import { archivePutsFor } from './raw-archive.ts';
import { splitUsage } from './run-scaling.ts';
import type { FunctionUsage, Measurement } from './usage.ts';

/**
 * A month of the deployment at a given fleet size, from one measured run of a smaller site
 * (docs/cost.md explains the extrapolation): what the fleet does scales with the number of
 * luminaires and with time; what runs on a timetable or is provisioned (schedules, shards,
 * dashboards, metrics, alarms) does not grow with the fleet.
 */
export type Scaling = 'perLuminaire' | 'fixed';

export interface CostLine {
  readonly item: string;
  readonly scaling: Scaling;
  readonly quantity: number;
  readonly price: PriceKey;
  readonly usd: number;
}

export interface MonthlyCost {
  readonly luminaires: number;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  readonly perLuminaireUsd: number;
  /** Of the total, what grows with the fleet and what does not. */
  readonly scalingUsd: Readonly<Record<Scaling, number>>;
}

export const HOURS_PER_MONTH = 30 * 24;
/** Raw reports are kept 13 months (S3 lifecycle): in steady state, 13 months of them are stored. */
export const RAW_REPORT_MONTHS = 13;
const GB = 1024 ** 3;
const SHARD_RECORDS_PER_SECOND = 1_000;

/**
 * Provisioned shards of the telemetry stream for a fleet: its busiest minute's records a second
 * (the measured run's mean per luminaire, times the fleet, times the fleet's peak-to-mean) at half
 * a shard's record rate, at least one.
 */
export function telemetryShardsFor(measurement: Measurement, luminaires: number): number {
  const seconds = measurement.simulatedHours * 3600;
  const mean = (measurement.usage.kinesis.records / measurement.luminaires / seconds) * luminaires;
  return Math.max(
    1,
    Math.ceil((2 * mean * fleetPeakToMean(measurement, luminaires)) / SHARD_RECORDS_PER_SECOND),
  );
}

/**
 * The ledger's work per report at a fleet of `luminaires`, with the batches AWS would give it: the
 * fleet's mean report rate over the stream's shards, for the mapping's window (ADR 0017, 20.).
 * Undefined for a run measured before its batches were.
 */
export function ledgerModelFor(measurement: Measurement, luminaires: number): LedgerPerReport | undefined {
  const sums = measurement.usage.functions[measurement.deployment.ledgerFunction]?.batches;
  const batching = measurement.deployment.ledgerBatching;
  if (sums === undefined || batching === undefined || sums.records === 0) return undefined;
  const scale = luminaires / measurement.luminaires;
  const perSecond = (sums.records / (measurement.simulatedHours * 3600)) * scale;
  const batch = reportsPerBatch(perSecond, telemetryShardsFor(measurement, luminaires), batching);
  return ledgerPerReport(sums, scale, batch);
}

/** A scheduled function's measured work stands for every start the scheduler made (see `scheduledRuns`). */
const runsPerRequest = (fn: FunctionUsage): number =>
  fn.runs === 'scheduled' && fn.requests > 0 ? fn.scheduledRuns / fn.requests : 1;

export interface CostOptions {
  /** Lambda durations as modelled (default) or as the wall clock measured them (an upper bound). */
  readonly lambda?: LambdaBasis;
  /** The ledger table's capacity mode: on demand as deployed (default), or provisioned to compare (ADR 0017). */
  readonly ledger?: CapacityMode;
}

export function monthlyCost(
  measurement: Measurement,
  prices: PriceTable,
  luminaires: number,
  options: CostOptions = {},
): MonthlyCost {
  if (!(Number.isInteger(luminaires) && luminaires >= 1))
    throw new RangeError('luminaires must be a positive integer');
  const { lambda = 'modelled', ledger = 'onDemand' } = options;
  const { usage, deployment } = measurement;
  const months = HOURS_PER_MONTH / measurement.simulatedHours;
  const fleet = (luminaires / measurement.luminaires) * months;
  const lines: CostLine[] = [];
  const line = (item: string, scaling: Scaling, measured: number, price: PriceKey) => {
    const quantity = measured * (scaling === 'perLuminaire' ? fleet : months);
    lines.push({ item, scaling, quantity, price, usd: priceOf(prices, price, quantity) });
  };
  /** A month's quantity modelled for the fleet rather than scaled from the run. */
  const modelled = (item: string, scaling: Scaling, quantity: number, price: PriceKey) =>
    lines.push({ item, scaling, quantity, price, usd: priceOf(prices, price, quantity) });
  const provisioned = (item: string, quantity: number, price: PriceKey) =>
    modelled(item, 'fixed', quantity, price);

  line(
    'IoT connectivity (connection-minutes)',
    'perLuminaire',
    usage.iot.connectionMinutes,
    'iotConnectivity',
  );
  line('IoT messaging (5 KB messages)', 'perLuminaire', usage.iot.messages, 'iotMessaging');
  line('IoT shadow operations (1 KB units)', 'perLuminaire', usage.iot.shadowOperations, 'iotShadow');
  line('IoT rules triggered', 'perLuminaire', usage.iot.rulesTriggered, 'iotRulesTriggered');
  line('IoT rule actions', 'perLuminaire', usage.iot.ruleActions, 'iotRuleActions');
  line(
    'Kinesis PUT payload units (25 KB)',
    'perLuminaire',
    usage.kinesis.putPayloadUnits,
    'kinesisPutPayloadUnits',
  );
  const shards = telemetryShardsFor(measurement, luminaires);
  provisioned('Kinesis shard-hours', shards * HOURS_PER_MONTH, 'kinesisShardHour');
  const archive = deployment.rawArchive;
  const puts =
    archive === undefined
      ? undefined
      : archivePutsFor(
          usage.kinesis.records * fleet,
          usage.kinesis.recordBytes / Math.max(1, usage.kinesis.records),
          shards,
          HOURS_PER_MONTH * 3600,
          archive,
        );
  if (puts === undefined)
    line(
      'Firehose GB ingested (5 KB records)',
      'perLuminaire',
      usage.firehose.billedBytes / GB,
      'firehoseGbIngested',
    );
  else
    modelled(
      'Firehose GB ingested (records of up to 500 reports, 5 KB blocks)',
      'perLuminaire',
      puts.billedBytes / GB,
      'firehoseGbIngested',
    );
  // One partition (the day) is written at a time: an object per buffer interval.
  provisioned(
    'S3 PUTs (Firehose buffer flushes)',
    (HOURS_PER_MONTH * 3600) / deployment.firehoseBufferSeconds,
    's3Put',
  );
  line(
    `S3 GB-months (${RAW_REPORT_MONTHS} months of compressed raw reports)`,
    'perLuminaire',
    (usage.firehose.compressedBytes * RAW_REPORT_MONTHS) / GB,
    's3StorageGbMonth',
  );
  const ledgerModel = ledgerModelFor(measurement, luminaires);
  const modelledFunctions: Record<string, FunctionUsage> = Object.fromEntries(
    Object.entries(usage.functions).map(([name, fn]) => [
      name,
      name === deployment.ledgerFunction && ledgerModel !== undefined ? ledgerUsageAt(fn, ledgerModel) : fn,
    ]),
  );
  const measured = Object.entries(modelledFunctions).sort(([a], [b]) => a.localeCompare(b));
  // What a scheduled run pays whatever the fleet is billed per run; the rest grows with the fleet.
  const split = measured.map(([name, fn]) => ({ name, fn, ...splitUsage(fn, measurement.luminaires) }));
  const functions = split.map(({ name, growing }) => [name, growing] as const);
  const fixedParts = split.map(({ name, fixed }) => [name, fixed] as const);
  for (const { name, fn, fixed, growing } of split) {
    const gbSeconds = (work: FunctionUsage) =>
      gbSecondsOf(work, prices.lambdaTiming, lambda) * runsPerRequest(fn);
    if (puts !== undefined && name === archive?.function) {
      // Its invocations and calls are AWS's batches (a minute of a shard), not the local run's.
      modelled(
        `Lambda ${name} requests (a shard's minute each)`,
        'perLuminaire',
        puts.batches,
        'lambdaRequests',
      );
      const waits = { ...fn, cpuMs: 0, awsRounds: { firehose: puts.calls } };
      modelled(
        `Lambda ${name} GB-seconds (${fn.memoryMb} MB)`,
        'perLuminaire',
        gbSeconds({ ...fn, awsRounds: {} }) * fleet + gbSeconds(waits),
        'lambdaArmGbSecond',
      );
      continue;
    }
    if (fn.runs === 'scheduled') line(`Lambda ${name} requests`, 'fixed', fn.scheduledRuns, 'lambdaRequests');
    else if (name === deployment.ledgerFunction && ledgerModel !== undefined)
      line(
        `Lambda ${name} requests (a shard's batch window each, modelled)`,
        'perLuminaire',
        fn.requests,
        'lambdaRequests',
      );
    else if (fn.runAtSizes !== undefined)
      // Measured per invocation at two sizes, it is invoked as often whatever the fleet (the push's chunks: a shard each).
      line(`Lambda ${name} requests`, 'fixed', fn.requests, 'lambdaRequests');
    else line(`Lambda ${name} requests`, 'perLuminaire', fn.requests, 'lambdaRequests');
    if (fn.runAtSizes !== undefined)
      line(`Lambda ${name} runs' fixed part, GB-seconds`, 'fixed', gbSeconds(fixed), 'lambdaArmGbSecond');
    line(
      `Lambda ${name} GB-seconds (${fn.memoryMb} MB)`,
      'perLuminaire',
      gbSeconds(growing),
      'lambdaArmGbSecond',
    );
  }
  const sum = (
    pick: (fn: FunctionUsage) => number,
    of: readonly (readonly [string, FunctionUsage])[] = functions,
  ) => of.reduce((total, [, fn]) => total + pick(fn) * runsPerRequest(fn), 0);
  // On provisioned capacity the ledger's units are capacity-hours; everything else stays on demand.
  const onDemand =
    ledger === 'provisioned' ? functions.filter(([name]) => name !== deployment.ledgerFunction) : functions;
  line(
    'DynamoDB write request units (on demand)',
    'perLuminaire',
    sum((fn) => fn.writeUnits, onDemand),
    'dynamoWriteUnits',
  );
  line(
    'DynamoDB read request units (on demand)',
    'perLuminaire',
    sum((fn) => fn.readUnits, onDemand),
    'dynamoReadUnits',
  );
  if (split.some(({ fn }) => fn.runAtSizes !== undefined)) {
    line(
      "DynamoDB scheduled runs' fixed part, write request units",
      'fixed',
      sum((fn) => fn.writeUnits, fixedParts),
      'dynamoWriteUnits',
    );
    line(
      "DynamoDB scheduled runs' fixed part, read request units",
      'fixed',
      sum((fn) => fn.readUnits, fixedParts),
      'dynamoReadUnits',
    );
  }
  const ledgerFn = modelledFunctions[deployment.ledgerFunction];
  if (ledger === 'provisioned' && ledgerFn !== undefined) {
    const peakToMean = fleetPeakToMean(measurement, luminaires);
    const capacityHours = (units: number) =>
      provisionedUnitsFor((units * fleet) / HOURS_PER_MONTH, peakToMean) * HOURS_PER_MONTH;
    provisioned(
      'DynamoDB ledger table write capacity (provisioned, unit-hours)',
      capacityHours(ledgerFn.writeUnits),
      'dynamoWriteCapacityHour',
    );
    // A read capacity unit is two eventually consistent reads a second: read request units, by and large.
    provisioned(
      'DynamoDB ledger table read capacity (provisioned, unit-hours)',
      capacityHours(ledgerFn.readUnits),
      'dynamoReadCapacityHour',
    );
  }
  line('CloudWatch Logs GB ingested', 'perLuminaire', sum((fn) => fn.logBytes) / GB, 'logsIngestedGb');
  // A push sends one chunk a luminaire shard (256) whatever the fleet: its messages do not grow with it.
  line('SQS requests (plan-push chunks)', 'fixed', usage.sqsRequests, 'sqsRequests');
  provisioned('SQS requests (idle long polls)', deployment.idleQueuePollsPerMonth, 'sqsRequests');
  line('EventBridge Scheduler invocations', 'fixed', usage.schedulerInvocations, 'schedulerInvocations');
  provisioned('CloudWatch custom metrics', deployment.customMetrics, 'customMetricMonth');
  provisioned('CloudWatch alarm metrics', deployment.alarmMetrics, 'alarmMetricMonth');
  provisioned('CloudWatch dashboards', deployment.dashboards, 'dashboardMonth');

  const totalOf = (scaling?: Scaling) =>
    lines.filter((l) => scaling === undefined || l.scaling === scaling).reduce((t, l) => t + l.usd, 0);
  const totalUsd = totalOf();
  return {
    luminaires,
    lines,
    totalUsd,
    perLuminaireUsd: totalUsd / luminaires,
    scalingUsd: { perLuminaire: totalOf('perLuminaire'), fixed: totalOf('fixed') },
  };
}
