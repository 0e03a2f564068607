import {
  ConflictException,
  GetThingShadowCommand,
  IoTDataPlaneClient,
  ResourceNotFoundException,
  ThrottlingException,
  UpdateThingShadowCommand,
} from '@aws-sdk/client-iot-data-plane';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeShadowStore } from '#functions/shared/shadow-store.ts';

const iot = mockClient(IoTDataPlaneClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => iot.restore());
const shadows = makeShadowStore({ iot: new IoTDataPlaneClient({ region: 'eu-west-3' }) });

beforeEach(() => {
  iot.reset();
});

describe('shadow store', () => {
  it('sends the document to the named shadow and returns the new version', async () => {
    iot.on(UpdateThingShadowCommand).resolves({ payload: Uint8ArrayBlobAdapter.fromString('{"version":7}') });
    expect(await shadows.update('L-1', 'plan', { state: { desired: { x: 1 } } })).toEqual({
      ok: true,
      value: { version: 7 },
    });
    const input = iot.commandCalls(UpdateThingShadowCommand)[0]?.args[0].input;
    expect(input?.shadowName).toBe('plan');
    expect(JSON.parse(new TextDecoder().decode(input?.payload as Uint8Array))).toEqual({
      state: { desired: { x: 1 } },
    });
  });

  it('maps AWS errors to typed results', async () => {
    const cases = [
      [new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }), 'throttled'],
      [new ConflictException({ message: 'Version conflict', $metadata: {} }), 'conflict'],
      [new ResourceNotFoundException({ message: 'No shadow exists', $metadata: {} }), 'not-found'],
      [Object.assign(new Error('read ECONNRESET'), { name: 'Error' }), 'unavailable'],
    ] as const;
    for (const [error, reason] of cases) {
      iot.reset();
      iot.on(UpdateThingShadowCommand).rejects(error);
      expect(await shadows.update('L-1', 'plan', {})).toMatchObject({ ok: false, reason });
    }
  });

  it('reads a whole shadow document, or says it does not exist', async () => {
    iot
      .on(GetThingShadowCommand)
      .resolvesOnce({ payload: Uint8ArrayBlobAdapter.fromString('{"state":{},"version":3}') })
      .rejectsOnce(new ResourceNotFoundException({ message: 'No shadow', $metadata: {} }));
    expect(await shadows.get('L-1', 'boost')).toEqual({ ok: true, value: { state: {}, version: 3 } });
    expect(await shadows.get('L-1')).toMatchObject({ ok: false, reason: 'not-found' });
  });
});
