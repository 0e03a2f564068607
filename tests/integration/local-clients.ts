import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { inject } from 'vitest';
import { type IotMetering, LOCAL_CREDENTIALS, LOCAL_REGION } from '#local-cloud/index.ts';

/**
 * AWS SDK clients for the local cloud that the integration global setup started, configured as
 * production code configures them except for `endpoint` (and throwaway credentials).
 */
export interface ClientOptions {
  /** Set to 1 in tests that assert on a single failure: the SDK retries 429 and 5xx by default. */
  readonly maxAttempts?: number;
}

const common = (options: ClientOptions) => ({
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
  ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
});

export const localDynamoDb = (options: ClientOptions = {}): DynamoDBClient =>
  new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), ...common(options) });

/** `endpoint`: a stand-in the test started of its own (to route a rule), not the shared one. */
export const localIotData = (
  options: ClientOptions & { readonly endpoint?: string } = {},
): IoTDataPlaneClient =>
  new IoTDataPlaneClient({ endpoint: options.endpoint ?? inject('iotHttpEndpoint'), ...common(options) });

export const localMqttUrl = (): string => inject('mqttUrl');

/** A name no other test uses, for tables and things (the servers are shared by the whole run). */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A stand-in's meter that keeps the size of each metered message, in order, and nothing else. */
export function messageSizes(): { readonly metering: IotMetering; readonly sizes: number[] } {
  const sizes: number[] = [];
  const ignore = (): void => {};
  return {
    metering: {
      connected: ignore,
      disconnected: ignore,
      message: (bytes) => sizes.push(bytes),
      basicIngest: ignore,
      shadowOperation: ignore,
    },
    sizes,
  };
}
