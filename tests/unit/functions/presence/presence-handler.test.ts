import {
  InvalidRequestException,
  IoTDataPlaneClient,
  ThrottlingException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { BoostPresenceDeps } from '#functions/presence/boost-presence.ts';
import { makeHandler } from '#functions/presence/handler.ts';
import { makePresenceContext } from '#functions/presence/presence-context.ts';
import { makeSensorLookup } from '#functions/presence/sensor-lookup.ts';
import { makeShadowStore } from '#functions/shared/shadow-store.ts';
import type { PresenceMessage } from '#protocol/messages/presence.ts';
import type { Cabinet } from '#schedules/index.ts';
import type { PresenceSensor } from '#schedules/inventory/schema.ts';
import { eventFixture, testConfig, testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { memoryPresenceStateStore } from '../shared/memory-stores.ts';
import { accepted, sentShadowDocuments } from '../shared/mocked-shadows.ts';

/** The same list every call: the context is rebuilt only when a source returns a new one. */
const NO_CABINETS: readonly Cabinet[] = [];
const noCabinets = async () => NO_CABINETS;

const iot = mockClient(IoTDataPlaneClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => iot.restore());

// 40 luminaires ~24 m apart along Rue Trivalle, the first at the sensor.
const luminaires = testLuminaires(40);
const config = testConfig();
// 2026-06-21 23:30 Paris: lit at 70 %.
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;
/** The handlers' clock. */
let now = T;

// The sensor inventory: one sensor at the first luminaire of Rue Trivalle, one 2 km east of the street.
const sensors: PresenceSensor[] = [
  { id: 'S-trivalle', lat: 43.2068, lon: 2.3644, street: 'Rue Trivalle', zone: 'bastide' },
  { id: 'S-cite-porte-narbonnaise', lat: 43.2068, lon: 2.3644, street: 'Rue Trivalle', zone: 'cite' },
  { id: 'S-elsewhere', lat: 43.2068, lon: 2.39, street: 'Route de Cazilhac', zone: 'bastide' },
];

/** Detections as sensors send them: no position, the inventory has it. */
const detection = (over: Partial<PresenceMessage> = {}) => ({
  sensor: 'S-trivalle',
  id: 'd-1',
  ts: T,
  kind: 'pedestrian',
  ...over,
});

function handlerWith(overrides: Partial<BoostPresenceDeps> = {}) {
  return makeHandler({
    sensorOf: makeSensorLookup(async () => sensors),
    now: () => now,
    context: makePresenceContext({
      config: async () => config,
      inventory: async () => luminaires,
      cabinets: noCabinets,
    }),
    presence: memoryPresenceStateStore(),
    shadows: makeShadowStore({ iot: new IoTDataPlaneClient({ region: 'eu-west-3' }) }),
    backoff: { maxAttempts: 3, baseMs: 0, capMs: 0 },
    ...overrides,
  });
}

const sent = () => sentShadowDocuments(iot);

beforeEach(() => {
  now = T;
  iot.reset();
  iot.on(UpdateThingShadowCommand).resolves(accepted());
});

describe('presence handler', () => {
  it('boosts the luminaires around and along the street of the sensor, until the hold time ends', async () => {
    const result = await handlerWith()(detection());
    // radius 60 m around, and the street's corridor of 150 m: luminaires 0..6 (24.3 m apart).
    expect(result).toMatchObject({ status: 'processed', affected: 7, held: 0, failed: [] });
    expect(sent().map((s) => s.thing)).toEqual(luminaires.slice(0, 7).map((l) => l.thingName));
    expect(sent()[0]).toEqual({
      thing: luminaires[0]?.thingName,
      shadow: 'boost',
      document: { state: { desired: { boost: { l: 100, u: T + 120, f: 3, src: 'S-trivalle' } } } },
    });
  });

  it('takes the IoT rule event shape, with the time IoT Core received the detection', async () => {
    const result = await handlerWith()(eventFixture('iot-presence.json'));
    expect(result.status).toBe('processed');
  });

  it('ignores a duplicate delivery of the same detection', async () => {
    const handler = handlerWith();
    await handler(detection());
    iot.resetHistory();
    expect(await handler(detection())).toEqual({ status: 'duplicate', detection: 'S-trivalle/d-1' });
    expect(sent()).toEqual([]);
  });

  it('does not flood updates for a person lingering: extends only once the boost has run down enough', async () => {
    const handler = handlerWith();
    await handler(detection());
    iot.resetHistory();
    now = T + 10;
    expect(await handler(detection({ id: 'd-2', ts: T + 10 }))).toMatchObject({ boosted: [], held: 7 });
    expect(sent()).toEqual([]);
    now = T + 40;
    const later = await handler(detection({ id: 'd-3', ts: T + 40 }));
    expect(later).toMatchObject({ held: 0 });
    expect(sent()[0]?.document.state.desired.boost.u).toBe(T + 160);
  });

  it('shares boost state across containers: a second container sends nothing for a boost already long enough', async () => {
    const presence = memoryPresenceStateStore();
    await handlerWith({ presence })(detection());
    iot.resetHistory();
    const other = handlerWith({ presence });
    expect(await other(detection({ id: 'd-2', ts: T + 5 }))).toMatchObject({ boosted: [], held: 7 });
    expect(sent()).toEqual([]);
  });

  it('does not boost in daylight', async () => {
    const noon = Date.parse('2026-06-22T12:00:00Z') / 1000;
    now = noon;
    expect(await handlerWith()(detection({ ts: noon }))).toMatchObject({ affected: 7, boosted: [] });
    expect(sent()).toEqual([]);
  });

  it('records no sighting of a detection that boosts nothing (a duplicate of it boosts nothing either)', async () => {
    const noon = Date.parse('2026-06-22T12:00:00Z') / 1000;
    now = noon;
    const presence = memoryPresenceStateStore();
    const handler = handlerWith({ presence });
    const daylight = detection({ ts: noon });
    expect(await handler(daylight)).toMatchObject({ status: 'processed', boosted: [], held: 0 });
    expect(await handler(daylight)).toMatchObject({ status: 'processed', boosted: [], held: 0 });
    expect(await presence.firstSighting('S-trivalle', 'd-1', noon)).toBe(true);
  });

  it('leaves the street dark during a planned extinction when the policy ignores presence then', async () => {
    const oneAm = Date.parse('2026-06-21T23:00:00Z') / 1000;
    now = oneAm;
    const ignoring = testConfig({ presence: { ...config.presence, duringExtinction: 'ignore' } });
    const context = makePresenceContext({
      config: async () => ignoring,
      inventory: async () => luminaires,
      cabinets: noCabinets,
    });
    expect(await handlerWith({ context })(detection({ ts: oneAm }))).toMatchObject({
      affected: 7,
      boosted: [],
    });
    expect(sent()).toEqual([]);
    expect(await handlerWith()(detection({ ts: oneAm }))).toMatchObject({ affected: 7, failed: [] });
    expect(sent()).toHaveLength(7);
  });

  it('retries a throttled boost update, and gives the claim back when the update is refused', async () => {
    iot.reset();
    iot
      .on(UpdateThingShadowCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves(accepted());
    iot
      .on(UpdateThingShadowCommand, { thingName: luminaires[1]?.thingName })
      .rejects(new InvalidRequestException({ message: 'bad', $metadata: {} }));
    const presence = memoryPresenceStateStore();
    const result = await handlerWith({ presence })(detection());
    expect(result).toMatchObject({ failed: [{ id: luminaires[1]?.id, reason: 'rejected' }] });
    expect(result.status === 'processed' && result.boosted).toHaveLength(6);
    expect(presence.boosts.has(luminaires[1]?.id ?? '')).toBe(false);
  });

  it('lets a redelivery through when processing failed', async () => {
    const presence = memoryPresenceStateStore();
    let calls = 0;
    const handler = handlerWith({
      presence,
      context: async () => {
        calls++;
        if (calls === 1) throw new Error('DynamoDB unavailable');
        return makePresenceContext({
          config: async () => config,
          inventory: async () => luminaires,
          cabinets: noCabinets,
        })();
      },
    });
    await expect(handler(detection())).rejects.toThrow('DynamoDB unavailable');
    expect((await handler(detection())).status).toBe('processed');
  });

  it('refuses a detection with a bad field, naming it', async () => {
    await expect(handlerWith()(detection({ lat: 123 }))).rejects.toThrow(/lat/);
    await expect(handlerWith()(detection({ receivedAt: -1 }))).rejects.toThrow(/receivedAt/);
  });

  it("places a detection at the sensor's inventory position, whatever position and street the message claims", async () => {
    const claimsElsewhere = detection({ lat: 48.8566, lon: 2.3522, street: 'Rue de Rivoli' });
    expect(await handlerWith()(claimsElsewhere)).toMatchObject({ affected: 7, failed: [] });
    expect(sent().map((s) => s.thing)).toEqual(luminaires.slice(0, 7).map((l) => l.thingName));

    iot.resetHistory();
    const claimsTheStreet = detection({
      sensor: 'S-elsewhere',
      lat: 43.2068,
      lon: 2.3644,
      street: 'Rue Trivalle',
    });
    expect(await handlerWith()(claimsTheStreet)).toMatchObject({ affected: 0, boosted: [] });
    expect(sent()).toEqual([]);
  });

  it('drops a detection from a sensor the inventory does not know: nothing boosted, nothing recorded', async () => {
    const presence = memoryPresenceStateStore();
    const unknown = detection({ sensor: 'S-rogue', lat: 43.2068, lon: 2.3644 });
    expect(await handlerWith({ presence })(unknown)).toEqual({
      status: 'dropped',
      detection: 'S-rogue/d-1',
      reason: 'unknown-sensor',
    });
    expect(sent()).toEqual([]);
    expect(await presence.firstSighting('S-rogue', 'd-1', T)).toBe(true);
  });

  it('refuses a detection dated a day ahead, and one dated more than 30 s after IoT Core received it', async () => {
    const handler = handlerWith();
    expect(await handler(detection({ ts: T + 86_400 }))).toMatchObject({
      status: 'dropped',
      reason: 'ahead',
    });
    const receivedAt = (T - 60) * 1000;
    expect(await handler(detection({ id: 'd-2', receivedAt }))).toMatchObject({ reason: 'ahead' });
    expect(sent()).toEqual([]);
    expect(await handler(detection({ id: 'd-3', ts: T + 30, receivedAt: T * 1000 }))).toMatchObject({
      status: 'processed',
      affected: 7,
    });
  });

  it('refuses a detection dated more than 5 min before its receipt, or whose hold is over when it is handled', async () => {
    const handler = handlerWith();
    expect(await handler(detection({ ts: T - 301, receivedAt: T * 1000 }))).toMatchObject({ reason: 'late' });
    // Received in time but handled (an invocation retried) after its hold of 120 s.
    const retried = detection({ id: 'd-2', ts: T - 200, receivedAt: (T - 199) * 1000 });
    expect(await handler(retried)).toMatchObject({ status: 'dropped', reason: 'late' });
    expect(sent()).toEqual([]);
  });

  it('holds a boost for the hold time from now at most, whatever the detection says its time is', async () => {
    await handlerWith()(detection({ ts: T + 25 }));
    expect(sent().map((s) => s.document.state.desired.boost.u)).toEqual(Array(7).fill(T + 120));
    iot.resetHistory();
    await handlerWith()(detection({ id: 'd-2', ts: T - 100 }));
    expect(sent()[0]?.document.state.desired.boost.u).toBe(T + 20);
  });
});
