import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ATHENA_RESULTS_PREFIX,
  RAW_RETENTION_DAYS,
  RAW_TELEMETRY_PREFIX,
} from '#functions/store/raw-archive-layout.ts';

export interface RawReportArchiveProps {
  readonly siteId: string;
  /** The site's time zone: a night runs from local noon to the next local noon. */
  readonly timezone: string;
  /** Glue database (lower case, underscores). */
  readonly databaseName: string;
  readonly workGroupName: string;
}

/** Athena's results are working files: a month is enough to fetch or re-read them. */
const RESULTS_DAYS = 30;
/** The table of raw reports in the Glue database. */
export const RAW_TABLE = 'telemetry';

/**
 * The raw telemetry reports' long-term home (ADR 0013): a private, encrypted, TLS-only bucket the
 * telemetry stream's Firehose delivery stream writes to (gzipped JSON lines under
 * `raw/telemetry/site=…/date=…/hour=…/`, 13 months), a Glue table over it whose partitions are
 * projected (no crawler, no partition to add), and an Athena work group, with its results in the
 * same bucket, and a named query for analysts. DynamoDB keeps only meter states and rollups.
 */
export class RawReportArchive extends Construct {
  readonly bucket: Bucket;
  /**
   * The bucket's ARN for the stateless stack, exported under a name of ours (not a generated one),
   * so that cdk-nag findings there, which quote the import, can be acknowledged by name.
   */
  readonly bucketArnExport: { readonly name: string; readonly importValue: string };
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;

  constructor(scope: Construct, id: string, props: RawReportArchiveProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(RAW_RETENTION_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the raw report bucket; logging its own accesses into itself would log every log delivery, endlessly.',
    });
    this.bucket = new Bucket(this, 'Reports', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'raw-reports/',
      lifecycleRules: [
        { prefix: 'raw/', expiration: Duration.days(RAW_RETENTION_DAYS) },
        { prefix: ATHENA_RESULTS_PREFIX, expiration: Duration.days(RESULTS_DAYS) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const stack = Stack.of(this);
    const exportName = `${stack.stackName}-RawReportBucketArn`;
    this.bucketArnExport = {
      name: exportName,
      importValue: stack.exportValue(this.bucket.bucketArn, { name: exportName }),
    };

    const { account } = stack;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description: `Lighting site ${props.siteId}: raw telemetry reports archived by Firehose`,
      },
    });
    const reports = `s3://${this.bucket.bucketName}/${RAW_TELEMETRY_PREFIX}`;
    this.table = new CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: RAW_TABLE,
        description: 'Every report the telemetry rule put on the stream, duplicates and rejects included',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          compressionType: 'gzip',
          // Partition projection: Athena computes partitions from these ranges, so new dates and
          // hours need no crawler and no ALTER TABLE ADD PARTITION.
          'projection.enabled': 'true',
          'projection.site.type': 'enum',
          'projection.site.values': props.siteId,
          'projection.date.type': 'date',
          'projection.date.format': 'yyyy-MM-dd',
          'projection.date.range': `NOW-${RAW_RETENTION_DAYS}DAYS,NOW+1DAYS`,
          'projection.date.interval': '1',
          'projection.date.interval.unit': 'DAYS',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': `${reports}site=\${site}/date=\${date}/hour=\${hour}/`,
        },
        partitionKeys: [
          { name: 'site', type: 'string' },
          { name: 'date', type: 'string', comment: 'UTC date of the report ts' },
          { name: 'hour', type: 'string', comment: 'UTC hour of the report ts' },
        ],
        storageDescriptor: {
          location: reports,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            // A record the rule received but is not a report (rejected as invalid) reads as nulls.
            parameters: { 'ignore.malformed.json': 'true' },
          },
          columns: RAW_COLUMNS.map(([name, type, comment]) => ({ name, type, comment })),
        },
      },
    });
    this.table.addResourceDependency(this.database);

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: `Lighting site ${props.siteId}: queries over the raw telemetry reports`,
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        // 13 months of 200,000 luminaires' reports are ~70 GB compressed; no query needs all of it.
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    const query = new CfnNamedQuery(this, 'EnergyPerLuminaireNight', {
      name: 'energy per luminaire per night (raw reports, last 7 nights)',
      description:
        "Counter differences summed per luminaire and night (local noon to noon) from the raw reports; unlike the ledger's rollups it applies no plausibility rule, so it checks them, it does not replace them.",
      database: props.databaseName,
      workGroup: props.workGroupName,
      queryString: energyPerLuminaireNight(props.databaseName, props.siteId, props.timezone),
    });
    query.addResourceDependency(this.workGroup);
    query.addResourceDependency(this.database);
  }
}

/** The columns of a raw report: the telemetry rule's event (TelemetryEvent), lower-cased by the SerDe. */
export const RAW_COLUMNS: readonly (readonly [name: string, type: string, comment: string])[] = [
  ['thing', 'string', 'thing name (from the topic)'],
  ['ts', 'bigint', 'report time, device clock, epoch seconds'],
  ['seq', 'bigint', 'report sequence number of the controller'],
  ['counterid', 'string', 'energy counter id (changes on a driver swap)'],
  ['energywh', 'double', 'cumulative energy counter, Wh'],
  ['burninghours', 'double', 'cumulative burning hours'],
  ['level', 'int', 'dimming level, %'],
  ['powerw', 'double', 'power drawn at ts, W'],
  ['planhash', 'string', 'hash of the plan the controller follows'],
  ['faults', 'array<string>', 'faults reported'],
  ['daylight', 'boolean', "the controller's daylight sensor"],
  ['receivedat', 'bigint', 'broker receive time, epoch milliseconds'],
];

/**
 * Energy per luminaire and night over the last 7 nights: each report's counter difference from the
 * previous report of the same counter (duplicates removed), summed on the night of the later report,
 * as the ledger attributes it. The date filter prunes partitions (UTC dates; a night spans two).
 */
function energyPerLuminaireNight(database: string, site: string, timezone: string): string {
  return `WITH reports AS (
  SELECT DISTINCT thing, counterid, seq, ts, energywh
  FROM "${database}"."${RAW_TABLE}"
  WHERE site = '${site}'
    AND "date" >= date_format(current_date - INTERVAL '8' DAY, '%Y-%m-%d')
    AND ts IS NOT NULL AND energywh IS NOT NULL
), steps AS (
  SELECT thing, ts,
    energywh - lag(energywh) OVER (PARTITION BY thing, counterid ORDER BY ts, seq) AS wh
  FROM reports
), nights AS (
  SELECT thing, date(at_timezone(from_unixtime(ts), '${timezone}') - INTERVAL '12' HOUR) AS night, wh
  FROM steps
)
SELECT thing, night, sum(IF(wh > 0, wh, 0)) AS wh, count(*) AS reports
FROM nights
WHERE night >= current_date - INTERVAL '7' DAY
GROUP BY thing, night
ORDER BY night, thing`;
}
