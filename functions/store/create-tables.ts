import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { MAIN_TABLE, type TableDefinition, TELEMETRY_TABLE } from './table-definitions.ts';

export interface TableNames {
  readonly main: string;
  readonly telemetry: string;
}

async function createTable(
  db: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<void> {
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  try {
    await db.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: definition.billingMode,
        AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
        KeySchema: [
          { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes:
          definition.globalSecondaryIndexes.length === 0
            ? undefined
            : definition.globalSecondaryIndexes.map((index) => ({
                IndexName: index.indexName,
                KeySchema: [
                  { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
                  { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: index.projection },
              })),
      }),
    );
  } catch (error) {
    // Tables survive a restart of `npm start` (data directory): existing ones are kept as they are.
    if (error instanceof ResourceInUseException) return;
    throw error;
  }
  await waitUntilTableExists({ client: db, maxWaitTime: 60 }, { TableName: tableName });
  await db.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
    }),
  );
}

/** Creates the main and telemetry tables from the shared definitions (idempotent). */
export async function createTables(db: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all([
    createTable(db, MAIN_TABLE, names.main),
    createTable(db, TELEMETRY_TABLE, names.telemetry),
  ]);
}
