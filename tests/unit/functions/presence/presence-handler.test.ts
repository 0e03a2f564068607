import {
  InvalidRequestException,
  IoTDataPlaneClient,
  ThrottlingException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BoostPresenceDeps } from '../../../../functions/presence/boost-presence.ts';
import { makeHandler } from '../../../../functions/presence/handler.ts';
import { makePresenceContext } from '../../../../functions/presence/presence-context.ts';
import { makeShadowStore } from '../../../../functions/shared/shadow-store.ts';
import type { PresenceMessage } from '../../../../protocol/messages.ts';
import { eventFixture, testConfig, testLuminaires } from '../shared/fixtures.ts';
import { memoryPresenceStateStore } from '../shared/memory-stores.ts';
import { accepted, sentShadowDocuments } from '../shared/mocked-shadows.ts';

const iot = mockClient(IoTDataPlaneClient);

// 40 luminaires ~24 m apart along Rue Trivalle, the first at the sensor.
const luminaires = testLuminaires(40);
const config = testConfig();
// 2026-06-21 23:30 Paris: lit at 70 %.
const T = Date.parse('2026-06-21T21:30:00Z') / 1000;

const detection = (over: Partial<PresenceMessage> = {}) => ({
  sensor: 'S-trivalle',
  id: 'd-1',
  ts: T,
  lat: 43.2068,
  lon: 2.3644,
  street: 'Rue Trivalle',
  kind: 'pedestrian',
  ...over,
});

function handlerWith(overrides: Partial<BoostPresenceDeps> = {}) {
  return makeHandler({
    context: makePresenceContext({ config: async () => config, inventory: async () => luminaires }),
    presence: memoryPresenceStateStore(),
    shadows: makeShadowStore({ iot: new IoTDataPlaneClient({ region: 'eu-west-3' }) }),
    backoff: { maxAttempts: 3, baseMs: 0, capMs: 0 },
    ...overrides,
  });
}

const sent = () => sentShadowDocuments(iot);

beforeEach(() => {
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

  it('takes the IoT rule event shape', async () => {
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
    expect(await handler(detection({ id: 'd-2', ts: T + 10 }))).toMatchObject({ boosted: [], held: 7 });
    expect(sent()).toEqual([]);
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
    expect(await handlerWith()(detection({ ts: noon }))).toMatchObject({ affected: 7, boosted: [] });
    expect(sent()).toEqual([]);
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
        return makePresenceContext({ config: async () => config, inventory: async () => luminaires })();
      },
    });
    await expect(handler(detection())).rejects.toThrow('DynamoDB unavailable');
    expect((await handler(detection())).status).toBe('processed');
  });

  it('refuses a detection with a bad field, naming it', async () => {
    await expect(handlerWith()(detection({ lat: 123 }))).rejects.toThrow(/lat/);
  });
});
