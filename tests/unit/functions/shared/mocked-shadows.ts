import { type IoTDataPlaneClient, UpdateThingShadowCommand } from '@aws-sdk/client-iot-data-plane';
import { Uint8ArrayBlobAdapter } from '@smithy/core/serde';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** What IoT Core answers to an accepted UpdateThingShadow. */
export const accepted = (version = 1) => ({
  payload: Uint8ArrayBlobAdapter.fromString(JSON.stringify({ version })),
  $metadata: {},
});

/** The shadow documents a mocked IoT data-plane client was asked to write, in order. */
export const sentShadowDocuments = (iot: AwsClientStub<IoTDataPlaneClient>) =>
  iot.commandCalls(UpdateThingShadowCommand).map((call) => ({
    thing: call.args[0].input.thingName,
    shadow: call.args[0].input.shadowName,
    document: JSON.parse(new TextDecoder().decode(call.args[0].input.payload as Uint8Array)),
  }));
