import { readFileSync } from 'node:fs';
import { IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { startFleet } from '#device-sim/fleet.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startIotLocal } from '#local-cloud/index.ts';
import { LOCAL_PRESENCE_RULE, PresenceMessage } from '#protocol/messages/presence.ts';
import { encodeShadowPlan } from '#protocol/plan-codec.ts';
import { parseCsvCabinets } from '#schedules/inventory/csv.ts';
import { parseGeoJsonInventory } from '#schedules/inventory/geojson.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import { uniqueName } from '../local-clients.ts';

/** 2026-06-21 19:00 local time at Carcassonne (17:00 UTC): evening traffic, not yet dark. */
const EVENING = 1_782_054_000;
const H = 3600;

function exampleStreet(street: string) {
  const cabinets = parseCsvCabinets(
    readFileSync('examples/carcassonne/cabinets.csv', 'utf8'),
    'cabinets.csv',
  );
  const cabinetIds = new Set(cabinets.ok ? cabinets.value.map((cabinet) => cabinet.id) : []);
  const inventory = parseGeoJsonInventory(
    readFileSync('examples/carcassonne/luminaires.geojson', 'utf8'),
    'luminaires.geojson',
    cabinetIds,
  );
  if (!inventory.ok) throw new Error('example inventory does not parse');
  const prefix = uniqueName('F');
  const luminaires = inventory.value
    .filter((l) => l.street === street)
    .map((l) => ({ ...l, thingName: `${prefix}-${l.id}` }));
  const sensors = PresenceSensor.array()
    .parse(JSON.parse(readFileSync('examples/carcassonne/sensors.json', 'utf8')))
    .filter((s) => s.street === street)
    .map((s) => ({ ...s, id: `${prefix}-${s.id}` }));
  return { luminaires, sensors };
}

async function until(probe: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('device fleet against the local IoT Core stand-in', () => {
  it('runs a street of example luminaires and its sensors: plans pushed, traffic detected, stats summed', async () => {
    const { luminaires, sensors } = exampleStreet('Rue Cros-Mayrevieille');
    expect(luminaires.length).toBeGreaterThan(3);
    expect(sensors.length).toBeGreaterThan(0);

    // A stand-in of its own: what the presence rule is handed by Basic Ingest is seen by no subscriber.
    const cloud = await startIotLocal();
    const detections: PresenceMessage[] = [];
    cloud.routeRule(LOCAL_PRESENCE_RULE, (_topic, payload) => {
      detections.push(PresenceMessage.parse(JSON.parse(payload.toString())));
    });

    const clock = new ManualClock(EVENING);
    const fleet = await startFleet({
      mqttUrl: cloud.mqttUrl,
      luminaires,
      sensors,
      clock,
      concurrency: 8,
      traffic: { pedestrian: 120, vehicle: 60 },
      agent: { log: () => {} },
    });
    try {
      await until(() => fleet.stats().connected === luminaires.length, 'all luminaires online');

      const plan = encodeShadowPlan([{ at: EVENING + H, level: 80 }], EVENING + 24 * H);
      const iot = new IoTDataPlaneClient({
        endpoint: cloud.httpEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });
      const payload = new TextEncoder().encode(JSON.stringify({ state: { desired: { plan } } }));
      await Promise.all(
        luminaires.map((l) =>
          iot.send(new UpdateThingShadowCommand({ thingName: l.thingName, shadowName: 'plan', payload })),
        ),
      );
      await until(
        () => fleet.agents.every((a) => a.snapshot().planHash === plan.h),
        'plan applied everywhere',
      );

      clock.advance(H + 60);
      const stats = fleet.stats();
      const ledWatts = luminaires.reduce((sum, l) => sum + l.ledWatts, 0);
      expect(stats).toMatchObject({
        luminaires: luminaires.length,
        lit: luminaires.length,
        averageLevel: 80,
      });
      expect(stats.totalPowerW).toBeCloseTo(0.8 * ledWatts, 6);
      expect(stats.detections).toBeGreaterThan(0);

      await until(() => detections.length === stats.detections, 'every detection published');
      expect(new Set(detections.map((d) => d.id)).size).toBe(detections.length);
      // No position in the message: the cloud's sensor inventory has it.
      expect(
        detections.every((d) => d.lat === undefined && d.lon === undefined && d.street === undefined),
      ).toBe(true);
    } finally {
      await fleet.stop();
      await cloud.stop();
    }
    expect(fleet.stats().connected).toBe(0);
  });
});
