import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AcceptedReport } from '../../../../functions/store/index.ts';
import { makeTelemetryStore } from '../../../../functions/store/telemetry-store.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const store = makeTelemetryStore({
  db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-3' })),
  tableName: 'main',
  telemetryTableName: 'telemetry',
  site: 'carcassonne',
});

const message = {
  thing: 'L-1',
  ts: 1_782_077_400,
  seq: 2,
  counterId: 'c1',
  energyWh: 120,
  burningHours: 3,
  level: 70,
  powerW: 25,
  planHash: null,
  faults: [],
};
const previous = {
  counterId: 'c1',
  ts: 1_782_076_500,
  seq: 1,
  energyWh: 100,
  burningHours: 2.75,
  night: '2026-06-21',
  faults: [],
};
const accepted: AcceptedReport = {
  luminaire: { id: 'L-1', zone: 'cite', street: 'Rue Trivalle' },
  message,
  previous,
  next: { ...previous, ts: message.ts, seq: 2, energyWh: 120, burningHours: 3 },
  wh: 20,
  burnH: 0.25,
  firstOfNight: false,
};

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => {
  ddb.reset();
});

describe('telemetry store ingest transaction', () => {
  it('writes the raw report, the meter state conditioned on the state read, and three rollups at once', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await store.commit(accepted)).toBe('committed');
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(5);
    expect(items[0]?.Put).toMatchObject({
      TableName: 'telemetry',
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1]?.Put?.ExpressionAttributeValues).toEqual({ ':ts': previous.ts, ':seq': 1, ':cid': 'c1' });
    expect(items.slice(2).map((i) => i.Update?.Key?.pk)).toEqual([
      'SITE#carcassonne#LUM#L-1',
      'SITE#carcassonne#ZONEDAY#2026-06',
      'SITE#carcassonne#STREETMONTH#2026',
    ]);
  });

  it('maps a failed raw-report condition to a duplicate, a failed meter condition to stale', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None', 'None', 'None'));
    expect(await store.commit(accepted)).toBe('duplicate');
    expect(await store.commit(accepted)).toBe('stale');
  });

  it('maps a conflict with a concurrent transaction to a retryable conflict', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'None', 'TransactionConflict', 'None'));
    expect(await store.commit(accepted)).toBe('conflict');
  });

  it('lets any other failure through', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(new Error('socket hang up'));
    await expect(store.commit(accepted)).rejects.toThrow('socket hang up');
  });
});
