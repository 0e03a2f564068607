import {
  GetThingShadowCommand,
  IoTDataPlaneClient,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-iot-data-plane';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeShadowStore } from '#functions/shared/shadow-store.ts';
import { apiHarness } from './api-harness.ts';

const iot = mockClient(IoTDataPlaneClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => iot.restore());
const shadows = makeShadowStore({ iot: new IoTDataPlaneClient({ region: 'eu-west-3', maxAttempts: 1 }) });
const document = (state: object, metadata: object = {}) => ({
  payload: Uint8ArrayBlobAdapter.fromString(JSON.stringify({ state, metadata, version: 3 })),
});

beforeEach(() => {
  iot.reset();
});

describe("a luminaire's live state through the IoT data plane", () => {
  it('reads the classic, plan and boost shadows; a shadow never written is null', async () => {
    iot
      .on(GetThingShadowCommand, { thingName: 'L-0000', shadowName: undefined })
      .resolves(document({ reported: { level: 70 } }));
    iot
      .on(GetThingShadowCommand, { thingName: 'L-0000', shadowName: 'plan' })
      .resolves(document({ desired: { plan: { h: 'abc' } } }));
    iot
      .on(GetThingShadowCommand, { thingName: 'L-0000', shadowName: 'boost' })
      .rejects(
        new ResourceNotFoundException({ message: "No shadow exists with name: 'boost'", $metadata: {} }),
      );
    const result = await apiHarness({ shadows }).call('GET', '/luminaires/L-0000/state', 'tech');
    expect(result).toMatchObject({
      status: 200,
      body: {
        id: 'L-0000',
        thingName: 'L-0000',
        reported: { level: 70 },
        reportedAt: null,
        plan: { plan: { h: 'abc' } },
        boost: null,
      },
    });
  });

  it("says when the controller last wrote its classic shadow's report: the latest of its fields' times", async () => {
    iot.on(GetThingShadowCommand, { thingName: 'L-0000', shadowName: undefined }).resolves(
      document(
        { reported: { planHash: 'abc', faults: ['lampFailure'] } },
        {
          reported: { planHash: { timestamp: 1_782_000_100 }, faults: [{ timestamp: 1_782_000_200 }] },
          desired: { x: { timestamp: 1_782_009_999 } },
        },
      ),
    );
    iot.on(GetThingShadowCommand, { thingName: 'L-0000', shadowName: 'plan' }).resolves(document({}));
    iot.on(GetThingShadowCommand, { thingName: 'L-0000', shadowName: 'boost' }).resolves(document({}));
    const result = await apiHarness({ shadows }).call('GET', '/luminaires/L-0000/state', 'tech');
    expect(result.body.reportedAt).toBe(1_782_000_200);
  });

  it('answers 429 with Retry-After when AWS throttles', async () => {
    iot
      .on(GetThingShadowCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    const result = await apiHarness({ shadows }).call('GET', '/luminaires/L-0000/state', 'tech');
    expect(result.status).toBe(429);
    expect(result.headers['retry-after']).toBe('1');
  });

  it('answers 503 when the service is unavailable', async () => {
    iot.on(GetThingShadowCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'Error' }));
    const result = await apiHarness({ shadows }).call('GET', '/luminaires/L-0000/state', 'tech');
    expect(result.status).toBe(503);
    expect(result.body.type).toBe('urn:lumen-city:problem:unavailable');
  });
});
