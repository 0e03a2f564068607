import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Backlog, SimClock } from '#device-sim/clock.ts';
import { startFleet } from '#device-sim/fleet.ts';
import { signToken } from '#functions/auth/local-issuer.ts';
import { logger } from '#functions/shared/logger.ts';
import { SiteId } from '#functions/shared/site-id.ts';
import { ensureConsoleBuilt } from '#local-runtime/console-build.ts';
import { startLocalSite } from '#local-runtime/local-site.ts';
import {
  addDays,
  type Config,
  formatProblem,
  HHMM,
  LocalDate,
  nightWindow,
  wallClockInNight,
  ZoneClock,
} from '#schedules/index.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import type { SavingsReport } from '#schedules/report/savings.ts';
import { minutesOfDay } from '#schedules/time/local-date.ts';
import { defineCommand } from '../args.ts';
import { loadSite } from '../load-site.ts';
import { runPhases } from '../run-phases.ts';
import { RunStalled, startStallWatch } from '../stall-watch.ts';

const EXAMPLE = 'examples/carcassonne';

const USAGE = `usage: lighting start [--nights N] [--speed X] [--from YYYY-MM-DD] [--data-dir data] [--fresh]
                     [--api-port 3000] [--config FILE] [--inventory FILE] [--sensors FILE] [--out out]

Runs the whole system on this machine: DynamoDB Local and the IoT Core stand-in, the Lambda
handlers wired to local events (daily plan push, IoT rules, HTTP API), and device-sim for every
luminaire and presence sensor of the site (default: the Carcassonne example). The web console is
served at http://127.0.0.1:<api-port>/ (built first when its build is missing or stale), the API
under /api on the same port.

  --nights N     simulate N nights from --from (default: today), then write the savings report
                 (HTML and CSV) under --out, print its totals and exit; without it, run until Ctrl-C
  --speed X      simulated seconds per real second (default 1; 1800 with --nights: the 23 hours from
                 one plan push to the next noon in 46 s, plus the waits for ingest)
  --data-dir D   where DynamoDB, shadows and the local signing key live; a restart keeps them
  --fresh        delete the data directory first
  --log-level L  the handlers' JSON logs (in <data-dir>/logs/functions.log, with their EMF metric
                 lines): DEBUG, INFO, WARN (default), ERROR`;

const Flags = z.strictObject({
  nights: z.coerce.number().int().min(1).max(366).optional(),
  speed: z.coerce.number().min(1).max(5000).optional(),
  from: LocalDate.optional(),
  'data-dir': z.string().min(1).default('data'),
  fresh: z.boolean().default(false),
  'api-port': z.coerce.number().int().min(0).max(65535).default(3000),
  config: z.string().min(1).default(`${EXAMPLE}/config.json`),
  inventory: z.string().min(1).default(`${EXAMPLE}/luminaires.geojson`),
  sensors: z.string().min(1).default(`${EXAMPLE}/sensors.json`),
  'site-id': SiteId.default('carcassonne'),
  'push-at': HHMM.default('13:00'),
  out: z.string().min(1).default('out'),
  'log-level': z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
});
type Flags = z.output<typeof Flags>;

const say = (line: string) => process.stdout.write(`${line}\n`);

export const command = defineCommand({
  name: 'start',
  summary: 'run the whole system locally (local cloud, handlers, simulated luminaires)',
  usage: USAGE,
  options: {
    nights: { type: 'string' },
    speed: { type: 'string' },
    from: { type: 'string' },
    'data-dir': { type: 'string' },
    fresh: { type: 'boolean' },
    'api-port': { type: 'string' },
    config: { type: 'string' },
    inventory: { type: 'string' },
    sensors: { type: 'string' },
    'site-id': { type: 'string' },
    'push-at': { type: 'string' },
    out: { type: 'string' },
    'log-level': { type: 'string' },
  },
  flags: Flags,
  run: start,
});

async function loadSensors(path: string) {
  const parsed = z.array(PresenceSensor).safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (parsed.success) return { ok: true as const, value: parsed.data };
  return {
    ok: false as const,
    problems: parsed.error.issues.map((issue) => `${path}: ${issue.path.join('.')}: ${issue.message}`),
  };
}

async function start(flags: Flags): Promise<number> {
  const phases = runPhases('startup');
  const site = await loadSite(flags.config, flags.inventory);
  const sensors = await loadSensors(flags.sensors);
  if (!site.ok || !sensors.ok) {
    const lines = [
      ...(site.ok ? [] : site.problems.map(formatProblem)),
      ...(sensors.ok ? [] : sensors.problems),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
    return 1;
  }
  const zone = ZoneClock.of(site.value.config.site.timezone);
  const speed = flags.speed ?? (flags.nights === undefined ? 1 : NIGHTS_SPEED);
  // The controllers' report interval is the site's setting: the alarm sweep judges silence and the
  // report judges a night complete by it, so a seeded site gets the interval its devices will use.
  const config = withReportInterval(site.value.config, telemetryPeriod(speed, flags.nights !== undefined));
  const { luminaires } = site.value;
  const firstNight = flags.from ?? zone.dateAt(Date.now() / 1000);
  const window = nightWindow(zone, firstNight);
  const pushAt = minutesOfDay(flags['push-at']);
  // A --nights run starts with the first night's plan push, which it runs itself: the daily
  // schedule's next push is the next night's, not the same plans again while the first dusk is
  // ingested. A push set before noon is the night before's: the run starts at the night's start.
  const begin =
    flags.nights === undefined
      ? flags.from === undefined
        ? Date.now() / 1000
        : window.start
      : pushAt >= 12 * 60
        ? wallClockInNight(zone, firstNight, pushAt)
        : window.start;
  const end =
    flags.nights === undefined ? undefined : nightWindow(zone, addDays(firstNight, flags.nights - 1)).end;
  if (flags.fresh) await rm(flags['data-dir'], { recursive: true, force: true });
  await mkdir(flags['data-dir'], { recursive: true });

  // The handlers' own JSON logs go to a file (what CloudWatch gets on AWS), at the level asked.
  logger.setLogLevel(flags['log-level']);
  // The handlers run in this process, not in Lambda: no X-Ray daemon takes their trace segments.
  process.env.POWERTOOLS_TRACE_ENABLED = 'false';
  // Ingest's backlog once the local site runs; nothing is published before.
  let ingest: Backlog = { backlog: () => 0 };
  // Simulated time waits for ingest beyond a bounded backlog, and each device timer sees its own
  // due time however late a loaded machine runs it: what the report says must not depend on how
  // fast the clock ran.
  const clock = new SimClock({
    start: begin,
    speed: 1,
    exactTimers: true,
    backpressure: {
      source: { backlog: () => ingest.backlog() },
      limit: INGEST_BACKLOG_LIMIT,
      onWait: (backlog, at) =>
        process.stderr.write(
          `${zone.format(at).slice(0, 16).replace('T', ' ')}  simulated clock waits for ingest: ${backlog} readings not yet ingested (limit ${INGEST_BACKLOG_LIMIT})\n`,
        ),
    },
  });
  // While the plans are pushed and the fleet connects, simulated time stands still for a --nights
  // run (every device starts at the same instant, at any speed) and runs in real time otherwise.
  if (end !== undefined) clock.hold();
  // Ctrl-C reaches npm, tsx and this process alike (tsx relays it once more): every signal after the
  // first is absorbed, so the shutdown below always runs and no DynamoDB Local JVM is left behind.
  let interrupted = false;
  const stopRequested = new Promise<void>((resolve) => {
    const onSignal = () => {
      if (!interrupted) say('stopping…');
      interrupted = true;
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const simTime = () => zone.format(clock.now()).slice(0, 16).replace('T', ' ');
  const log = (message: string, fields?: Record<string, unknown>) =>
    say(`${simTime()}  ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  say(
    `lighting: ${config.site.name}, ${luminaires.length} luminaires, ${sensors.value.length} sensors, speed ${speed}×`,
  );
  const consoleDir = await ensureConsoleBuilt(log);
  const local = await startLocalSite({
    consoleDir,
    dataDir: flags['data-dir'],
    apiPort: flags['api-port'],
    siteId: flags['site-id'],
    seed: { config, luminaires, cabinets: site.value.cabinets, sensors: sensors.value },
    clock,
    pushAt: flags['push-at'],
    log,
  }).catch((error: unknown) => {
    if (interrupted) return undefined;
    throw error;
  });
  if (local === undefined) {
    clock.stop();
    return 130;
  }
  ingest = { backlog: () => local.stats().streams.telemetry?.backlog ?? 0 };
  let fleet: Awaited<ReturnType<typeof startFleet>> | undefined;
  let connectedDevices = 0;
  phases.enter('plan push');
  // Every wait below ends, in the worst case with this error: a run whose simulated time,
  // connections, ingest, invocations and requests all stand still has hung (a CI run once did, cause
  // unknown).
  const watch = startStallWatch({
    progress: () => JSON.stringify([clock.now(), connectedDevices, local.stats()]),
    phase: () =>
      `${phases.current} (simulated ${simTime()}, ${clock.isWaiting ? 'waiting for ingest' : `speed ${clock.speed}×`})`,
    limitMs: STALL_LIMIT_MS,
  });
  let ended = false;
  const shutdown = async () => {
    ended = true;
    watch.stop();
    clearInterval(progress);
    await fleet?.stop();
    clock.stop();
    await local.stop();
  };
  const progress = setInterval(() => say(summary()), speed > 1 ? 5_000 : 30_000);
  progress.unref();
  const summary = () => {
    const f = fleet?.stats();
    const s = local.stats();
    return [
      simTime(),
      f
        ? `lit ${f.lit}/${f.luminaires}, level ${f.averageLevel.toFixed(0)} %, ${(f.totalPowerW / 1000).toFixed(1)} kW`
        : '',
      f
        ? `metered ${(f.energyWh / 1000).toFixed(1)} kWh, detections ${f.detections}, faults ${f.withFaults}`
        : '',
      [
        ...Object.entries(s.streams).map(
          ([name, { put, backlog }]) => `${name} ${put - backlog} (backlog ${backlog})`,
        ),
        ...Object.entries(s.invocations).map(
          ([name, { invoked, backlog }]) => `${name} ${invoked} (backlog ${backlog})`,
        ),
      ].join(', '),
    ]
      .filter(Boolean)
      .join(' | ');
  };

  const run = async (): Promise<number> => {
    say(`console on ${local.url}/ (sign in with a role on its page)`);
    say(
      `API on ${local.apiUrl} — a token: npx lighting token --role technician --data-dir ${flags['data-dir']}`,
    );
    say(`the functions' JSON logs and EMF metrics: ${local.functionLog}`);
    log('plan push: planning and writing the plan shadows');
    await local.pushPlans();
    // The map's live state comes from the alarm sweep's snapshot: one now, so the console's map
    // shows the site at once rather than after the first 15-minute sweep.
    await local.sweepAlarms();
    log('plan push done; starting the luminaires, connected cabinets and sensors');
    phases.enter('connecting the devices');
    // A site kept from the data directory keeps its own interval: its devices follow it.
    const stored = local.seeded ? config : await local.platform.stores.config.load();
    const started = await startFleet({
      mqttUrl: local.cloud.mqttUrl,
      luminaires: local.seeded ? luminaires : await local.platform.stores.luminaires.listAll(),
      cabinets: await local.platform.stores.cabinets.listAll(),
      // The stored inventory: the seed, or what the data directory kept (sensors imported through the API).
      sensors: await local.platform.stores.sensors.listAll(),
      clock,
      timezone: config.site.timezone,
      agent: {
        standbyW: config.site.standbyWatts,
        telemetryEverySeconds: stored.alarms.reportIntervalSeconds,
      },
      onProgress: (connected, total) => {
        connectedDevices = connected;
        if (connected === total || connected % 500 === 0) log(`devices connected ${connected}/${total}`);
      },
    });
    // A run that ended (stalled, interrupted) while the devices connected must not leave them running.
    if (ended) {
      await started.stop();
      return 1;
    }
    fleet = started;
    const { failedConnects } = started.stats();
    if (failedConnects > 0) {
      log(`devices refused at their first connection: ${failedConnects} (they keep retrying)`);
      // Simulating a site none of whose devices is connected would only report every night silent.
      if (connectedDevices === 0) throw new Error(`no device could connect to ${local.cloud.mqttUrl}`);
    }
    phases.enter('simulated nights');
    // Only now: connecting thousands of devices takes real seconds, hours of a fast simulated clock.
    clock.setSpeed(speed);
    if (end === undefined) {
      say('running; Ctrl-C stops (data is kept in the data directory)');
      await stopRequested;
      return 0;
    }
    const finished = await Promise.race([
      new Promise<true>((resolve) => clock.at(end, () => resolve(true))),
      stopRequested.then(() => false),
    ]);
    if (!finished) return 130;
    log(`simulated ${flags.nights} night(s); waiting for the last reports`);
    phases.enter('waiting for the last reports');
    // Back to real time while ingest drains: a fast clock would keep firing daily plan pushes and
    // alarm sweeps faster than they finish, and the queues would never settle.
    clock.setSpeed(1);
    await fleet.stop();
    fleet = undefined;
    await local.settled();
    phases.enter('night close and report');
    // What the daily close does at 12:30 the next day: the last nights closed with every reading in.
    await local.closeNights();
    const code = await writeReport(local, flags, firstNight, addDays(firstNight, (flags.nights ?? 1) - 1));
    // CPU is this process's (handlers, stand-ins, fleet), not DynamoDB Local's JVM.
    say(`run time: ${phases.summary()}`);
    return code;
  };

  try {
    return await Promise.race([run(), watch.stalled]);
  } catch (error) {
    // Ctrl-C reaches DynamoDB Local's JVM too (same process group): what fails after it is expected.
    if (interrupted) return 130;
    if (error instanceof RunStalled) {
      process.stderr.write(`lighting start: stopped, the run hung: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await shutdown();
  }
}

/**
 * Real time without any progress after which a run counts as hung: far above the longest step of a
 * loaded machine (one request to DynamoDB Local or the stand-in, one device connecting).
 */
const STALL_LIMIT_MS = 120_000;

/** The default speed of a --nights run; its figures are the same at any speed. */
const NIGHTS_SPEED = 1800;

/**
 * Readings received but not yet ingested beyond which simulated time waits: less than the burst of
 * the example's 2,823 luminaires all switching within two minutes, so the clock waits out such a
 * burst (down to half the limit) instead of running ahead of it, whatever the speed.
 */
const INGEST_BACKLOG_LIMIT = 2_000;

/**
 * Controllers report every 15 minutes and on every level change. Faster than real time that would
 * be thousands of messages a second for DynamoDB Local, so the periodic report is stretched (to at
 * most 6 simulated hours); the cumulative counter keeps the energy exact whatever the period. A
 * `--nights` run always takes the longest period: its readings then fall at the same simulated
 * instants at any speed, so the night's first and last readings, and the standby energy metered
 * between them, do not depend on `--speed`. It is seeded as the site's `alarms.reportIntervalSeconds`.
 */
const telemetryPeriod = (speed: number, nights: boolean): number =>
  nights ? 6 * 3600 : Math.min(6 * 3600, Math.max(900, speed * 30));

const withReportInterval = (config: Config, reportIntervalSeconds: number): Config => ({
  ...config,
  alarms: { ...config.alarms, reportIntervalSeconds },
});

async function writeReport(
  local: Awaited<ReturnType<typeof startLocalSite>>,
  flags: Flags,
  from: LocalDate,
  to: LocalDate,
): Promise<number> {
  const token = await signToken(local.signingKey, {
    subject: 'npm-start',
    roles: ['finance'],
    zones: [],
    ttl: '10m',
  });
  const fetchReport = async (format: string) => {
    const url = `${local.apiUrl}/reports/savings?from=${from}&to=${to}&groupBy=zone&format=${format}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok)
      throw new Error(`savings report ${format}: HTTP ${response.status}: ${await response.text()}`);
    // The bytes as sent: decoding as text would drop the CSV's byte-order mark.
    return Buffer.from(await response.arrayBuffer());
  };
  const [json, csv, html] = await Promise.all(['json', 'csv', 'html'].map(fetchReport));
  await mkdir(flags.out, { recursive: true });
  const base = join(flags.out, `savings-${from}-to-${to}`);
  await Promise.all([writeFile(`${base}.csv`, csv ?? ''), writeFile(`${base}.html`, html ?? '')]);
  const { total } = JSON.parse(json?.toString('utf8') ?? '{}') as SavingsReport;
  say(`savings report written: ${base}.html and ${base}.csv`);
  say(
    `totals ${from}..${to}: metered ${total.meteredKwh.toFixed(1)} kWh, baseline ${total.baselineKwh.toFixed(1)} kWh, ` +
      `saved ${total.savingsKwh.toFixed(1)} kWh (${(total.savingsShare * 100).toFixed(1)} %: LED ${total.ledConversionSavingsKwh.toFixed(1)}, ` +
      `controls ${total.controlsSavingsKwh.toFixed(1)}), ${total.savingsCost.toFixed(2)} €, ${total.co2AvoidedKg.toFixed(1)} kg CO2 avoided, ` +
      `luminaire-nights ${total.completeLuminaireNights} complete, ${total.partialLuminaireNights} partial, ${total.silentLuminaireNights} silent`,
  );
  return 0;
}
