import { join } from 'node:path';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { type IotLocal, type IotMetering, type RequestLimits, startIotLocal } from './iot/index.ts';

/**
 * The whole local cloud: DynamoDB Local and the IoT Core stand-in, started together. With a data
 * directory both keep their data across restarts (`<dataDir>/dynamodb`, `<dataDir>/iot`).
 */
export { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from './dynamodb-local.ts';
export type {
  IotLocal,
  IotLocalOptions,
  IotMetering,
  MessageHandler,
  PublishOptions,
  RequestLimits,
} from './iot/index.ts';
export { startIotLocal } from './iot/index.ts';

export interface LocalCloudOptions {
  /** Persistent data; everything in memory when absent. */
  readonly dataDir?: string;
  /** 0 or absent: free ports. */
  readonly dynamoPort?: number;
  readonly mqttPort?: number;
  readonly httpPort?: number;
  readonly limits?: RequestLimits;
  readonly iotMetering?: IotMetering;
}

export interface LocalCloud {
  /** `endpoint` of DynamoDBClient. */
  readonly dynamoEndpoint: string;
  /** `endpoint` of IoTDataPlaneClient. */
  readonly iotHttpEndpoint: string;
  /** Broker URL for MQTT clients. */
  readonly mqttUrl: string;
  readonly iot: IotLocal;
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const { dataDir } = options;
  const [dynamo, iot] = await Promise.allSettled([
    startDynamoDbLocal({
      ...(options.dynamoPort === undefined ? {} : { port: options.dynamoPort }),
      ...(dataDir === undefined ? {} : { dataDir: join(dataDir, 'dynamodb') }),
    }),
    startIotLocal({
      ...(options.mqttPort === undefined ? {} : { mqttPort: options.mqttPort }),
      ...(options.httpPort === undefined ? {} : { httpPort: options.httpPort }),
      ...(dataDir === undefined ? {} : { dataDir: join(dataDir, 'iot') }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.iotMetering === undefined ? {} : { metering: options.iotMetering }),
    }),
  ]);
  if (dynamo.status === 'rejected' || iot.status === 'rejected') {
    await Promise.all([
      dynamo.status === 'fulfilled' ? dynamo.value.stop() : undefined,
      iot.status === 'fulfilled' ? iot.value.stop() : undefined,
    ]);
    throw dynamo.status === 'rejected' ? dynamo.reason : (iot as PromiseRejectedResult).reason;
  }
  const db: DynamoDbLocal = dynamo.value;
  return {
    dynamoEndpoint: db.endpoint,
    iotHttpEndpoint: iot.value.httpEndpoint,
    mqttUrl: iot.value.mqttUrl,
    iot: iot.value,
    async stop() {
      await Promise.all([db.stop(), iot.value.stop()]);
    },
  };
}
