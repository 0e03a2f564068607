/**
 * The nightly plan push for a whole city against the local IoT Core stand-in limited like an AWS
 * account (4,000 shadow requests/s, 20 per thing), with push state in DynamoDB Local. The same code
 * as on AWS: the schedule handler fans out one chunk per shard; "Lambda containers" (workers, each
 * with its own SDK clients) run the chunk handler; chunks reported failed are delivered again, as
 * SQS would. Then the same night is pushed again, which must send nothing.
 *
 * Prints one line:
 * `push: <N> updates in <T> s (<r>/s; limit allows <N/limit> s), lost <L>, duplicated <D>; unchanged night: <U> updates; the stand-in alone takes <c>/s on this machine`
 * - updates: shadow updates the stand-in accepted; T: from the schedule event to the last chunk done;
 * - lost: luminaires without an accepted update or without a recorded push state;
 * - duplicated: luminaires whose plan shadow accepted more than one update;
 * - the stand-in's own ceiling on this machine (updates/s with nothing else running), since a small
 *   shared machine may not reach the account limit at all.
 * Details (loading time, 429s, redelivered chunks, sampled shadow check) go to stderr.
 * Flags (environment): BENCH_LUMINAIRES (200000), BENCH_ACCOUNT_LIMIT (4000), BENCH_WORKERS (4),
 * BENCH_CONCURRENCY (32 updates in flight per worker), BENCH_CABINETS (0; 1: a connected cabinet per
 * 75 consecutive luminaires, one in four of them without its own controller, and a second line:
 * `push cabinets: <C> connected; inventory reads: schedule <S>, chunks <K> (a chunk read it whenever
 * its shard had a luminaire behind a connected cabinet: <B> of them before wave 7)`); the cabinets'
 * plans are pushed every night, so the unchanged night then sends <C> updates.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { makeHandler as makeChunkHandler } from '#functions/plan-push/chunk.handler.ts';
import type { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import { makePlanPusher } from '#functions/plan-push/plan-pusher.ts';
import { makeHandler as makeScheduleHandler } from '#functions/plan-push/schedule.handler.ts';
import { mapBounded, withBackoff } from '#functions/shared/backoff.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { logger } from '#functions/shared/logger.ts';
import { makeShadowStore, type ShadowStore } from '#functions/shared/shadow-store.ts';
import { createTables, LUMINAIRE_SHARDS, makeStores, type Stores, shardOf } from '#functions/store/index.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local-cloud/index.ts';
import { ShadowPlan } from '#protocol/shadows.ts';
import { Cabinet, formatProblem, type Luminaire, parseConfig } from '#schedules/index.ts';
import { Luminaire as LuminaireSchema } from '#schedules/inventory/schema.ts';

const N = Number(process.env.BENCH_LUMINAIRES ?? 200_000);
const ACCOUNT_LIMIT = Number(process.env.BENCH_ACCOUNT_LIMIT ?? 4_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CABINETS = process.env.BENCH_CABINETS === '1';
/** Luminaires per cabinet, as in the example city. */
const PER_CABINET = 75;
const SAMPLE = 300;
/** 2026-06-21 13:00 Paris, when the daily schedule fires. */
const SCHEDULED = '2026-06-21T11:00:00Z';
const SITE = 'bench';

const CONFIG_FILE = 'examples/carcassonne/config.json';
const parsed = parseConfig(JSON.parse(readFileSync(CONFIG_FILE, 'utf8')), CONFIG_FILE);
if (!parsed.ok) throw new Error(parsed.problems.map(formatProblem).join('\n'));
/** The Carcassonne site's profiles and calendar: the generated zones get its default rule. */
const config = parsed.value;

/** A city of N luminaires on a grid around the site, 25 m apart along 50-luminaire streets. */
function city(): Luminaire[] {
  const perRow = Math.ceil(Math.sqrt(N));
  return Array.from({ length: N }, (_, n) => {
    const row = Math.floor(n / perRow);
    const col = n % perRow;
    return LuminaireSchema.parse({
      id: `C-${String(n).padStart(6, '0')}`,
      lat: 43.17 + row * 0.0002,
      lon: 2.28 + col * 0.0003,
      street: `Rue ${row}-${Math.floor(col / 50)}`,
      zone: `zone-${String(Math.floor((row * 10) / perRow) * 10 + Math.floor((col * 10) / perRow)).padStart(2, '0')}`,
      ledWatts: 40,
      baselineWatts: 150,
      ...(CABINETS
        ? { cabinet: cabinetId(Math.floor(n / PER_CABINET)), ...(n % 4 === 0 ? { controller: 'none' } : {}) }
        : {}),
    });
  });
}

const cabinetId = (k: number) => `CAB-${String(k).padStart(4, '0')}`;

/** With BENCH_CABINETS, a connected cabinet per PER_CABINET consecutive luminaires, at the first one. */
function cabinetsOf(luminaires: readonly Luminaire[]): Cabinet[] {
  if (!CABINETS) return [];
  return luminaires
    .filter((_, n) => n % PER_CABINET === 0)
    .map((first, k) =>
      Cabinet.parse({
        id: cabinetId(k),
        lat: first.lat,
        lon: first.lon,
        zone: first.zone,
        deliveryPointId: String(20_000_000_000_000 + k),
        subscribedKva: 6,
        tariffOption: 'ep-c5',
        controller: 'connected',
        thingName: cabinetId(k),
      }),
    );
}

/** The inventory reads (every shard) of the pushers given this store. */
function countingInventory(stores: Stores, reads: { count: number }): Stores['luminaires'] {
  return {
    ...stores.luminaires,
    listAll: () => {
      reads.count++;
      return stores.luminaires.listAll();
    },
  };
}

async function startIotStandIn(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'cli/main.ts',
      'iot-local',
      '--mqtt-port',
      '0',
      '--http-port',
      '0',
      '--account-limit',
      String(ACCOUNT_LIMIT),
      '--per-thing-limit',
      '20',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const match = /ready .*http=(\S+)/.exec(line);
    if (match?.[1]) return { endpoint: match[1], child };
  }
  throw new Error('iot-local exited before it was ready');
}

/** The data-plane adapter, counting what the stand-in accepted and refused per thing. */
function countingShadows(
  real: ShadowStore,
  accepted: Map<string, number>,
  refused: { count: number },
): ShadowStore {
  return {
    async update(thing, shadow, document) {
      const result = await real.update(thing, shadow, document);
      if (result.ok) accepted.set(thing, (accepted.get(thing) ?? 0) + 1);
      else refused.count++;
      return result;
    },
    get: real.get,
  };
}

interface Run {
  readonly seconds: number;
  readonly accepted: Map<string, number>;
  readonly refused: number;
  readonly redelivered: number;
  /** Whole-inventory reads by the schedule handler and by the chunks. */
  readonly inventoryReads: { readonly schedule: number; readonly chunks: number };
}

async function pushNight(
  stores: Stores,
  containers: readonly { shadows: ShadowStore; stores: Stores }[],
): Promise<Run> {
  const accepted = new Map<string, number>();
  const refused = { count: 0 };
  const queue: ChunkMessage[] = [];
  let redelivered = 0;
  const scheduleReads = { count: 0 };
  const chunkReads = { count: 0 };
  const started = performance.now();
  await makeScheduleHandler({
    config: stores.config,
    queue: { enqueue: async (messages) => void queue.push(...messages) },
    cabinets: makePlanPusher({
      ...stores,
      luminaires: countingInventory(stores, scheduleReads),
      shadows: countingShadows((containers[0] as { shadows: ShadowStore }).shadows, accepted, refused),
      now: () => Date.parse(SCHEDULED) / 1000,
    }),
  })({ scheduledTime: SCHEDULED, executionId: `bench-${Date.now()}` });
  await Promise.all(
    containers.map(async (container) => {
      const chunk = makeChunkHandler({
        pusher: makePlanPusher({
          config: { load: async () => config },
          luminaires: countingInventory(container.stores, chunkReads),
          cabinets: container.stores.cabinets,
          contactors: container.stores.contactors,
          pushState: container.stores.pushState,
          shadows: countingShadows(container.shadows, accepted, refused),
          now: () => Date.parse(SCHEDULED) / 1000,
          concurrency: CONCURRENCY,
        }),
        metrics: () => {},
      });
      for (let message = queue.shift(); message !== undefined; message = queue.shift()) {
        const { batchItemFailures } = await chunk({
          Records: [{ messageId: String(message.shard), body: JSON.stringify(message) }],
        });
        if (batchItemFailures.length > 0) {
          redelivered++;
          queue.push(message);
        }
      }
    }),
  );
  return {
    seconds: (performance.now() - started) / 1000,
    accepted,
    refused: refused.count,
    redelivered,
    inventoryReads: { schedule: scheduleReads.count, chunks: chunkReads.count },
  };
}

/**
 * What the stand-in accepts per second on this machine with the same updates in flight and nothing
 * else to do (no planning, no DynamoDB): the ceiling of any push measured here.
 */
async function standInCeiling(shadows: readonly ShadowStore[]): Promise<number> {
  const count = 5_000;
  const document = {
    state: {
      desired: { plan: { h: 'ceiling', t0: 0, s: [0, 100, 3_600, 70, 7_200, 0], until: 86_400, fb: 100 } },
    },
  };
  const started = performance.now();
  await mapBounded(
    Array.from({ length: count }, (_, i) => i),
    WORKERS * CONCURRENCY,
    async (i) => {
      await withBackoff(
        () => (shadows[i % shadows.length] as ShadowStore).update(`ceiling-${i}`, 'plan', document),
        (r) => !r.ok && r.reason === 'throttled',
      );
    },
  );
  return Math.round(count / ((performance.now() - started) / 1000));
}

const log = (line: string) => process.stderr.write(`push bench: ${line}\n`);

// One log line per chunk is what CloudWatch wants, not this terminal.
logger.setLogLevel('SILENT');

const dynamo = await startDynamoDbLocal();
const iot = await startIotStandIn();
try {
  const client = () =>
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const names = { main: 'bench-main', telemetry: 'bench-telemetry' };
  await createTables(client(), names);
  const location = { tableName: names.main, telemetryTableName: names.telemetry, site: SITE };
  const stores = makeStores({ db: documentClientFor(client()), ...location });
  const luminaires = city();
  const cabinets = cabinetsOf(luminaires);
  // What the nightly push plans: the cabinets, and the luminaires with their own controller.
  const planned = luminaires.filter((l) => l.controller !== 'none');
  const devices = [...planned, ...cabinets];
  let t = performance.now();
  await stores.config.replace(config);
  await stores.cabinets.put(cabinets);
  for (let i = 0; i < luminaires.length; i += 5_000)
    await stores.luminaires.put(luminaires.slice(i, i + 5_000));
  log(
    `loaded ${N} luminaires in ${((performance.now() - t) / 1000).toFixed(1)} s (${LUMINAIRE_SHARDS} shards)`,
  );

  const containers = Array.from({ length: WORKERS }, () => ({
    stores: makeStores({ db: documentClientFor(client()), ...location }),
    shadows: makeShadowStore({
      iot: new IoTDataPlaneClient({
        endpoint: iot.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
    }),
  }));

  const first = await pushNight(stores, containers);
  const updates = [...first.accepted.values()].reduce((a, b) => a + b, 0);
  const duplicated = [...first.accepted.values()].filter((count) => count > 1).length;
  t = performance.now();
  const states = new Map<string, string>();
  for (let shard = 0; shard < LUMINAIRE_SHARDS; shard++) {
    for (const [id, state] of await stores.pushState.forShard(shard)) states.set(id, state.hash);
  }
  const lost =
    devices.filter((d) => !first.accepted.has(d.thingName ?? '')).length +
    planned.filter((l) => !states.has(l.id)).length;
  let mismatched = 0;
  const unreadable: string[] = [];
  for (let i = 0; i < SAMPLE; i++) {
    const luminaire = planned[Math.floor((i * planned.length) / SAMPLE)] as Luminaire;
    const { result: shadow } = await withBackoff(
      () => (containers[0] as { shadows: ShadowStore }).shadows.get(luminaire.thingName, 'plan'),
      (r) => !r.ok && r.reason === 'throttled',
    );
    if (!shadow.ok) {
      unreadable.push(`${luminaire.thingName}: ${shadow.message}`);
      continue;
    }
    const plan = ShadowPlan.safeParse(
      (shadow.value as { state?: { desired?: { plan?: unknown } } }).state?.desired?.plan,
    );
    if (!plan.success || plan.data.h !== states.get(luminaire.id)) mismatched++;
  }
  if (unreadable.length > 0) log(`unreadable sampled shadows: ${unreadable.slice(0, 3).join('; ')}`);
  log(
    `first night: ${first.refused} refused requests (429), ${first.redelivered} chunks delivered again; ` +
      `check of ${SAMPLE} sampled shadows against the push state: ${mismatched} mismatched, ${unreadable.length} unreadable ` +
      `(${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );

  const second = await pushNight(stores, containers);
  const ceiling = await standInCeiling(containers.map((c) => c.shadows));
  const unchanged = [...second.accepted.values()].reduce((a, b) => a + b, 0);
  log(`unchanged night: ${second.seconds.toFixed(1)} s to read and compare every plan`);

  if (CABINETS) {
    const behind = new Set(planned.filter((l) => l.cabinet !== undefined).map((l) => shardOf(l.id)));
    console.log(
      `push cabinets: ${cabinets.length} connected; inventory reads: schedule ${first.inventoryReads.schedule}, ` +
        `chunks ${first.inventoryReads.chunks} (a chunk read it whenever its shard had a luminaire behind a ` +
        `connected cabinet: ${behind.size} of them before wave 7)`,
    );
  }
  console.log(
    `push: ${updates} updates in ${first.seconds.toFixed(1)} s (${Math.round(updates / first.seconds)}/s; ` +
      `limit allows ${Math.round(N / ACCOUNT_LIMIT)} s), lost ${lost}, duplicated ${duplicated}; ` +
      `unchanged night: ${unchanged} updates; the stand-in alone takes ${ceiling}/s on this machine`,
  );
} finally {
  iot.child.kill('SIGTERM');
  await once(iot.child, 'exit');
  await dynamo.stop();
}
