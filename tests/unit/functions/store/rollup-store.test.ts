import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeRollupStore } from '#functions/store/rollup-store.ts';

const ddb = mockClient(DynamoDBDocumentClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => ddb.restore());
const location = {
  db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-3' })),
  tableName: 'main',
  site: 'carcassonne',
};
const rollups = makeRollupStore(location);

const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

beforeEach(() => {
  ddb.reset();
});

describe('rollup store: a batch added once per item under the shard high-water mark', () => {
  const update = {
    target: { luminaireId: 'L-0001', night: '2026-06-21' },
    contributions: [
      { position: '0021000', ts: 1, wh: 5, burnH: 0.25 },
      { position: '0021005', ts: 2, wh: 7, burnH: 0.25 },
    ],
  };

  it('adds the sums and moves the mark in one conditional update when the mark is before the batch', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await rollups.apply(update, 'shardId-0')).toBe('applied');
    const input = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe('attribute_not_exists(#hw) OR #hw < :first');
    expect(input?.ExpressionAttributeNames?.['#hw']).toBe('hw:shardId-0');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':wh': 12,
      ':reports': 2,
      ':firstTs': 1,
      ':lastTs': 2,
      ':last': '0021005',
    });
    expect(input?.Key).toEqual({ pk: 'SITE#carcassonne#LUM#L-0001', sk: 'DAY#2026-06-21' });
  });

  it('after a partial earlier application, reads the mark and adds only the later contributions', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({ Item: { 'hw:shardId-0': '0021000' } });
    expect(await rollups.apply(update, 'shardId-0')).toBe('applied');
    const retry = ddb.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(retry?.ConditionExpression).toBe('#hw = :seen');
    expect(retry?.ExpressionAttributeValues).toMatchObject({ ':wh': 7, ':reports': 1, ':seen': '0021000' });
  });

  it('adds nothing when the item already took the whole batch', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: { 'hw:shardId-0': '0021005' } });
    expect(await rollups.apply(update, 'shardId-0')).toBe('already');
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });

  it('lets a throttling error through, for the batch to be delivered again', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(rollups.apply(update, 'shardId-0')).rejects.toThrow('slow down');
  });
});
