import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * AWS clients, each created once per container on first use and shared by every invocation, and
 * traced: each SDK call is an X-Ray subsegment of the invocation. An endpoint override
 * (DYNAMODB_ENDPOINT, IOT_DATA_ENDPOINT) points them at the local cloud; there the region and
 * credentials only need to be well-formed (DynamoDB Local refuses keys with - or _).
 */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/**
 * Made on the first client, so it reads POWERTOOLS_TRACE_ENABLED as the process set it: off under
 * the local runtime and in tests, and off by itself outside Lambda.
 */
const tracer = once(() => new Tracer());
const traced = <C extends Parameters<Tracer['captureAWSv3Client']>[0]>(client: C): C =>
  tracer().captureAWSv3Client(client);

function endpointOverride(endpoint: string | undefined) {
  if (endpoint === undefined) return {};
  const hasCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined;
  return {
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(hasCredentials ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

/** The document client every store adapter takes: plain JS values in and out, undefined dropped. */
export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export const dynamoDocumentClient = once(() =>
  documentClientFor(traced(new DynamoDBClient(endpointOverride(process.env.DYNAMODB_ENDPOINT)))),
);

/** Shadow calls are retried by our own backoff (functions/shared/retry.ts), so the SDK tries once. */
export const iotDataClient = once(() =>
  traced(new IoTDataPlaneClient({ ...endpointOverride(process.env.IOT_DATA_ENDPOINT), maxAttempts: 1 })),
);

export const sqsClient = once(() => traced(new SQSClient({})));

export const snsClient = once(() => traced(new SNSClient({})));

export const firehoseClient = once(() => traced(new FirehoseClient({})));
