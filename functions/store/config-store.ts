import { type CalendarRule, Config, type Override, type Profile } from '#schedules/config/schema.ts';
import { parseInput, SiteNotConfigured } from '../shared/errors.ts';
import { batchWrite, type Item, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** Overrides stay readable this long after they expire (audit, reports), then TTL removes them. */
const OVERRIDE_RETENTION_SECONDS = 90 * 86_400;

export type SiteSettings = Pick<Config, 'site' | 'presence' | 'alarms' | 'planNights'>;

/** A calendar rule as stored: it always has an id (its key) once it is in the table. */
export type StoredRule = CalendarRule & { id: string };

/** The configuration with the version it was read at: a change commits only if it is still current. */
export interface VersionedConfig {
  readonly config: Config;
  /** The settings item's `configVersion`: every change and every replace bumps it. */
  readonly version: number;
}

/** The site configuration, one partition (AP1): settings, profiles, calendar rules, overrides. */
export interface ConfigStore {
  /** The whole configuration, validated; throws SiteNotConfigured when there is none. */
  load(): Promise<Config>;
  /** load, with the version a change made from it must still find when it commits. */
  loadVersioned(): Promise<VersionedConfig>;
  /** Replaces the whole configuration (example load, import): items no longer present are deleted. */
  replace(config: Config): Promise<void>;
}

/**
 * The items of the configuration partition, so that writers other than this store (the API's
 * transactional change + audit entry) write exactly the same shapes.
 */
export function configItems(site: string) {
  const keys = siteKeys(site);
  const key = (sk: string) => ({ pk: keys.configPk, sk });
  return {
    key,
    settings: (s: SiteSettings, configVersion?: number): Item => ({
      ...key(keys.settingsSk),
      site: s.site,
      presence: s.presence,
      alarms: s.alarms,
      planNights: s.planNights,
      ...(configVersion === undefined ? {} : { configVersion }),
    }),
    profile: (name: string, profile: Profile): Item => ({ ...key(keys.profileSk(name)), name, profile }),
    rule: (rule: StoredRule, position: number): Item => ({ ...key(keys.ruleSk(rule.id)), rule, position }),
    override: (override: Override): Item => ({
      ...key(keys.overrideSk(override.id)),
      override,
      expiresAt: Math.floor(Date.parse(override.until) / 1000) + OVERRIDE_RETENTION_SECONDS,
    }),
  };
}

/**
 * Every item of a whole configuration; a rule without an id gets `rule-<n>` by its calendar
 * position. Shared with the deployment, which seeds a new table with the site's config file.
 */
export function wholeConfigItems(site: string, config: Config, configVersion?: number): Item[] {
  const items = configItems(site);
  return [
    items.settings(config, configVersion),
    ...Object.entries(config.profiles).map(([name, profile]) => items.profile(name, profile)),
    ...config.calendar.map((rule, position) =>
      items.rule({ ...rule, id: rule.id ?? `rule-${position + 1}` }, position),
    ),
    ...config.overrides.map(items.override),
  ];
}

/** A settings item without a version (seeded, or written before versions existed) is version 0. */
const versionOf = (settings: Item): number => (settings.configVersion as number | undefined) ?? 0;

export function makeConfigStore({ db, tableName, site }: TableRef & { site: string }): ConfigStore {
  const keys = siteKeys(site);
  const ref = { db, tableName };
  const items = configItems(site);
  const { key } = items;

  const readPartition = () =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.configPk },
      ConsistentRead: true,
    });

  async function loadVersioned(): Promise<VersionedConfig> {
    const stored = await readPartition();
    const settings = stored.find((item) => item.sk === keys.settingsSk);
    if (settings === undefined) throw new SiteNotConfigured(site);
    const of = (prefix: string) => stored.filter((item) => (item.sk as string).startsWith(prefix));
    const rules = of(keys.rulePrefix).sort((a, b) => (a.position as number) - (b.position as number));
    const config = parseInput(
      Config,
      {
        site: settings.site,
        presence: settings.presence,
        alarms: settings.alarms,
        planNights: settings.planNights,
        profiles: Object.fromEntries(of(keys.profilePrefix).map((item) => [item.name, item.profile])),
        calendar: rules.map((item) => item.rule),
        overrides: of(keys.overridePrefix).map((item) => item.override),
      },
      `table ${tableName}, site ${site}`,
    );
    return { config, version: versionOf(settings) };
  }

  return {
    load: async () => (await loadVersioned()).config,
    loadVersioned,

    async replace(config) {
      const current = await readPartition();
      const settings = current.find((item) => item.sk === keys.settingsSk);
      // A replace is a change too: a change validated against the configuration it replaces must not commit.
      const wanted = wholeConfigItems(site, config, settings === undefined ? 0 : versionOf(settings) + 1);
      const wantedSks = new Set(wanted.map((item) => item.sk));
      const stale = current.filter((item) => !wantedSks.has(item.sk));
      const updatedAt = new Date().toISOString();
      await batchWrite(ref, [
        ...wanted.map((item) => ({ PutRequest: { Item: { ...item, updatedAt } } })),
        ...stale.map((item) => ({ DeleteRequest: { Key: key(item.sk as string) } })),
      ]);
    },
  };
}
