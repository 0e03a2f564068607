import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  RAW_RETENTION_DAYS,
  RAW_TELEMETRY_PREFIX,
  rawTelemetryPrefix,
} from '#functions/store/raw-archive-layout.ts';
import { RAW_COLUMNS } from '#infra/constructs/raw-report-archive.ts';
import { TelemetryEvent } from '#protocol/messages/telemetry.ts';
import { synthesize } from './synth.ts';

const { stateful, stateless } = synthesize();

type Resource = { Properties: Record<string, unknown> };
function only(template: typeof stateful, type: string, props: object = {}): Resource {
  const found = Object.values(template.findResources(type, { Properties: props })) as Resource[];
  expect(found, type).toHaveLength(1);
  return found[0] as Resource;
}
const bucketLogicalId = () =>
  Object.entries(stateful.findResources('AWS::S3::Bucket')).find(([, r]) =>
    JSON.stringify(r).includes(`"Prefix":"raw/"`),
  )?.[0] as string;

describe('raw reports archive (ADR 0013)', () => {
  it('keeps raw reports in a private, encrypted, TLS-only, retained bucket for 13 months', () => {
    const id = bucketLogicalId();
    expect(id).toBeDefined();
    const bucket = stateful.findResources('AWS::S3::Bucket')[id] as Resource & { DeletionPolicy: string };
    expect(bucket.DeletionPolicy).toBe('Retain');
    stateful.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'raw/', ExpirationInDays: RAW_RETENTION_DAYS, Status: 'Enabled' }),
        ]),
      },
    });
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('archives the reports put to a Direct PUT delivery stream, de-aggregated on the line break, gzipped, one JSON a line, by site, date and hour of each report', () => {
    only(stateless, 'AWS::KinesisFirehose::DeliveryStream');
    stateless.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'lighting-test-raw-telemetry',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      KinesisStreamSourceConfiguration: Match.absent(),
      ExtendedS3DestinationConfiguration: {
        CompressionFormat: 'GZIP',
        Prefix: rawTelemetryPrefix(
          'carcassonne',
          '!{partitionKeyFromQuery:date}',
          '!{partitionKeyFromQuery:hour}',
        ),
        ErrorOutputPrefix: Match.stringLikeRegexp('^raw/errors/'),
        DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'RecordDeAggregation',
              Parameters: [
                { ParameterName: 'SubRecordType', ParameterValue: 'DELIMITED' },
                { ParameterName: 'Delimiter', ParameterValue: Buffer.from('\n').toString('base64') },
              ],
            },
            {
              Type: 'MetadataExtraction',
              Parameters: Match.arrayWith([
                {
                  ParameterName: 'MetadataExtractionQuery',
                  ParameterValue: '{date: .ts | strftime("%Y-%m-%d"), hour: .ts | strftime("%H")}',
                },
              ]),
            },
            Match.objectLike({ Type: 'AppendDelimiterToRecord' }),
          ],
        },
      },
    });
  });

  it('lets Firehose put objects under raw/ only, and read no stream', () => {
    const firehose = only(stateless, 'AWS::KinesisFirehose::DeliveryStream');
    const destination = firehose.Properties.ExtendedS3DestinationConfiguration as { RoleARN: unknown };
    const roleId = (destination.RoleARN as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const policy = only(stateless, 'AWS::IAM::Policy', { Roles: [{ Ref: roleId }] });
    const statements = (
      policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }
    ).Statement;
    const puts = statements.find((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(puts?.Resource)).toMatch(/RawReportBucketArn.*\/raw\/\*/);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.some((a) => String(a).startsWith('kinesis:'))).toBe(false);
    expect(actions).not.toContain('s3:GetObject');
  });

  it('reads the telemetry stream with the archive function on its own mapping, allowed only PutRecordBatch on the delivery stream', () => {
    const mapping = only(stateless, 'AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^RawArchive') },
    });
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^TelemetryStream/), 'Arn'] },
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 60,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
    const fn = only(stateless, 'AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ RAW_REPORT_DELIVERY_STREAM: 'lighting-test-raw-telemetry' }),
      },
    });
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const firehoseStatements = Object.values(stateless.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p).includes(`"Ref":"${roleId}"`))
      .flatMap(
        (p) =>
          (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
      )
      .filter((s) => [s.Action].flat().some((a) => String(a).startsWith('firehose:')));
    expect(firehoseStatements).toHaveLength(1);
    expect(firehoseStatements[0]?.Action).toBe('firehose:PutRecordBatch');
    expect(JSON.stringify(firehoseStatements[0]?.Resource)).toMatch(/RawReportDelivery.*Arn/);
  });

  it('describes the reports in a Glue table whose projected partitions follow the delivery prefix', () => {
    const table = only(stateful, 'AWS::Glue::Table');
    const input = table.Properties.TableInput as {
      Parameters: Record<string, unknown>;
      PartitionKeys: { Name: string }[];
      StorageDescriptor: { Columns: { Name: string }[]; SerdeInfo: { SerializationLibrary: string } };
    };
    expect(table.Properties.DatabaseName).toBe('lighting_test_raw');
    expect(input.PartitionKeys.map((k) => k.Name)).toEqual(['site', 'date', 'hour']);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.site.values': 'carcassonne',
      'projection.date.format': 'yyyy-MM-dd',
      'projection.hour.digits': '2',
    });
    const template = JSON.stringify(input.Parameters['storage.location.template']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's placeholders, literally.
    expect(template).toContain(rawTelemetryPrefix('${site}', '${date}', '${hour}'));
    expect(template).toContain(RAW_TELEMETRY_PREFIX);
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.openx.data.jsonserde.JsonSerDe');
    expect(input.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(RAW_COLUMNS.map(([name]) => name));
  });

  it('has a column for every field of the telemetry event, as the JSON SerDe lower-cases them', () => {
    expect(RAW_COLUMNS.map(([name]) => name).sort()).toEqual(
      Object.keys(TelemetryEvent.shape)
        .map((key) => key.toLowerCase())
        .sort(),
    );
  });

  it('gives analysts an Athena work group with enforced, encrypted results and an energy-per-night query', () => {
    const workGroup = only(stateful, 'AWS::Athena::WorkGroup');
    expect(workGroup.Properties).toMatchObject({
      Name: 'lighting-test-analytics',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucketLogicalId() }, '/athena-results/']] },
        },
      },
    });
    const query = only(stateful, 'AWS::Athena::NamedQuery');
    expect(query.Properties).toMatchObject({
      Database: 'lighting_test_raw',
      WorkGroup: 'lighting-test-analytics',
    });
    const sql = query.Properties.QueryString as string;
    expect(sql).toContain('"lighting_test_raw"."telemetry"');
    expect(sql).toMatch(/"date" >= /);
    expect(sql).toContain("'Europe/Paris'");
  });
});
