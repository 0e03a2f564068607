import { readFileSync } from 'node:fs';
import { PriceTable } from '#schedules/cost/prices.ts';
import { emptyUsage, type Measurement, type RawArchiveBatching } from '#schedules/cost/usage.ts';

/** The committed price table: the tests price with what the README is priced with. */
export const prices = PriceTable.parse(
  JSON.parse(
    readFileSync(new URL('../../../../schedules/cost/prices-eu-west-3.json', import.meta.url), 'utf8'),
  ),
);

/** The raw archive function as the registry has it: a shard's minute, up to 10,000 reports, 500 a record. */
export const RAW_ARCHIVE_BATCHING: RawArchiveBatching = {
  function: 'raw-archive',
  batchSize: 10_000,
  batchWindowSeconds: 60,
  reportsPerRecord: 500,
  recordsPerCall: 500,
  callBytes: 4 * 1024 * 1024,
};

/** A day of `luminaires` connected all along, each reporting every 15 minutes, scaled by `k`. */
export function measurementOf(luminaires: number, k = 1): Measurement {
  const usage = emptyUsage();
  const reports = luminaires * 96 * k;
  usage.iot.connectionMinutes = luminaires * 24 * 60 * k;
  usage.iot.basicIngestMessages = reports;
  usage.iot.rulesTriggered = reports;
  usage.iot.ruleActions = reports;
  usage.iot.messages = luminaires * 10 * k;
  usage.iot.shadowOperations = luminaires * 4 * k;
  // Reports spread over the period, the busiest minute 1.25 × the mean.
  const peakMinuteRecords = Math.ceil((reports / (24 * 60)) * 1.25);
  usage.kinesis = {
    records: reports,
    putPayloadUnits: reports,
    recordBytes: reports * 300,
    peakMinuteRecords,
  };
  usage.firehose = { records: reports, billedBytes: reports * 5120, compressedBytes: reports * 40 };
  usage.functions = {
    telemetry: {
      runs: 'perEvent',
      memoryMb: 512,
      scheduledRuns: 0,
      requests: reports / 50,
      gbSeconds: reports * 0.01,
      cpuMs: reports * 2,
      awsRounds: { dynamodb: (reports / 50) * 3 },
      readUnits: reports * 0.5,
      writeUnits: reports * 2,
      logBytes: reports * 10,
    },
    'alarm-sweep': {
      runs: 'scheduled',
      memoryMb: 1024,
      scheduledRuns: 96 * k,
      requests: 96 * k,
      gbSeconds: luminaires * 0.02 * k,
      cpuMs: luminaires * 0.5 * k,
      awsRounds: { dynamodb: luminaires * 0.05 * k, 'dynamodb+iotdata': luminaires * 0.01 * k },
      readUnits: luminaires * 48 * k,
      writeUnits: 0,
      logBytes: luminaires * 150 * k,
    },
  };
  usage.schedulerInvocations = 97 * k;
  // A push a day: 256 chunks sent by tens, each received and deleted.
  usage.sqsRequests = 538 * k;
  return {
    measuredOn: '2026-11-30',
    luminaires,
    sensors: 0,
    simulatedHours: 24 * k,
    telemetryEverySeconds: 900,
    host: { cpus: 2, loadAverage: 1 },
    usage,
    deployment: {
      customMetrics: 8,
      alarmMetrics: 18,
      dashboards: 1,
      firehoseBufferSeconds: 300,
      ledgerFunction: 'telemetry',
      idleQueuePollsPerMonth: 648_000,
    },
  };
}
