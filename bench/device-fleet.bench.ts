/**
 * Runs the whole Carcassonne example (every luminaire and sensor, one MQTT connection each) against
 * the local IoT Core stand-in in this same process: connects at real time, pushes a plan into every
 * plan shadow, then runs the evening at 600x for a few seconds, and prints
 * `device-fleet: <N> agents connected in <s> s, plans applied in <s> s, rss <MB> MB (<KB> KB per agent), ...`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SimClock } from '#device-sim/clock.ts';
import { startFleet } from '#device-sim/fleet.ts';
import { startIotLocal } from '#local-cloud/index.ts';
import { encodeShadowPlan } from '#protocol/plan-codec.ts';
import { PLAN_SHADOW, shadowTopic } from '#protocol/topics.ts';
import { parseCsvCabinets } from '#schedules/inventory/csv.ts';
import { parseGeoJsonInventory } from '#schedules/inventory/geojson.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';

const RUN_REAL_SECONDS = 8;
/** 2026-06-21 19:00 UTC, half an hour before sunset at Carcassonne (traffic is at its evening peak). */
const START = 1_782_068_400;
const H = 3600;

const cabinets = parseCsvCabinets(readFileSync('examples/carcassonne/cabinets.csv', 'utf8'), 'cabinets.csv');
const cabinetIds = new Set(cabinets.ok ? cabinets.value.map((cabinet) => cabinet.id) : []);
const inventory = parseGeoJsonInventory(
  readFileSync('examples/carcassonne/luminaires.geojson', 'utf8'),
  'luminaires.geojson',
  cabinetIds,
);
if (!inventory.ok) throw new Error(inventory.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
const luminaires = inventory.value;
const sensors = PresenceSensor.array().parse(
  JSON.parse(readFileSync('examples/carcassonne/sensors.json', 'utf8')),
);

const rssBefore = process.memoryUsage().rss;
const iot = await startIotLocal();
const clock = new SimClock({ start: START, speed: 1 });
const t0 = performance.now();
const fleet = await startFleet({ mqttUrl: iot.mqttUrl, luminaires, sensors, clock, concurrency: 128 });
const connectSeconds = (performance.now() - t0) / 1000;

// Full light from when the plan is pushed, 70 % two hours later (after the run below).
const pushedAt = Math.floor(clock.now());
const plan = encodeShadowPlan(
  [
    { at: pushedAt, level: 100 },
    { at: pushedAt + 2 * H, level: 70 },
    { at: pushedAt + 8 * H, level: 0 },
  ],
  pushedAt + 48 * H,
);
const t1 = performance.now();
for (const l of luminaires) {
  await iot.publish(
    shadowTopic(l.thingName, PLAN_SHADOW, 'update'),
    JSON.stringify({ state: { desired: { plan } } }),
  );
}
while (fleet.agents.some((agent) => agent.snapshot().planHash !== plan.h)) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const planSeconds = (performance.now() - t1) / 1000;

clock.setSpeed(600);
await new Promise((resolve) => setTimeout(resolve, RUN_REAL_SECONDS * 1000));
const stats = fleet.stats();
const rss = process.memoryUsage().rss;
const agentsCount = luminaires.length + sensors.length;
await fleet.stop();
clock.stop();
await iot.stop();

const mb = (bytes: number): string => (bytes / 1e6).toFixed(0);
console.log(
  `device-fleet: ${agentsCount} agents (${luminaires.length} luminaires, ${sensors.length} sensors) ` +
    `connected in ${connectSeconds.toFixed(1)} s, plans applied in ${planSeconds.toFixed(1)} s, ` +
    `rss ${mb(rss)} MB incl. broker (${((rss - rssBefore) / agentsCount / 1024).toFixed(0)} KB per agent), ` +
    `${RUN_REAL_SECONDS} s at 600x: ${stats.connected} online, ${stats.lit} lit, ` +
    `average level ${stats.averageLevel.toFixed(1)} %, ${(stats.totalPowerW / 1000).toFixed(1)} kW, ` +
    `${stats.detections} detections`,
);
