/**
 * The DynamoDB tables as plain data: `createTables` (tests, `npm start`) and the CDK stack both read
 * these definitions, so the local key schema is exactly the deployed one. Attribute types use the
 * DynamoDB letters ('S'), which are also the values of CDK's `AttributeType` enum.
 * The access patterns are named in docs/adr/0002-dynamodb-access-patterns.md.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Every index projects all attributes: its items are small and read whole. */
  readonly projection: 'ALL';
}

export interface TableDefinition {
  /** Logical name: the environment variable holding the physical name is given next to it. */
  readonly id: 'main' | 'telemetry';
  readonly envVar: 'TABLE_NAME' | 'TELEMETRY_TABLE_NAME';
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute: string;
  readonly billingMode: 'PAY_PER_REQUEST';
}

export const GSI_ZONE = 'gsi1';
export const GSI_THING = 'gsi2';

/** Site config, inventory, push state, presence state, meter state, luminaire and closed nights, alarms, audit. */
export const MAIN_TABLE: TableDefinition = {
  id: 'main',
  envVar: 'TABLE_NAME',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: GSI_ZONE,
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      projection: 'ALL',
    },
    {
      indexName: GSI_THING,
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
};

/** Raw luminaire reports, kept about 400 days (TTL). */
export const TELEMETRY_TABLE: TableDefinition = {
  id: 'telemetry',
  envVar: 'TELEMETRY_TABLE_NAME',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
};

export const TABLES: readonly TableDefinition[] = [MAIN_TABLE, TELEMETRY_TABLE];
