/**
 * The savings report for a YEAR of a 10,000-luminaire city (2025-01-01..2025-12-31), read from
 * DynamoDB Local through the same code as the API route (month totals and closed nights + report
 * core + renderer), and the night close of one night. The city is wired to cabinets as the example
 * site is (`withCabinets`: connected, clock and plain ones, some luminaires switched by their
 * cabinet alone), and every night is closed bounded by them. Prints:
 * - `report: <median> ms (best <b>, <c> CPU ms) by grouping site|zone|street|month, <n> items read`:
 *   read as the API route reads it, the open nights one report closed held for the next ones
 *   (`heldOpenNights`); then the first report's figures, which closed them; every night but the
 *   last OPEN_NIGHTS is closed (seeded by running `closeNightAsPlanned` over
 *   synthetic readings in process, not by writing 3.65 M night items) and each month's totals are
 *   added up from them as the night close does; the open nights' night items are stored, and the
 *   report closes them itself, as it does for nights the close has not reached;
 * - `report, open nights closed by every run`: the same, nothing held (each run closes them anew);
 * - the same year read from its closed nights only (no month totals): the cost of the packed sums;
 * - `inventory read`: the luminaires the report lists, on their own;
 * - `night close: <t> s for <n> luminaires, <k> BatchGets`: closing the last night from its night items;
 * - `report, year closed`: the year once its last nights are closed too (no night item read).
 * Time is wall clock (median and best of RUNS); items read are counted by a middleware, and CPU ms
 * by process.cpuUsage, which stay meaningful on a loaded machine.
 * BENCH_ZONES (default 20; 20 streets of 25 luminaires each) sizes the city for a quick run;
 * BENCH_PROFILE, a file name, writes a CPU profile (`.cpuprofile`) of the first line's runs only.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rewriteMonthTotals } from '#functions/reports/night-close.ts';
import { renderSavingsReport } from '#functions/reports/render.ts';
import {
  closeNightFromItems,
  heldOpenNights,
  loadSavingsReport,
  type SavingsReportDeps,
} from '#functions/reports/savings-report.ts';
import { documentClientFor } from '#functions/shared/clients.ts';
import { batchWrite, type Item } from '#functions/store/dynamo.ts';
import { createTables, makeStores, type Stores } from '#functions/store/index.ts';
import { siteKeys } from '#functions/store/keys.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local-cloud/index.ts';
import { addDays, Config, type Luminaire, nightWindow, ZoneClock } from '#schedules/index.ts';
import { hasOwnController, Luminaire as LuminaireSchema } from '#schedules/inventory/schema.ts';
import { circuitsOf } from '#schedules/plan/plan-night.ts';
import { closeNightAsPlanned, type MeteredNight } from '#schedules/report/closed-night.ts';
import { monthOf } from '#schedules/report/month-sums.ts';
import { astronomicalNightHours } from '#schedules/report/night-hours.ts';
import type { ReportGrouping } from '#schedules/report/savings.ts';
import { withCabinets } from './synthetic-city.ts';

const ZONES = Number(process.env.BENCH_ZONES ?? 20);
const PROFILE = process.env.BENCH_PROFILE;
const STREETS_PER_ZONE = 20;
const LUMINAIRES_PER_STREET = 25;
const FROM = '2025-01-01';
const TO = '2025-12-31';
/** The last nights of the period left open: the report closes them from their night items. */
const OPEN_NIGHTS = 2;
const RUNS = 7;
/** Runs of the secondary lines (closed nights only, the closed year). */
const OTHER_RUNS = 3;
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
 * A night's readings as the telemetry ingest leaves them (AP6), about 3 % missing (silent) and 3 %
 * starting late (partial).
 */
function nightReadings(luminaires: readonly Luminaire[], night: string, nightHours: number) {
  const window = nightWindow(ZoneClock.of(config.site.timezone), night);
  const readings = new Map<string, MeteredNight>();
  for (const [index, l] of luminaires.entries()) {
    const draw = (index * 31 + night.charCodeAt(9)) % 33;
    // A luminaire switched by its cabinet alone has no device to report.
    if (draw === 0 || !hasOwnController(l)) continue;
    readings.set(l.id, {
      wh: l.ledWatts * nightHours * 0.7,
      burnH: nightHours,
      firstTs: draw === 1 ? window.start + 12 * 3600 : window.start,
      lastTs: window.end - 60,
    });
  }
  return readings;
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
    let batchGets = 0;
    db.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as
          | { Items?: unknown[]; Responses?: Record<string, unknown[]> }
          | undefined;
        // Only BatchGetItem answers with Responses.
        if (output?.Responses !== undefined) batchGets++;
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
    const { luminaires, cabinets } = withCabinets(city());
    const circuits = circuitsOf(cabinets, luminaires);
    await stores.config.replace(config);
    await stores.cabinets.put(cabinets);
    for (let i = 0; i < luminaires.length; i += LOAD_SLICE) {
      await stores.luminaires.put(luminaires.slice(i, i + LOAD_SLICE));
    }
    const keys = siteKeys(SITE);
    const firstOpen = addDays(TO, 1 - OPEN_NIGHTS);
    for (const [night, nightHours] of astronomicalNightHours(config.site, FROM, TO)) {
      const readings = nightReadings(luminaires, night, nightHours);
      if (night < firstOpen) {
        const closed = closeNightAsPlanned(config, luminaires, night, readings, circuits);
        await stores.closedNights.put({ ...closed, configVersion: 0, closedAt: `${night}T10:30:00.000Z` });
        continue;
      }
      await load(
        db,
        tables.main,
        [...readings].map(([id, reading]) => ({
          pk: keys.luminairePk(id),
          sk: keys.luminaireDaySk(night),
          night,
          reports: 24,
          ...reading,
        })),
      );
    }

    for (const month of new Set([...astronomicalNightHours(config.site, FROM, TO).keys()].map(monthOf)))
      await rewriteMonthTotals(stores.closedNights, month, `${month}-28T10:30:00.000Z`);

    const cpuMs = (used: NodeJS.CpuUsage) => (used.user + used.system) / 1000;
    /** The first run's figures of the last `measure`: a report that closed the open nights itself. */
    let first = '';
    const measure = async (groupBy: ReportGrouping, deps: SavingsReportDeps = stores, runs = RUNS) => {
      const times: number[] = [];
      let items = 0;
      let cpu = 0;
      for (let run = 0; run < runs; run++) {
        itemsRead = 0;
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        const report = await loadSavingsReport(deps, { from: FROM, to: TO, groupBy });
        renderSavingsReport(report, 'html', new Date().toISOString(), 'fr');
        times.push(performance.now() - started);
        cpu = cpuMs(process.cpuUsage(cpuBefore));
        items = itemsRead;
        if (run === 0) first = `${times[0]?.toFixed(0)} ms, ${cpu.toFixed(0)} CPU ms, ${items} items read`;
      }
      return `${groupBy} ${median(times).toFixed(0)} ms (best ${Math.min(...times).toFixed(0)}, ${cpu.toFixed(0)} CPU ms), ${items} items read`;
    };
    // As the API route: one container's reports share the open nights one of them closed.
    const api: SavingsReportDeps = { ...stores, openNights: heldOpenNights(() => Date.now() / 1000) };
    const profiler = PROFILE === undefined ? undefined : new Session();
    profiler?.connect();
    await profiler?.post('Profiler.enable');
    await profiler?.post('Profiler.start');
    const figures: string[] = [];
    let coldFirst = '';
    for (const groupBy of ['site', 'zone', 'street', 'month'] as const) {
      figures.push(await measure(groupBy, api));
      coldFirst ||= first;
    }
    if (profiler !== undefined && PROFILE !== undefined) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(PROFILE, JSON.stringify(profile));
      profiler.disconnect();
    }
    const size = `${luminaires.length} luminaires (${ZONES} zones, ${ZONES * STREETS_PER_ZONE} streets, ${cabinets.length} cabinets`;
    process.stdout.write(
      `report: year of ${size}, ${OPEN_NIGHTS} nights open), by grouping: ${figures.join('; ')} (goal ≤ 1 s)\n` +
        `  first report, the open nights closed from their night items: ${coldFirst}\n`,
    );
    process.stdout.write(
      `report, open nights closed by every run (nothing held): ${await measure('site', stores, OTHER_RUNS)}\n`,
    );
    const nightsOnly: Stores = {
      ...stores,
      closedNights: { ...stores.closedNights, getMonth: async () => undefined },
    };
    process.stdout.write(
      `report from closed nights only (no month totals): ${await measure('site', nightsOnly, OTHER_RUNS)}\n`,
    );
    itemsRead = 0;
    const inventoryCpu = process.cpuUsage();
    await stores.luminaires.listAll();
    process.stdout.write(
      `inventory read: ${itemsRead} items, ${cpuMs(process.cpuUsage(inventoryCpu)).toFixed(0)} CPU ms\n`,
    );

    batchGets = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const closed = await closeNightFromItems(stores.closedNights, config, luminaires, TO, circuits);
    await stores.closedNights.put({ ...closed, configVersion: 0, closedAt: new Date().toISOString() });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `night close: ${seconds.toFixed(2)} s for ${luminaires.length} luminaires, ${batchGets} BatchGets, ${cpuMs(process.cpuUsage(cpuBefore)).toFixed(0)} CPU ms\n`,
    );

    for (let night = firstOpen; night < TO; night = addDays(night, 1)) {
      const open = await closeNightFromItems(stores.closedNights, config, luminaires, night, circuits);
      await stores.closedNights.put({ ...open, configVersion: 0, closedAt: new Date().toISOString() });
    }
    await rewriteMonthTotals(stores.closedNights, monthOf(TO), new Date().toISOString());
    const closedYear: string[] = [];
    for (const groupBy of ['site', 'zone', 'street', 'month'] as const)
      closedYear.push(await measure(groupBy, stores, OTHER_RUNS));
    process.stdout.write(`report, year closed: ${size}), by grouping: ${closedYear.join('; ')}\n`);
  } finally {
    await dynamo.stop();
  }
}

await main();
