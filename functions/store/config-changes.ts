import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Override, Profile } from '../../schedules/config/schema.ts';
import { SiteNotConfigured } from '../shared/errors.ts';
import { type AuditEntry, auditItem } from './audit-store.ts';
import { configItems, type StoredRule } from './config-store.ts';
import { type Item, isTransactionConditionFailure, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** One change to the site configuration, as the technician API makes them. */
export type ConfigChange =
  | { readonly kind: 'profile.put'; readonly name: string; readonly profile: Profile }
  | { readonly kind: 'profile.delete'; readonly name: string }
  | { readonly kind: 'rule.put'; readonly rule: StoredRule }
  | { readonly kind: 'rule.delete'; readonly id: string }
  | { readonly kind: 'override.put'; readonly override: Override }
  | { readonly kind: 'override.delete'; readonly id: string };

/** Writes a configuration change and its audit entry in one transaction: both or neither. */
export interface ConfigChangeWriter {
  commit(change: ConfigChange, audit: AuditEntry): Promise<void>;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export function makeConfigChangeWriter({
  db,
  tableName,
  site,
}: TableRef & { site: string }): ConfigChangeWriter {
  const keys = siteKeys(site);
  const items = configItems(site);
  const put = (item: Item, updatedAt: string): TransactItem => ({
    Put: { TableName: tableName, Item: { ...item, updatedAt } },
  });
  const remove = (sk: string): TransactItem => ({ Delete: { TableName: tableName, Key: items.key(sk) } });

  /** An existing rule keeps its place in the calendar; a new one goes last. */
  async function positionOf(id: string): Promise<number> {
    const rules = await queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rule)',
      ExpressionAttributeValues: { ':pk': keys.configPk, ':rule': 'RULE#' },
      ProjectionExpression: 'sk, #position',
      ExpressionAttributeNames: { '#position': 'position' },
      ConsistentRead: true,
    });
    const existing = rules.find((item) => item.sk === keys.ruleSk(id));
    if (existing !== undefined) return existing.position as number;
    return rules.reduce((max, item) => Math.max(max, (item.position as number) + 1), 0);
  }

  async function configWrite(change: ConfigChange, updatedAt: string): Promise<TransactItem> {
    switch (change.kind) {
      case 'profile.put':
        return put(items.profile(change.name, change.profile), updatedAt);
      case 'profile.delete':
        return remove(keys.profileSk(change.name));
      case 'rule.put':
        return put(items.rule(change.rule, await positionOf(change.rule.id)), updatedAt);
      case 'rule.delete':
        return remove(keys.ruleSk(change.id));
      case 'override.put':
        return put(items.override(change.override), updatedAt);
      case 'override.delete':
        return remove(keys.overrideSk(change.id));
    }
  }

  return {
    async commit(change, audit) {
      const write = await configWrite(change, audit.at);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              write,
              { Put: { TableName: tableName, Item: auditItem(site, audit) } },
              {
                // Every change bumps the configuration version (readers cache by it), and the
                // condition refuses a change to a site that has no configuration.
                Update: {
                  TableName: tableName,
                  Key: items.key(keys.settingsSk),
                  UpdateExpression: 'ADD configVersion :one',
                  ConditionExpression: 'attribute_exists(pk)',
                  ExpressionAttributeValues: { ':one': 1 },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (isTransactionConditionFailure(error)) throw new SiteNotConfigured(site);
        throw error;
      }
    },
  };
}
