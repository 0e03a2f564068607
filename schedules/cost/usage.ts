import { z } from 'zod';

/**
 * The billable operations of a measured run, in the units AWS bills them (docs/cost.md): what the local
 * stand-ins count while the real handlers run, and what `docs/cost/measured-night.json` keeps.
 */

const Count = z.number().finite().min(0);

const AwsRounds = z.record(z.string().regex(/^[a-z]+(\+[a-z]+)*$/), Count);

/** One run of a scheduled function on a site of `luminaires`, averaged over the runs measured there. */
export const RunSample = z.strictObject({
  luminaires: z.number().int().min(1),
  cpuMs: Count,
  awsRounds: AwsRounds,
  readUnits: Count,
  writeUnits: Count,
});
export type RunSample = z.output<typeof RunSample>;

/**
 * A stream function's batches (one invocation each) in a run, kept as sums: what a batch costs
 * whatever its size and what each record adds (the least-squares line through the batches, from
 * `records`, `recordsSquared` and the `…ByRecords` products), and its DynamoDB units split by item
 * (schedules/cost/ledger-batches.ts models the fleet's batches from them).
 */
export const BatchSums = z.strictObject({
  batches: Count,
  /** Σ records of each batch, and Σ of their squares. */
  records: Count,
  recordsSquared: Count,
  cpuMs: Count,
  /** Σ records × CPU ms of each batch. */
  cpuMsByRecords: Count,
  /** Round trips waited for, all services together (`awsRounds` splits them). */
  rounds: Count,
  roundsByRecords: Count,
  /**
   * Σ over batches of the luminaires whose own items (their partition, AP6: meter, nights, alarms)
   * the batch read or wrote: on AWS each report is one (a luminaire reports every period, a batch
   * spans seconds); in a fast local run a batch may hold several reports of one luminaire.
   */
  luminaireVisits: Count,
  ownReadUnits: Count,
  ownWriteUnits: Count,
  /** Σ over batches of the other items each wrote (rejects; zone and street rollups before Wave 9). */
  sharedItemsWritten: Count,
  sharedReadUnits: Count,
  sharedWriteUnits: Count,
  /** Distinct other items written in the whole run: how many of them the site has. */
  sharedItems: Count,
  /**
   * The same by kind of item (its partition key's kind: `REJECTS`; before Wave 9 also `ZONEDAY`,
   * `STREETMONTH`): the batches that wrote one, Σ the items each wrote, the distinct items of the run.
   */
  sharedKinds: z
    .record(z.string().min(1), z.strictObject({ batches: Count, written: Count, items: Count }))
    .default({}),
});
export type BatchSums = z.output<typeof BatchSums>;

/** What one function did: its work is attributed to it while it runs (DynamoDB units, log bytes). */
export const FunctionUsage = z.strictObject({
  /** `scheduled`: runs on a timetable (its requests do not grow with the fleet, its work does). */
  runs: z.enum(['perEvent', 'scheduled']),
  memoryMb: z.number().int().min(128).max(10_240),
  /**
   * Times the scheduler started a scheduled function. A start due while the last run goes on joins
   * it (reserved concurrency 1), more often on a fast simulated clock than on AWS: each start is
   * billed as a run doing the measured runs' average work.
   */
  scheduledRuns: Count,
  requests: Count,
  /**
   * Σ ceil(wall-clock ms) × memory, in GB-seconds: the handlers' durations on the bench machine,
   * stretched by its load. An upper bound; the bill uses `cpuMs` and `awsRounds` (docs/cost.md).
   */
  gbSeconds: Count,
  /** CPU time of the function's own code (its callbacks, the SDK's work for it), on the bench machine. */
  cpuMs: Count,
  /**
   * Round trips to AWS the invocations waited for, by the services in flight together (`dynamodb`,
   * `dynamodb+iotdata`): each request counts 1 / the most requests in flight with it, so k sent
   * together are one round trip and N sent c at a time are N / c.
   */
  awsRounds: AwsRounds,
  readUnits: Count,
  writeUnits: Count,
  logBytes: Count,
  /**
   * A scheduled function's run measured apart at two fleet sizes (the local site without devices,
   * local-runtime/scheduled-scaling.ts): what of a run does not grow with the fleet
   * (schedules/cost/run-scaling.ts). Absent: all of its work grows with the fleet.
   */
  runAtSizes: z.tuple([RunSample, RunSample]).optional(),
  /** Its batches of stream records, when it reads a stream. Absent in runs measured before. */
  batches: BatchSums.optional(),
  /** Events it returned as dropped, by reason (presence: `late`, `unknown-sensor`…). */
  dropped: z.record(z.string().min(1), Count).optional(),
});
export type FunctionUsage = z.output<typeof FunctionUsage>;

export const Usage = z.strictObject({
  iot: z.strictObject({
    /** Device-minutes connected, on the simulated clock. */
    connectionMinutes: Count,
    /** Metered messages (5 KB units): publishes from devices, deliveries to them, their PUBACKs and SUBSCRIBEs. */
    messages: Count,
    /** Messages on `$aws/rules/...`: no messaging charge, counted for the record. */
    basicIngestMessages: Count,
    /** Device Shadow operations in 1 KB units. */
    shadowOperations: Count,
    /**
     * `messages` and `shadowOperations` by kind (a topic's direction, shadow, operation and reply;
     * `connect`, `subscribe`, `puback`): what a run's counts are made of. Absent in runs measured before.
     */
    messagesByKind: z.record(z.string().min(1), Count).optional(),
    shadowOperationsByKind: z.record(z.string().min(1), Count).optional(),
    rulesTriggered: Count,
    ruleActions: Count,
  }),
  kinesis: z.strictObject({
    records: Count,
    putPayloadUnits: Count,
    recordBytes: Count,
    /**
     * The most records put in one simulated minute: with `records` over the run's minutes, the
     * stream's and so the ledger's peak-to-mean (ADR 0017). Absent in runs measured before it was.
     */
    peakMinuteRecords: Count.optional(),
  }),
  /** Raw reports to S3 through Firehose, modelled from the records the telemetry stream carries. */
  firehose: z.strictObject({ records: Count, billedBytes: Count, compressedBytes: Count }),
  functions: z.record(z.string().min(1), FunctionUsage),
  schedulerInvocations: Count,
  sqsRequests: Count,
});
export type Usage = z.output<typeof Usage>;

/**
 * How the raw archive function reads the telemetry stream (its registry entry) and packs reports
 * into Firehose records (functions/archive/aggregate-records.ts): what the month's Firehose records
 * and the function's invocations at a fleet size are modelled from (schedules/cost/raw-archive.ts).
 */
export const RawArchiveBatching = z.strictObject({
  function: z.string().min(1),
  batchSize: z.number().int().min(1).max(10_000),
  batchWindowSeconds: z.number().int().min(1).max(300),
  /** Reports in one Firehose record at most (record de-aggregation's limit: 500). */
  reportsPerRecord: z.number().int().min(1).max(500),
  /** Records in one PutRecordBatch call at most (500), and its bytes (4 MiB). */
  recordsPerCall: z.number().int().min(1).max(500),
  callBytes: z
    .number()
    .int()
    .min(1)
    .max(4 * 1024 * 1024),
});
export type RawArchiveBatching = z.output<typeof RawArchiveBatching>;

/**
 * What the deployment holds whatever the traffic, counted from its definitions rather than from a
 * run: the custom metrics the functions emit, the metrics the alarms watch, the dashboards, how
 * long Firehose buffers before it writes an S3 object.
 */
export const Deployment = z.strictObject({
  customMetrics: z.number().int().min(0),
  alarmMetrics: z.number().int().min(0),
  dashboards: z.number().int().min(0),
  firehoseBufferSeconds: z.number().int().min(60).max(900),
  /** ReceiveMessage calls of the queue event sources when idle, per month (long polls). */
  idleQueuePollsPerMonth: z.number().int().min(0),
  /** The function writing the telemetry ledger: its units are the ledger table's load (ADR 0017). */
  ledgerFunction: z.string().min(1),
  /**
   * How the ledger reads the telemetry stream (its registry entry): what an AWS batch holds at a
   * fleet size (schedules/cost/ledger-batches.ts). Absent in runs measured before.
   */
  ledgerBatching: z
    .strictObject({
      batchSize: z.number().int().min(1).max(10_000),
      batchWindowSeconds: z.number().int().min(0).max(300),
    })
    .optional(),
  /**
   * The raw archive's reader of the telemetry stream, putting reports aggregated (ADR 0013).
   * Absent in runs measured before: Firehose then read the stream, one record a report.
   */
  rawArchive: RawArchiveBatching.optional(),
});
export type Deployment = z.output<typeof Deployment>;

/** A measured run: the site it ran and for how long (simulated), and what it used. */
export const Measurement = z.strictObject({
  measuredOn: z.iso.date(),
  luminaires: z.number().int().min(1),
  sensors: z.number().int().min(0),
  simulatedHours: z
    .number()
    .positive()
    .max(24 * 31),
  telemetryEverySeconds: z.number().int().positive(),
  /**
   * The window of each period the run's agents spread their reports over (ControllerConfig): what
   * models the fleet's busiest minute (ADR 0017, 15.). Absent in runs measured before it was kept.
   */
  reportSpreadSeconds: z.number().int().min(0).optional(),
  /**
   * The machine the run was measured on: Lambda durations are the handlers' wall-clock times there,
   * stretched by whatever else ran (the whole pipeline and the fleet share one process; other
   * processes share the cores).
   */
  host: z.strictObject({ cpus: z.number().int().min(1), loadAverage: z.number().min(0) }),
  usage: Usage,
  deployment: Deployment,
});
export type Measurement = z.output<typeof Measurement>;

export const KB = 1024;
/** Billing units of `bytes` in blocks of `unitBytes`: any started block counts, and nothing is at least one. */
export const unitsOf = (bytes: number, unitBytes: number): number =>
  Math.max(1, Math.ceil(bytes / unitBytes));

/** A count by kind with `units` more of `kind`. */
const addTo = (byKind: Record<string, number> | undefined, kind: string, units: number) => {
  const counts = byKind ?? {};
  counts[kind] = (counts[kind] ?? 0) + units;
  return counts;
};

/** What one invocation's batch did, as the metering saw it. */
export interface MeteredBatch {
  readonly records: number;
  readonly cpuMs: number;
  readonly rounds: number;
  /** Luminaires whose own items it touched. */
  readonly luminaires: number;
  readonly own: { readonly read: number; readonly write: number };
  readonly shared: { readonly read: number; readonly write: number };
  /** The keys of the other items it wrote, each once. */
  readonly sharedWritten: readonly string[];
}

/** The kind of an item by its key (`SITE#{site}#{KIND}#…|{sk}`), or the whole partition key. */
const kindOf = (key: string): string => {
  const pk = key.split('|')[0] ?? key;
  return pk.split('#')[2] ?? pk;
};

/** A function's batches before its first. */
export const emptyBatchSums = (): BatchSums => ({
  batches: 0,
  records: 0,
  recordsSquared: 0,
  cpuMs: 0,
  cpuMsByRecords: 0,
  rounds: 0,
  roundsByRecords: 0,
  luminaireVisits: 0,
  ownReadUnits: 0,
  ownWriteUnits: 0,
  sharedItemsWritten: 0,
  sharedReadUnits: 0,
  sharedWriteUnits: 0,
  sharedItems: 0,
  sharedKinds: {},
});

/** A function before its first invocation. */
export const unusedFunction = (runs: FunctionUsage['runs'], memoryMb: number): FunctionUsage => ({
  runs,
  memoryMb,
  scheduledRuns: 0,
  requests: 0,
  gbSeconds: 0,
  cpuMs: 0,
  awsRounds: {},
  readUnits: 0,
  writeUnits: 0,
  logBytes: 0,
});

export const emptyUsage = (): Usage => ({
  iot: {
    connectionMinutes: 0,
    messages: 0,
    basicIngestMessages: 0,
    shadowOperations: 0,
    rulesTriggered: 0,
    ruleActions: 0,
  },
  kinesis: { records: 0, putPayloadUnits: 0, recordBytes: 0, peakMinuteRecords: 0 },
  firehose: { records: 0, billedBytes: 0, compressedBytes: 0 },
  functions: {},
  schedulerInvocations: 0,
  sqsRequests: 0,
});

/**
 * Counts billable operations as they happen, in their billing units. Pure bookkeeping: the local
 * runtime's ports (SDK middleware, invoker and broker hooks) call it; it does no I/O itself.
 */
export class CostMeter {
  readonly #usage: Usage = emptyUsage();
  /** Devices connected now, with the (simulated) second they connected. */
  readonly #connectedSince = new Map<string, number>();
  /** Stream records by the simulated minute they were put in (epoch minutes). */
  readonly #recordsByMinute = new Map<number, number>();
  /** Each function's distinct shared items written (see `BatchSums.sharedItems`). */
  readonly #sharedItems = new Map<string, Set<string>>();

  deviceConnected(clientId: string, at: number): void {
    if (!this.#connectedSince.has(clientId)) this.#connectedSince.set(clientId, at);
  }

  deviceDisconnected(clientId: string, at: number): void {
    const since = this.#connectedSince.get(clientId);
    if (since === undefined) return;
    this.#connectedSince.delete(clientId);
    this.#usage.iot.connectionMinutes += Math.max(0, at - since) / 60;
  }

  /** An MQTT packet AWS meters (PUBLISH either way, SUBSCRIBE, a device's PUBACK): 5 KB units. */
  message(bytes: number, kind: string): void {
    const { iot } = this.#usage;
    const units = unitsOf(bytes, 5 * KB);
    iot.messages += units;
    iot.messagesByKind = addTo(iot.messagesByKind, kind, units);
  }

  basicIngest(): void {
    this.#usage.iot.basicIngestMessages += 1;
  }

  shadowOperation(bytes: number, kind: string): void {
    const { iot } = this.#usage;
    const units = unitsOf(bytes, KB);
    iot.shadowOperations += units;
    iot.shadowOperationsByKind = addTo(iot.shadowOperationsByKind, kind, units);
  }

  ruleTriggered(actions: number): void {
    this.#usage.iot.rulesTriggered += 1;
    // AWS meters at least one action per rule triggered.
    this.#usage.iot.ruleActions += Math.max(1, actions);
  }

  /** A record put on the telemetry stream at `at` (simulated epoch seconds). */
  streamRecord(bytes: number, at: number): void {
    const { kinesis } = this.#usage;
    kinesis.records += 1;
    const minute = Math.floor(at / 60);
    const inMinute = (this.#recordsByMinute.get(minute) ?? 0) + 1;
    this.#recordsByMinute.set(minute, inMinute);
    kinesis.peakMinuteRecords = Math.max(kinesis.peakMinuteRecords ?? 0, inMinute);
    kinesis.putPayloadUnits += unitsOf(bytes, 25 * KB);
    kinesis.recordBytes += bytes;
  }

  /** A record put to the raw report delivery stream, of many reports: Firehose bills whole 5 KB blocks. */
  firehoseRecord(bytes: number): void {
    const { firehose } = this.#usage;
    firehose.records += 1;
    firehose.billedBytes += unitsOf(bytes, 5 * KB) * 5 * KB;
  }

  /** Bytes of stream records once compressed as Firehose writes them to S3 (GZIP). */
  rawReportsCompressed(bytes: number): void {
    this.#usage.firehose.compressedBytes += bytes;
  }

  #function(name: string, runs: FunctionUsage['runs'], memoryMb: number): FunctionUsage {
    let usage = this.#usage.functions[name];
    if (usage === undefined) {
      usage = unusedFunction(runs, memoryMb);
      this.#usage.functions[name] = usage;
    }
    return usage;
  }

  /** Declares a function before it runs, so its DynamoDB units and logs have a place to go. */
  declareFunction(name: string, runs: FunctionUsage['runs'], memoryMb: number): void {
    this.#function(name, runs, memoryMb);
  }

  invocation(name: string, durationMs: number): void {
    const fn = this.#known(name);
    fn.requests += 1;
    fn.gbSeconds += (Math.ceil(durationMs) / 1000) * (fn.memoryMb / 1024);
  }

  cpu(name: string, ms: number): void {
    this.#known(name).cpuMs += ms;
  }

  /**
   * A stretch of AWS requests an invocation waited for, `services` in flight together, worth
   * `rounds` round trips (requests overlapping as the handler's concurrency made them).
   */
  awsRound(name: string, services: readonly string[], rounds = 1): void {
    const known = this.#known(name).awsRounds;
    const key = [...new Set(services)].sort().join('+');
    known[key] = (known[key] ?? 0) + rounds;
  }

  capacity(name: string, kind: 'read' | 'write', units: number): void {
    const fn = this.#known(name);
    if (kind === 'read') fn.readUnits += units;
    else fn.writeUnits += units;
  }

  /** A batch of `records` stream records one invocation of `name` handled, and what it did. */
  batch(name: string, batch: MeteredBatch): void {
    const fn = this.#known(name);
    const sums = fn.batches ?? emptyBatchSums();
    fn.batches = sums;
    const n = batch.records;
    sums.batches += 1;
    sums.records += n;
    sums.recordsSquared += n * n;
    sums.cpuMs += batch.cpuMs;
    sums.cpuMsByRecords += n * batch.cpuMs;
    sums.rounds += batch.rounds;
    sums.roundsByRecords += n * batch.rounds;
    sums.luminaireVisits += batch.luminaires;
    sums.ownReadUnits += batch.own.read;
    sums.ownWriteUnits += batch.own.write;
    sums.sharedItemsWritten += batch.sharedWritten.length;
    sums.sharedReadUnits += batch.shared.read;
    sums.sharedWriteUnits += batch.shared.write;
    const seen = this.#sharedItems.get(name) ?? new Set<string>();
    this.#sharedItems.set(name, seen);
    for (const item of batch.sharedWritten) seen.add(item);
    sums.sharedItems = seen.size;
    const byKind = new Map<string, number>();
    for (const item of batch.sharedWritten) byKind.set(kindOf(item), (byKind.get(kindOf(item)) ?? 0) + 1);
    for (const [kind, written] of byKind) {
      const counted = sums.sharedKinds[kind] ?? { batches: 0, written: 0, items: 0 };
      counted.batches += 1;
      counted.written += written;
      counted.items = [...seen].filter((item) => kindOf(item) === kind).length;
      sums.sharedKinds[kind] = counted;
    }
  }

  /** An event `name` returned as dropped, for `reason`. */
  dropped(name: string, reason: string): void {
    const fn = this.#known(name);
    fn.dropped = { ...fn.dropped, [reason]: (fn.dropped?.[reason] ?? 0) + 1 };
  }

  logBytes(name: string, bytes: number): void {
    this.#known(name).logBytes += bytes;
  }

  #known(name: string): FunctionUsage {
    const fn = this.#usage.functions[name];
    if (fn === undefined) throw new Error(`cost meter: function ${name} was not declared`);
    return fn;
  }

  schedulerInvocation(name: string): void {
    this.#usage.schedulerInvocations += 1;
    this.#known(name).scheduledRuns += 1;
  }

  sqsRequests(count: number): void {
    this.#usage.sqsRequests += count;
  }

  /** The usage so far; devices still connected count up to `at`. */
  snapshot(at: number): Usage {
    const usage = structuredClone(this.#usage);
    for (const since of this.#connectedSince.values())
      usage.iot.connectionMinutes += Math.max(0, at - since) / 60;
    return usage;
  }
}
