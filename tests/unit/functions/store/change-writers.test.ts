import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SiteNotConfigured } from '#functions/shared/errors.ts';
import { makeAlarmAcknowledgements } from '#functions/store/alarm-acknowledgements.ts';
import { ConfigurationChanged, makeConfigChangeWriter } from '#functions/store/config-changes.ts';
import type { AuditEntry } from '#functions/store/index.ts';
import { testConfig } from '#tests/support/functions/shared/fixtures.ts';

const ddb = mockClient(DynamoDBDocumentClient);
// Unit test files share modules (isolate: false): the class's send stays stubbed for later files unless restored.
afterAll(() => ddb.restore());
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-3' }));
const table = { db, tableName: 'main', site: 'carcassonne' };
const audit: AuditEntry = {
  id: 'a1',
  at: '2026-06-21T11:00:00.000Z',
  actor: 'theo',
  action: 'profile.put',
  target: 'profile residential',
  before: null,
  after: {},
};
const cancelled = (code: string) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: code }],
  });

beforeEach(() => {
  ddb.reset();
});

describe('config change writer (TransactWriteItems)', () => {
  const profile = testConfig().profiles.residential;
  if (profile === undefined) throw new Error('fixture');

  it('writes the change, the audit entry and the version bump in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await makeConfigChangeWriter(table).commit(
      { kind: 'profile.put', name: 'residential', profile },
      audit,
      7,
    );
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => Object.keys(item)[0])).toEqual(['Put', 'Put', 'Update']);
    expect(items[0]?.Put?.Item).toMatchObject({ pk: 'SITE#carcassonne', sk: 'PROFILE#residential', profile });
    expect(items[1]?.Put?.Item).toMatchObject({
      pk: 'SITE#carcassonne#AUDIT#2026-06',
      sk: '2026-06-21T11:00:00.000Z#a1',
    });
    expect(items[2]?.Update).toMatchObject({
      UpdateExpression: 'SET configVersion = :next',
      ConditionExpression: 'configVersion = :version',
      ExpressionAttributeValues: { ':version': 7, ':next': 8 },
    });
  });

  it('commits at version 0 only to a configured site whose settings carry no other version', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await makeConfigChangeWriter(table).commit({ kind: 'profile.delete', name: 'residential' }, audit, 0);
    const update = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[2]?.Update;
    expect(update?.ConditionExpression).toBe(
      'attribute_exists(pk) AND (attribute_not_exists(configVersion) OR configVersion = :version)',
    );
  });

  it('keeps an existing rule in its place in the calendar and appends a new one', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        { sk: 'RULE#a', position: 0 },
        { sk: 'RULE#b', position: 4 },
      ],
    });
    ddb.on(TransactWriteCommand).resolves({});
    const writer = makeConfigChangeWriter(table);
    await writer.commit({ kind: 'rule.put', rule: { id: 'a', profile: 'p', priority: 0 } }, audit, 1);
    await writer.commit({ kind: 'rule.put', rule: { id: 'new', profile: 'p', priority: 0 } }, audit, 2);
    const positions = ddb
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item?.position);
    expect(positions).toEqual([0, 5]);
  });

  it('reports a site without configuration as SiteNotConfigured', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));
    ddb.on(GetCommand).resolves({});
    await expect(
      makeConfigChangeWriter(table).commit({ kind: 'profile.delete', name: 'residential' }, audit, 3),
    ).rejects.toBeInstanceOf(SiteNotConfigured);
  });

  it('refuses a change validated against an older version as ConfigurationChanged', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));
    ddb.on(GetCommand).resolves({});
    ddb
      .on(GetCommand, { Key: { pk: 'SITE#carcassonne', sk: 'SETTINGS' } })
      .resolves({ Item: { pk: 'SITE#carcassonne', sk: 'SETTINGS', configVersion: 4 } });
    await expect(
      makeConfigChangeWriter(table).commit({ kind: 'profile.delete', name: 'residential' }, audit, 3),
    ).rejects.toBeInstanceOf(ConfigurationChanged);
  });

  it('takes a refused retry of a transaction that had committed as stored: its audit entry is there', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed'));
    ddb.on(GetCommand).resolves({ Item: { ...audit } });
    await expect(
      makeConfigChangeWriter(table).commit({ kind: 'profile.delete', name: 'residential' }, audit, 3),
    ).resolves.toBeUndefined();
  });

  it('refuses a change whose transaction met a concurrent one as ConfigurationChanged (retry)', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    ddb.on(GetCommand).resolves({});
    ddb
      .on(GetCommand, { Key: { pk: 'SITE#carcassonne', sk: 'SETTINGS' } })
      .resolves({ Item: { pk: 'SITE#carcassonne', sk: 'SETTINGS', configVersion: 3 } });
    await expect(
      makeConfigChangeWriter(table).commit({ kind: 'profile.delete', name: 'residential' }, audit, 3),
    ).rejects.toBeInstanceOf(ConfigurationChanged);
  });
});

describe('alarm acknowledgements', () => {
  it('records who acknowledged, with the audit entry, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await makeAlarmAcknowledgements(table).acknowledge('L-1', 'lampFailure', audit)).toBe(
      'acknowledged',
    );
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({
      Key: { pk: 'SITE#carcassonne#LUM#L-1', sk: 'ALARM#lampFailure' },
      ConditionExpression: '#state = :open',
    });
  });

  it('closes a report erasing the e-mail and the map point its resident left, audited in the same transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const closing = { ...audit, action: 'alarm.close' };
    expect(await makeAlarmAcknowledgements(table).close('L-1', 'citizen-report', closing)).toBe('closed');
    const [alarm, entry] = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const removed = /\bREMOVE (.+)$/.exec(alarm?.Update?.UpdateExpression ?? '')?.[1]?.split(/,\s*/);
    expect(removed).toEqual(expect.arrayContaining(['contactEmail', 'reporterPoint']));
    expect(alarm?.Update?.Key).toEqual({ pk: 'SITE#carcassonne#LUM#L-1', sk: 'ALARM#citizen-report' });
    expect(entry?.Put?.Item).toMatchObject({ action: 'alarm.close' });
  });

  it('says not-open when the alarm is cleared or missing', async () => {
    const reasons = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    });
    ddb.on(TransactWriteCommand).rejects(reasons);
    expect(await makeAlarmAcknowledgements(table).acknowledge('L-1', 'lampFailure', audit)).toBe('not-open');
  });
});
