import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Access, ShadowScope } from '#functions/registry.ts';
import { MAIN_TABLE, type TableDefinition, TELEMETRY_TABLE } from '#functions/store/table-definitions.ts';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * Item-level access to one table and, for queries, to its named indexes only. No Scan: every
 * access pattern is a key lookup or a query (docs/adr/0002-dynamodb-access-patterns.md).
 */
export function grantTable(
  role: IRole,
  table: ITable,
  def: TableDefinition,
  access: 'read' | 'readWrite',
): void {
  const actions = access === 'read' ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
  role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [table.tableArn] }));
  if (def.globalSecondaryIndexes.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: def.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      }),
    );
  }
}

/**
 * Device shadow access for a function that serves the whole fleet. Thing names come from the
 * inventory at run time, so the resource names every thing (`thing/*`); where a function touches
 * only one named shadow, the ARN is narrowed to that shadow of every thing (a thing's classic shadow
 * is `thing/NAME`, a named shadow `thing/NAME/SHADOW`).
 */
export function grantShadows(role: IRole, actions: string[], scope: ShadowScope): void {
  const { partition, region, account } = Stack.of(role);
  const suffix = scope === 'anyShadow' ? '*' : `*/${scope.shadow}`;
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [`arn:${partition}:iot:${region}:${account}:thing/${suffix}`],
    }),
  );
  // cdk-nag names the finding by the ARN as synthesized: pseudo parameters where the stack is
  // environment-agnostic, the account and region where they are known.
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:${shown(partition, 'Partition')}:iot:${shown(region, 'Region')}:${shown(account, 'AccountId')}:thing/${suffix}]`,
    reason:
      'The function serves every luminaire of the inventory, whose thing names are data known only at run time; the ARN is limited to things (and to the one named shadow the function writes, where it writes only one).',
  });
}

const SHADOW_ACTIONS = { read: 'iot:GetThingShadow', write: 'iot:UpdateThingShadow' } as const;

/** The table and shadow access a registry entry (functions/registry.ts) declares. */
export function grantAccess(
  role: IRole,
  access: Access,
  tables: { readonly main: ITable; readonly telemetry: ITable },
): void {
  const { main, telemetry } = access.tables;
  if (main !== undefined) grantTable(role, tables.main, MAIN_TABLE, main);
  if (telemetry !== undefined) grantTable(role, tables.telemetry, TELEMETRY_TABLE, telemetry);
  for (const { actions, scope } of access.shadows ?? []) {
    grantShadows(
      role,
      actions.map((action) => SHADOW_ACTIONS[action]),
      scope,
    );
  }
}
