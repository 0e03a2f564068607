import type { Config } from '#schedules/config/schema.ts';
import type { ConfigChange } from '../../store/config-changes.ts';
import type { SiteSettings } from '../../store/index.ts';

/** The site settings of a configuration, as `GET /settings` shows them and `settings.put` stores them. */
export const siteSettingsOf = ({ site, presence, alarms, planNights }: Config): SiteSettings => ({
  site,
  presence,
  alarms,
  planNights,
});

/** The configuration with the change applied (pure; the stored one is untouched). */
export function applyChange(config: Config, change: ConfigChange): Config {
  switch (change.kind) {
    case 'profile.put':
      return { ...config, profiles: { ...config.profiles, [change.name]: change.profile } };
    case 'profile.delete': {
      const { [change.name]: _removed, ...profiles } = config.profiles;
      return { ...config, profiles };
    }
    case 'rule.put': {
      const at = config.calendar.findIndex((rule) => rule.id === change.rule.id);
      const calendar = [...config.calendar];
      if (at >= 0) calendar[at] = change.rule;
      else calendar.push(change.rule);
      return { ...config, calendar };
    }
    case 'rule.delete':
      return { ...config, calendar: config.calendar.filter((rule) => rule.id !== change.id) };
    case 'override.put':
    case 'override.end':
      return {
        ...config,
        overrides: [...config.overrides.filter((o) => o.id !== change.override.id), change.override],
      };
    case 'override.delete':
      return { ...config, overrides: config.overrides.filter((o) => o.id !== change.id) };
    case 'settings.put':
      return { ...config, ...change.settings };
  }
}

/** What the change replaces or removes (null when it creates): the audit entry's `before`. */
export function valueBefore(config: Config, change: ConfigChange): unknown {
  switch (change.kind) {
    case 'profile.put':
    case 'profile.delete':
      return config.profiles[change.name] ?? null;
    case 'rule.put':
      return config.calendar.find((rule) => rule.id === change.rule.id) ?? null;
    case 'rule.delete':
      return config.calendar.find((rule) => rule.id === change.id) ?? null;
    case 'override.put':
    case 'override.end':
      return config.overrides.find((o) => o.id === change.override.id) ?? null;
    case 'override.delete':
      return config.overrides.find((o) => o.id === change.id) ?? null;
    case 'settings.put':
      return siteSettingsOf(config);
  }
}

/** What the change stores (null when it deletes): the audit entry's `after`. */
export function valueAfter(change: ConfigChange): unknown {
  switch (change.kind) {
    case 'profile.put':
      return change.profile;
    case 'rule.put':
      return change.rule;
    case 'override.put':
    case 'override.end':
      return change.override;
    case 'settings.put':
      return change.settings;
    case 'profile.delete':
    case 'rule.delete':
    case 'override.delete':
      return null;
  }
}

/** `profile residential`, `rule festival`, `override storm-2026-11-25`. */
export function targetOf(change: ConfigChange): string {
  switch (change.kind) {
    case 'profile.put':
    case 'profile.delete':
      return `profile ${change.name}`;
    case 'rule.put':
      return `rule ${change.rule.id}`;
    case 'rule.delete':
      return `rule ${change.id}`;
    case 'override.put':
    case 'override.end':
      return `override ${change.override.id}`;
    case 'override.delete':
      return `override ${change.id}`;
    case 'settings.put':
      return 'site settings';
  }
}
