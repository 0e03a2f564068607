import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Override, Profile } from '#schedules/config/schema.ts';
import { DomainError, SiteNotConfigured } from '../shared/errors.ts';
import { type AuditEntry, auditItem } from './audit-store.ts';
import { configItems, type SiteSettings, type StoredRule } from './config-store.ts';
import {
  type Item,
  isTransactionConditionFailure,
  isTransactionConflict,
  queryAll,
  type TableRef,
} from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** One change to the site configuration, as the technician API makes them. */
export type ConfigChange =
  | { readonly kind: 'profile.put'; readonly name: string; readonly profile: Profile }
  | { readonly kind: 'profile.delete'; readonly name: string }
  | { readonly kind: 'rule.put'; readonly rule: StoredRule }
  | { readonly kind: 'rule.delete'; readonly id: string }
  | { readonly kind: 'override.put'; readonly override: Override }
  /** An override that has started, stored again with `until` moved to now: it stops acting, its history stays. */
  | { readonly kind: 'override.end'; readonly override: Override }
  | { readonly kind: 'override.delete'; readonly id: string }
  | { readonly kind: 'settings.put'; readonly settings: SiteSettings };

/**
 * Another change committed between the read a change was validated against and its commit: the
 * change is not stored, and the caller may retry it from the configuration as it is now.
 */
export class ConfigurationChanged extends DomainError {
  constructor() {
    super('conflict', 'the configuration changed while this change was checked; retry');
    this.name = 'ConfigurationChanged';
  }
}

/**
 * Writes a configuration change and its audit entry in one transaction: both or neither, and only
 * if the configuration is still at `version` (the one the change was validated against).
 */
export interface ConfigChangeWriter {
  commit(change: ConfigChange, audit: AuditEntry, version: number): Promise<void>;
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
      ExpressionAttributeValues: { ':pk': keys.configPk, ':rule': keys.rulePrefix },
      ProjectionExpression: 'sk, #position',
      ExpressionAttributeNames: { '#position': 'position' },
      ConsistentRead: true,
    });
    const existing = rules.find((item) => item.sk === keys.ruleSk(id));
    if (existing !== undefined) return existing.position as number;
    return rules.reduce((max, item) => Math.max(max, (item.position as number) + 1), 0);
  }

  /** The write of the change besides the version bump; a settings change is the version item itself. */
  async function configWrite(change: ConfigChange, updatedAt: string): Promise<TransactItem | null> {
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
      case 'override.end':
        return put(items.override(change.override), updatedAt);
      case 'override.delete':
        return remove(keys.overrideSk(change.id));
      case 'settings.put':
        return null;
    }
  }

  /**
   * Every change moves the configuration to the next version, and only from the one it was
   * validated against: of two changes checked against the same configuration one commits, the
   * other is refused, so the stored whole always passed validation.
   */
  function versionStep(change: ConfigChange, version: number, updatedAt: string): TransactItem {
    const condition = {
      ConditionExpression:
        version === 0
          ? 'attribute_exists(pk) AND (attribute_not_exists(configVersion) OR configVersion = :version)'
          : 'configVersion = :version',
      ExpressionAttributeValues: { ':version': version },
    };
    // A settings change sets its fields in the same conditional update that moves the version on
    // (one transaction may not touch an item twice).
    const settings =
      change.kind === 'settings.put'
        ? {
            site: change.settings.site,
            presence: change.settings.presence,
            alarms: change.settings.alarms,
            planNights: change.settings.planNights,
            updatedAt,
          }
        : {};
    const names = Object.keys(settings);
    return {
      Update: {
        TableName: tableName,
        Key: items.key(keys.settingsSk),
        UpdateExpression: `SET ${['configVersion = :next', ...names.map((name) => `#${name} = :${name}`)].join(', ')}`,
        ...condition,
        ...(names.length === 0
          ? {}
          : { ExpressionAttributeNames: Object.fromEntries(names.map((name) => [`#${name}`, name])) }),
        ExpressionAttributeValues: {
          ...condition.ExpressionAttributeValues,
          ':next': version + 1,
          ...Object.fromEntries(Object.entries(settings).map(([name, value]) => [`:${name}`, value])),
        },
      },
    };
  }

  /**
   * Why a commit was refused: no configuration at all, or a newer one than the change was checked
   * against; undefined when the change is stored after all (its audit entry exists: a retry of a
   * transaction that had committed, e.g. after a timeout, fails its own version condition).
   */
  async function refusal(audit: AuditEntry): Promise<Error | undefined> {
    const { pk, sk } = auditItem(site, audit);
    const recorded = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }),
    );
    if (recorded.Item !== undefined) return undefined;
    const settings = await db.send(
      new GetCommand({ TableName: tableName, Key: items.key(keys.settingsSk), ConsistentRead: true }),
    );
    return settings.Item === undefined ? new SiteNotConfigured(site) : new ConfigurationChanged();
  }

  return {
    async commit(change, audit, version) {
      const write = await configWrite(change, audit.at);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              ...(write === null ? [] : [write]),
              { Put: { TableName: tableName, Item: auditItem(site, audit) } },
              versionStep(change, version, audit.at),
            ],
          }),
        );
      } catch (error) {
        if (!isTransactionConditionFailure(error) && !isTransactionConflict(error)) throw error;
        const refused = await refusal(audit);
        if (refused !== undefined) throw refused;
      }
    },
  };
}
