import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local-cloud/index.ts';
import { localDynamoDb, uniqueName } from '../local-clients.ts';

async function createTable(db: DynamoDBClient, TableName: string) {
  await db.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const key = (pk: string, sk: string) => ({ pk: { S: pk }, sk: { S: sk } });

describe('DynamoDB Local (shared, in memory)', () => {
  const db = localDynamoDb();

  it('creates a table and reads back what was put', async () => {
    const table = uniqueName('t');
    await createTable(db, table);
    await db.send(
      new PutItemCommand({ TableName: table, Item: { ...key('L#1', 'META'), watts: { N: '30' } } }),
    );
    const { Item } = await db.send(new GetItemCommand({ TableName: table, Key: key('L#1', 'META') }));
    expect(Item?.watts).toEqual({ N: '30' });
  });

  it('applies a transaction entirely or, when a condition fails, not at all', async () => {
    const table = uniqueName('t');
    await createTable(db, table);
    const put = (sk: string) => ({
      Put: { TableName: table, Item: { ...key('Z#cite', sk), kwh: { N: '1' } } },
    });
    await db.send(new TransactWriteItemsCommand({ TransactItems: [put('2026-06-21'), put('2026-06-22')] }));

    const conflicting = db.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          put('2026-06-23'),
          {
            ...put('2026-06-21'),
            Put: { ...put('2026-06-21').Put, ConditionExpression: 'attribute_not_exists(pk)' },
          },
        ],
      }),
    );
    await expect(conflicting).rejects.toBeInstanceOf(TransactionCanceledException);
    const { Item } = await db.send(
      new GetItemCommand({ TableName: table, Key: key('Z#cite', '2026-06-23') }),
    );
    expect(Item).toBeUndefined();
  });
});

describe('DynamoDB Local with a data directory', () => {
  // Two Java starts: 8 s on a quiet CI run, 35 s for the test at load 7.
  it('keeps tables and items across a restart and leaves no Java process behind', {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
    try {
      const first = await startDynamoDbLocal({ dataDir });
      const client = (endpoint: string) =>
        new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const before = client(first.endpoint);
      await createTable(before, 'kept');
      await before.send(new PutItemCommand({ TableName: 'kept', Item: { ...key('a', 'b'), n: { N: '1' } } }));
      before.destroy();
      await first.stop();
      expect(isAlive(first.pid ?? 0)).toBe(false);

      const second = await startDynamoDbLocal({ dataDir });
      const after = client(second.endpoint);
      try {
        const { Item } = await after.send(new GetItemCommand({ TableName: 'kept', Key: key('a', 'b') }));
        expect(Item?.n).toEqual({ N: '1' });
      } finally {
        after.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('DynamoDB Local process hygiene', () => {
  // A Java start and stop: 6 s on a quiet CI run, 20 s at load 7.
  it('kills the Java child when its Node process is terminated by SIGTERM', {
    timeout: 300_000,
  }, async () => {
    const node = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/integration/local-cloud/fixtures/dynamodb-local-process.ts'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    let javaPid = 0;
    try {
      const [line] = (await once(
        createInterface({ input: node.stdout as NodeJS.ReadableStream }),
        'line',
      )) as [string];
      javaPid = Number(line);
      expect(isAlive(javaPid)).toBe(true);
      node.kill('SIGTERM');
      await once(node, 'exit');
      await expect.poll(() => isAlive(javaPid)).toBe(false);
    } finally {
      node.kill('SIGKILL');
      if (javaPid > 0 && isAlive(javaPid)) process.kill(javaPid, 'SIGKILL');
    }
  });
});
