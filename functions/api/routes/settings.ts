import { z } from 'zod';
import { AlarmPolicy, Config, PresencePolicy, Site } from '#schedules/index.ts';
import type { SiteSettings } from '../../store/index.ts';
import { siteSettingsOf } from '../change/apply.ts';
import { runConfigChange } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { etagOf } from '../etag.ts';
import { checkPreconditions } from '../preconditions.ts';
import { ApiProblem } from '../problem.ts';
import { json, parseBody, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';
import { changeContextOf } from './query.ts';

/**
 * The settings a PUT replaces. The time zone and the position may be left out (kept as they are);
 * the other fields take their defaults when absent, as in the configuration file.
 */
const SettingsBody = z.strictObject({
  site: Site.partial({ timezone: true, latitude: true, longitude: true }),
  presence: PresencePolicy,
  alarms: AlarmPolicy.default(AlarmPolicy.parse({})),
  planNights: Config.shape.planNights.unwrap(),
});

/**
 * The requested settings on top of the current ones. The time zone cannot change: nights, the
 * luminaire-day items and every rollup are keyed by the local date of the night, so a new zone
 * would split or merge nights already stored.
 */
function settingsAfter(current: SiteSettings, body: z.output<typeof SettingsBody>): SiteSettings {
  const { timezone, latitude, longitude, zones } = current.site;
  if (body.site.timezone !== undefined && body.site.timezone !== timezone) {
    throw new ApiProblem('validation-failed', 'the site time zone cannot change', [
      {
        pointer: '/site/timezone',
        detail: `the site is in ${timezone}: nights and energy rollups are keyed by its local dates`,
      },
    ]);
  }
  return {
    // The zones' facts are kept unless the body gives them: the settings form does not edit them.
    site: { timezone, latitude, longitude, ...(zones === undefined ? {} : { zones }), ...body.site },
    presence: body.presence,
    alarms: body.alarms,
    planNights: body.planNights,
  };
}

/**
 * The site settings (tariff, CO2 factor, currency, standby power, presence policy, plan nights):
 * read with their ETag, replaced by an admin with If-Match as a versioned, audited configuration
 * change (`settings.put`). A new planNights re-plans every luminaire; the others change reports
 * and presence boosts only, so nothing is pushed.
 */
export function settingsRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/settings',
      roles: SCHEDULE_ROLES,
      async handle() {
        const settings = siteSettingsOf(await deps.config.load());
        return json(200, settings, { etag: etagOf(settings) });
      },
    },
    {
      method: 'PUT',
      path: '/settings',
      roles: ['admin'],
      maxBodyBytes: 16 * 1024,
      async handle(request) {
        const body = parseBody(request, SettingsBody);
        let stored: SiteSettings | undefined;
        const outcome = await runConfigChange(
          deps,
          {
            ...changeContextOf(request),
            precondition: (config) =>
              checkPreconditions(request, siteSettingsOf(config), 'the site settings'),
          },
          (config) => {
            stored = settingsAfter(siteSettingsOf(config), body);
            return { kind: 'settings.put', settings: stored };
          },
        );
        return json(200, outcome, outcome.dryRun || stored === undefined ? {} : { etag: etagOf(stored) });
      },
    },
  ];
}
