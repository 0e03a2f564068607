import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { LogGroup, LogStream, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REPORT_DELIMITER } from '#functions/archive/aggregate-records.ts';
import { RAW_ERRORS_PREFIX, rawTelemetryPrefix } from '#functions/store/raw-archive-layout.ts';

export interface RawReportDeliveryProps {
  readonly deliveryStreamName: string;
  readonly siteId: string;
  /** The raw report bucket's ARN as the stateful stack exports it. */
  readonly bucketArnExport: { readonly name: string; readonly importValue: string };
  readonly logRetention: RetentionDays;
}

/**
 * Largest buffers Firehose allows: fewer, bigger objects (cheaper PUTs, faster Athena scans);
 * reports reach the archive up to 15 minutes late, which no reader of raw reports minds.
 */
const BUFFER_SECONDS = 900;
const BUFFER_MB = 128;

/**
 * A Direct PUT Firehose delivery stream (ADR 0013) the raw archive function puts records of many
 * reports to, one a line: Firehose splits them on the line break (record de-aggregation) and writes
 * every report, gzipped, one JSON object a line, to the raw report bucket. Dynamic partitioning
 * reads each report's `ts` (jq) so an object holds one UTC hour of report time, the layout of
 * functions/store/raw-archive-layout.ts; a report it cannot place goes under `raw/errors/`.
 */
export class RawReportDelivery extends Construct {
  readonly deliveryStream: CfnDeliveryStream;

  constructor(scope: Construct, id: string, props: RawReportDeliveryProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const bucketArn = props.bucketArnExport.importValue;
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': account } },
      }),
      description: `Lets Firehose ${props.deliveryStreamName} write raw reports`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucketArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [`${bucketArn}/raw/*`],
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${props.bucketArnExport.name}/raw/*]`,
      reason:
        'Firehose writes objects with generated names under the raw/ prefix of the archive bucket (raw/telemetry/… and raw/errors/…): it needs PutObject on raw/*, nothing else of the bucket.',
    });
    const logs = new LogGroup(this, 'Logs', { retention: props.logRetention });
    const logStream = new LogStream(this, 'S3Delivery', { logGroup: logs });
    logs.grantWrite(role);

    this.deliveryStream = new CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: props.deliveryStreamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn,
        roleArn: role.roleArn,
        prefix: rawTelemetryPrefix(
          props.siteId,
          '!{partitionKeyFromQuery:date}',
          '!{partitionKeyFromQuery:hour}',
        ),
        errorOutputPrefix: `${RAW_ERRORS_PREFIX}!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/`,
        compressionFormat: 'GZIP',
        bufferingHints: { intervalInSeconds: BUFFER_SECONDS, sizeInMBs: BUFFER_MB },
        dynamicPartitioningConfiguration: {
          enabled: true,
          retryOptions: { durationInSeconds: Duration.minutes(5).toSeconds() },
        },
        processingConfiguration: {
          enabled: true,
          processors: [
            // Before partitioning: each line of a record is a report of its own, placed by its own ts.
            {
              type: 'RecordDeAggregation',
              parameters: [
                { parameterName: 'SubRecordType', parameterValue: 'DELIMITED' },
                {
                  parameterName: 'Delimiter',
                  parameterValue: Buffer.from(REPORT_DELIMITER).toString('base64'),
                },
              ],
            },
            {
              type: 'MetadataExtraction',
              parameters: [
                {
                  parameterName: 'MetadataExtractionQuery',
                  parameterValue: '{date: .ts | strftime("%Y-%m-%d"), hour: .ts | strftime("%H")}',
                },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            // De-aggregated reports lose their line break: one a line is what the Glue table's SerDe reads.
            { type: 'AppendDelimiterToRecord', parameters: [] },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logs.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    // Firehose checks its role's permissions when the delivery stream is created.
    this.deliveryStream.node.addDependency(role);
  }

  /** Lets the grantee put records (PutRecordBatch only) to this delivery stream. */
  grantPutRecords(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: [this.deliveryStream.attrArn] }),
    );
  }
}
