/**
 * The savings report for a month of a 10,000-luminaire city, read from DynamoDB Local through the
 * same code as the API route (luminaire nights + report core + renderer). Prints one line:
 * `report: <time per report by grouping>, items read, and the time again after 10× more raw
 * telemetry rows`, to show the report reads night items and does not grow with the raw reports.
 * - time: median and best of RUNS wall-clock runs per grouping (the report waits on DynamoDB Local,
 *   so other processes on a shared machine inflate the median; the best run shows the cost itself);
 * - items read: Items returned by every Query/BatchGet the report made (counted by a middleware);
 * - raw rows: BENCH_RAW_ROWS telemetry rows (default 20,000), then 9× that many more.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { renderSavingsReport } from '#functions/reports/render.ts';
import { loadSavingsReport } from '#functions/reports/savings-report.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { batchWrite, type Item } from '#functions/store/dynamo.ts';
import { createTables, makeStores } from '#functions/store/index.ts';
import { siteKeys } from '#functions/store/keys.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local-cloud/index.ts';
import { Config, type Luminaire, nightWindow, ZoneClock } from '#schedules/index.ts';
import { Luminaire as LuminaireSchema } from '#schedules/inventory/schema.ts';
import { astronomicalNightHours } from '#schedules/report/night-hours.ts';
import type { ReportGrouping } from '#schedules/report/savings.ts';

const ZONES = 20;
const STREETS_PER_ZONE = 20;
const LUMINAIRES_PER_STREET = 25;
/** A month: the report reads one item per luminaire-night (see docs/adr/0009-complete-nights.md). */
const FROM = '2025-01-01';
const TO = '2025-01-31';
const RUNS = 7;
const RAW_ROWS = Number(process.env.BENCH_RAW_ROWS ?? 20_000);
const SITE = 'bench';
/** Writes in flight while loading, so DynamoDB Local is kept busy but not flooded. */
const LOAD_SLICE = 1_250;

const config = Config.parse({
  site: {
    name: 'Bench City',
    timezone: 'Europe/Paris',
    latitude: 43.6,
    longitude: 1.44,
    tariffEurPerKwh: 0.2,
    co2KgPerKwh: 0.053,
  },
  profiles: {
    residential: { on: { event: 'sunset' }, off: { event: 'sunrise' }, steps: [{ at: '23:00', level: 50 }] },
  },
  calendar: [{ profile: 'residential' }],
});

const WATTS = [
  { baselineWatts: 100, ledWatts: 30 },
  { baselineWatts: 125, ledWatts: 40 },
  { baselineWatts: 150, ledWatts: 56 },
  { baselineWatts: 250, ledWatts: 70 },
];

function city(): Luminaire[] {
  const luminaires: Luminaire[] = [];
  for (let z = 0; z < ZONES; z++) {
    for (let s = 0; s < STREETS_PER_ZONE; s++) {
      for (let i = 0; i < LUMINAIRES_PER_STREET; i++) {
        const n = luminaires.length;
        luminaires.push(
          LuminaireSchema.parse({
            id: `L-${String(n).padStart(5, '0')}`,
            lat: 43.55 + z * 0.005 + i * 0.0002,
            lon: 1.4 + s * 0.004,
            street: `Rue ${z}-${s}`,
            zone: `zone-${String(z).padStart(2, '0')}`,
            ...WATTS[n % WATTS.length],
          }),
        );
      }
    }
  }
  return luminaires;
}

/**
 * Each luminaire's night items as the telemetry ingest leaves them (AP6), about 3 % of them missing
 * (silent) and 3 % starting late (partial); the report reads these, not the zone or street rollups.
 */
function luminaireNightItems(luminaires: readonly Luminaire[]): Item[] {
  const keys = siteKeys(SITE);
  const hours = astronomicalNightHours(config.site, FROM, TO);
  const items: Item[] = [];
  for (const [night, nightHours] of hours) {
    const window = nightWindow(ZoneClock.of(config.site.timezone), night);
    for (const [index, l] of luminaires.entries()) {
      const draw = (index * 31 + night.charCodeAt(9)) % 33;
      if (draw === 0) continue;
      items.push({
        pk: keys.luminairePk(l.id),
        sk: keys.luminaireDaySk(night),
        night,
        wh: l.ledWatts * nightHours * 0.7,
        burnH: nightHours,
        reports: 24,
        firstTs: draw === 1 ? window.start + 12 * 3600 : window.start,
        lastTs: window.end - 60,
      });
    }
  }
  return items;
}

/** Raw reports as the ledger kept them in the telemetry table before they moved to S3 (ADR 0013). */
function rawReports(luminaires: readonly Luminaire[], first: number, count: number): Item[] {
  const keys = siteKeys(SITE);
  const start = Date.parse(`${FROM}T00:00:00Z`) / 1000;
  return Array.from({ length: count }, (_, k) => {
    const n = first + k;
    const l = luminaires[n % luminaires.length] as Luminaire;
    const ts = start + Math.floor(n / luminaires.length) * 900;
    return {
      pk: keys.luminairePk(l.id),
      sk: `${String(ts).padStart(10, '0')}#c1#${String(n).padStart(10, '0')}`,
      thing: l.thingName,
      ts,
      seq: n,
      counterId: 'c1',
      energyWh: n * 0.01,
      burningHours: 1,
      level: 50,
      powerW: 20,
      planHash: null,
      faults: [],
      expiresAt: ts + 400 * 86_400,
    };
  });
}

async function load(db: DynamoDBDocumentClient, tableName: string, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += LOAD_SLICE) {
    await batchWrite(
      { db, tableName },
      items.slice(i, i + LOAD_SLICE).map((Item) => ({ PutRequest: { Item } })),
    );
  }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  try {
    const raw = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const db = documentClientFor(raw);
    let itemsRead = 0;
    db.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as
          | { Items?: unknown[]; Responses?: Record<string, unknown[]> }
          | undefined;
        itemsRead += (output?.Items?.length ?? 0) + Object.values(output?.Responses ?? {}).flat().length;
        return result;
      },
      { step: 'initialize', name: 'countItemsRead' },
    );
    const tables = { main: 'bench-main', telemetry: 'bench-telemetry' };
    await createTables(raw, tables);
    const stores = makeStores({
      db,
      tableName: tables.main,
      telemetryTableName: tables.telemetry,
      site: SITE,
    });
    const luminaires = city();
    await stores.config.replace(config);
    for (let i = 0; i < luminaires.length; i += LOAD_SLICE) {
      await stores.luminaires.put(luminaires.slice(i, i + LOAD_SLICE));
    }
    await load(db, tables.main, luminaireNightItems(luminaires));

    const measure = async (groupBy: ReportGrouping) => {
      const times: number[] = [];
      let items = 0;
      for (let run = 0; run < RUNS; run++) {
        itemsRead = 0;
        const started = performance.now();
        const report = await loadSavingsReport(stores, { from: FROM, to: TO, groupBy });
        renderSavingsReport(report, 'html', new Date().toISOString(), 'fr');
        times.push(performance.now() - started);
        items = itemsRead;
      }
      return { median: median(times) / 1000, best: Math.min(...times) / 1000, items };
    };
    const all = async () => {
      const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
      for (const groupBy of ['site', 'zone', 'month', 'street'] as const)
        results[groupBy] = await measure(groupBy);
      return results;
    };

    await load(db, tables.telemetry, rawReports(luminaires, 0, RAW_ROWS));
    const before = await all();
    await load(db, tables.telemetry, rawReports(luminaires, RAW_ROWS, RAW_ROWS * 9));
    const after = await all();

    const seconds = (m: { median: number; best: number } | undefined) =>
      `${m?.median.toFixed(2)} s (best ${m?.best.toFixed(2)})`;
    const figures = (['site', 'zone', 'month', 'street'] as const)
      .map((g) => `${g} ${seconds(before[g])}, ${before[g]?.items} items read`)
      .join('; ');
    const grown = (['zone', 'street'] as const)
      .map(
        (g) =>
          `${g} ${seconds(before[g])} → ${seconds(after[g])}, ${before[g]?.items} → ${after[g]?.items} items`,
      )
      .join('; ');
    process.stdout.write(
      `report: month of ${luminaires.length} luminaires (${ZONES} zones, ${ZONES * STREETS_PER_ZONE} streets), ` +
        `per report: ${figures} (goal ≤ 1 s); with ${RAW_ROWS} → ${RAW_ROWS * 10} raw telemetry rows: ${grown}\n`,
    );
  } finally {
    await dynamo.stop();
  }
}

await main();
