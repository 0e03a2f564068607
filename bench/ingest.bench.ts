/**
 * The telemetry ledger at speed: a fleet's reports go through the local telemetry stream (the same
 * Kinesis stand-in `npm start` uses: 4 shards, the registry's batch size, the local batching window)
 * into the batched ledger handler on DynamoDB Local, with 5 % of the reports delivered twice and
 * some late. When the stream is drained, the invariant is checked: the luminaire-night items (the
 * only items the ledger writes; zone and street figures are the night close's) must hold exactly the
 * sum of the devices' meter increases.
 *
 * Prints one line:
 * `ingest: <N> reports/s into DynamoDB Local, lost <L>, double-counted <D>; <R> requests, <I> items,
 *  <W> write and <U> read units, CPU <C> ms node + <J> ms DynamoDB Local per report (after an untimed warm-up of <W> reports)`
 * - N: reports put on the stream / seconds from the first put to the stream drained;
 * - L, D: Wh missing from, or counted beyond, the devices' meter increases in the luminaire-night
 *   items;
 * - R, I, W, U, C, J: what each report cost while ingesting, figures that hold under any machine load
 *   (unlike N): DynamoDB requests and the items they read or wrote, the capacity units they
 *   consumed (ReturnConsumedCapacity, what on-demand pricing bills), and the CPU time of this
 *   process and of DynamoDB Local's Java process (from /proc, where there is one).
 * Before the clock starts, the reports of BENCH_WARMUP_LUMINAIRES go through a site of their own on
 * the same DynamoDB Local (its JIT compiles during the first thousands of requests).
 * Flags (environment): BENCH_LUMINAIRES (2000), BENCH_REPORTS (12 per luminaire),
 * BENCH_WARMUP_LUMINAIRES (300), BENCH_ROUND_BY_ROUND=1 (each round of reports drained before the
 * next is put: a luminaire's reports in separate batches, as at scale, and counts that do not
 * depend on the machine's load).
 */
import { existsSync, readFileSync } from 'node:fs';
import { type ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { functionNamed } from '#functions/registry.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { createTables, makeStores } from '#functions/store/index.ts';
import { makeHandler, thingLookup } from '#functions/telemetry/ledger.handler.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local-cloud/index.ts';
import { localBatching } from '#local-runtime/local-site.ts';
import { startLocalRecordStream } from '#local-runtime/record-stream.ts';
import type { TelemetryEvent } from '#protocol/messages/telemetry.ts';
import { formatProblem, parseConfig } from '#schedules/index.ts';
import { Luminaire as LuminaireSchema } from '#schedules/inventory/schema.ts';

const N = Number(process.env.BENCH_LUMINAIRES ?? 2_000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 12);
const WARMUP = Number(process.env.BENCH_WARMUP_LUMINAIRES ?? 300);
/** Each round drained before the next is put: every batch holds at most one report of a luminaire. */
const ROUND_BY_ROUND = process.env.BENCH_ROUND_BY_ROUND === '1';
const SITE = 'bench';
/** 2026-06-21 22:00 UTC: the reports fall in one night, when no luminaire is day-burning. */
const START = Date.parse('2026-06-21T22:00:00Z') / 1000;

const CONFIG_FILE = 'examples/carcassonne/config.json';
const parsed = parseConfig(JSON.parse(readFileSync(CONFIG_FILE, 'utf8')), CONFIG_FILE);
if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
const config = parsed.value;

const luminaires = Array.from({ length: N }, (_, n) =>
  LuminaireSchema.parse({
    id: `I-${String(n).padStart(6, '0')}`,
    lat: 43.2 + (n % 100) * 0.0002,
    lon: 2.35 + Math.floor(n / 100) * 0.0003,
    street: `Rue ${Math.floor(n / 40)}`,
    zone: `zone-${n % 8}`,
    ledWatts: 40,
    baselineWatts: 150,
  }),
);

/** Each luminaire's reports, 15 minutes apart, drawing 10 to 40 W; the meter's total rise. */
function reportsOf(
  luminaire: (typeof luminaires)[number],
  n: number,
): { events: TelemetryEvent[]; rise: number } {
  let energy = 10_000 + n;
  const events: TelemetryEvent[] = [];
  for (let seq = 0; seq < REPORTS; seq++) {
    if (seq > 0) energy += 3 + ((n + seq) % 8);
    const ts = START + seq * 900;
    events.push({
      thing: luminaire.thingName,
      ts,
      seq,
      counterId: `drv-${luminaire.id}`,
      energyWh: energy,
      burningHours: 1_000 + seq * 0.25,
      level: 70,
      powerW: 28,
      planHash: null,
      faults: [],
      receivedAt: (ts + 2) * 1000,
    });
  }
  return { events, rise: energy - (10_000 + n) };
}

/** CPU milliseconds (user + system) a process has used, from /proc; undefined where there is none. */
function processCpuMs(pid: number | undefined): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(file, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const CLOCK_TICKS_PER_SECOND = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The items a DynamoDB request reads or writes (keys asked for a batch read; 1 for a single item). */
function itemsOf(input: Record<string, unknown>): number {
  const batch = input.RequestItems as Record<string, { Keys?: unknown[] } | unknown[]> | undefined;
  if (batch === undefined) return 1;
  return Object.values(batch).reduce<number>(
    (sum, table) => sum + (Array.isArray(table) ? table.length : (table.Keys?.length ?? 0)),
    0,
  );
}

const dynamo = await startDynamoDbLocal({ startTimeoutMs: 120_000 });
try {
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  // DynamoDB Local serves each request in Java on the same two cores: requests, not items, are its
  // cost, so the bench counts them by command.
  const requests = new Map<string, number>();
  let items = 0;
  // The capacity units DynamoDB Local says each request consumed: what on-demand pricing bills.
  const units = { read: 0, write: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '?';
      requests.set(command, (requests.get(command) ?? 0) + 1);
      const input = args.input as Record<string, unknown>;
      items += itemsOf(input);
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      // DynamoDB Local gives the total as CapacityUnits: a read's or a write's by the command.
      const reads = ['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand'].includes(command);
      for (const c of [consumed ?? []].flat()) {
        units.read += c.ReadCapacityUnits ?? (reads ? (c.CapacityUnits ?? 0) : 0);
        units.write += c.WriteCapacityUnits ?? (reads ? 0 : (c.CapacityUnits ?? 0));
      }
      return result;
    },
    { step: 'initialize', name: 'countRequests' },
  );
  /** A site on its own tables, with its own ledger handler (own lookup cache) behind a stream. */
  const siteOn = async (site: string, fleet: readonly (typeof luminaires)[number][]) => {
    await createTables(client, { main: `${site}-main`, telemetry: `${site}-telemetry` });
    const stores = makeStores({
      db: documentClientFor(client),
      tableName: `${site}-main`,
      telemetryTableName: `${site}-telemetry`,
      site,
    });
    await stores.luminaires.put(fleet);
    await stores.config.replace(config);
    const handler = makeHandler({
      config: async () => config,
      luminairesOf: thingLookup(stores.luminaires, () => Date.now() / 1000),
      meters: stores.telemetry,
      rollups: stores.rollups,
      alarms: stores.alarms,
      rejects: stores.rejects,
      countReject: () => {},
      now: () => START,
    });
    const stream = startLocalRecordStream(handler, {
      name: site,
      shards: 4,
      ...localBatching(functionNamed('telemetry', 'iot-stream').trigger),
    });
    return { stores, stream };
  };

  // The JIT of DynamoDB Local (and of node) compiles its hot paths during the first thousands of
  // requests: a warm-up on other tables, not timed nor counted, so the figures are those of a warm server.
  const warm = await siteOn('warmup', luminaires.slice(0, WARMUP));
  for (const [n, luminaire] of luminaires.slice(0, WARMUP).entries()) {
    for (const event of reportsOf(luminaire, n).events) warm.stream.put(event.thing, JSON.stringify(event));
  }
  await warm.stream.drained();
  warm.stream.stop();
  const warmedUp = warm.stream.stats().put;

  const { stores, stream } = await siteOn(SITE, luminaires);

  const fleet = luminaires.map((l, n) => reportsOf(l, n));
  const expected = fleet.reduce((sum, f) => sum + f.rise, 0);
  // Round by round, as the fleet reports; 5 % of the reports come twice, the copy a round late.
  const rounds: TelemetryEvent[][] = Array.from({ length: REPORTS + 1 }, () => []);
  fleet.forEach(({ events }, n) => {
    events.forEach((event, seq) => {
      rounds[seq]?.push(event);
      if ((n * 31 + seq * 7) % 20 === 0) rounds[seq + 1]?.push(event);
    });
  });
  const put = rounds.reduce((sum, r) => sum + r.length, 0);
  // The devices' work, not the ingest's: each report is encoded before the clock starts.
  const encoded = rounds.map((round) => round.map((event) => [event.thing, JSON.stringify(event)] as const));
  requests.clear();
  items = 0;
  units.read = 0;
  units.write = 0;
  const javaCpuBefore = processCpuMs(dynamo.pid);
  const nodeCpuBefore = process.cpuUsage();
  const started = performance.now();
  for (const round of encoded) {
    for (const [thing, data] of round) stream.put(thing, data);
    await (ROUND_BY_ROUND ? stream.drained() : new Promise((resolve) => setImmediate(resolve)));
  }
  await stream.drained();
  const seconds = (performance.now() - started) / 1000;
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const nodeCpuMs = (nodeCpu.user + nodeCpu.system) / 1000;
  const javaCpuAfter = processCpuMs(dynamo.pid);
  const javaCpuMs =
    javaCpuBefore === undefined || javaCpuAfter === undefined ? undefined : javaCpuAfter - javaCpuBefore;
  const requestCount = [...requests.values()].reduce((a, b) => a + b, 0);
  stream.stop();
  const during = [...requests].map(([command, n]) => `${command.replace(/Command$/, '')} ${n}`).join(', ');

  const night = '2026-06-21';
  const nights = await Promise.all(
    luminaires.map((l) => stores.rollups.luminaireNights(l.id, night, '2026-06-22')),
  );
  // The ledger writes only the luminaire-night items: zone and street figures are the night close's.
  const ledgerWh = nights.flat().reduce((total, n) => total + n.wh, 0);
  const lost = Math.max(0, expected - ledgerWh);
  const doubled = Math.max(0, ledgerWh - expected);
  process.stderr.write(
    `${put} reports (${put - N * REPORTS} duplicates) of ${N} luminaires in ${seconds.toFixed(1)} s; expected ${expected} Wh, luminaire-night items ${ledgerWh} Wh; stream retries ${stream.stats().retried}\nDynamoDB requests while ingesting (${requestCount}, ${items} items): ${during}; CPU ${nodeCpuMs.toFixed(0)} ms node, ${javaCpuMs?.toFixed(0) ?? '?'} ms DynamoDB Local\n`,
  );
  const perReport = (n: number | undefined, digits: number) =>
    n === undefined ? '?' : (n / put).toFixed(digits);
  console.log(
    `ingest: ${Math.round(put / seconds)} reports/s into DynamoDB Local, lost ${lost}, double-counted ${doubled}; ${perReport(requestCount, 3)} requests, ${perReport(items, 2)} items, ${perReport(units.write, 2)} write and ${perReport(units.read, 2)} read units, CPU ${perReport(nodeCpuMs, 3)} ms node + ${perReport(javaCpuMs, 3)} ms DynamoDB Local per report (after an untimed warm-up of ${warmedUp} reports)`,
  );
  if (lost > 0 || doubled > 0) process.exitCode = 1;
} finally {
  await dynamo.stop();
}
