import { z } from 'zod';
import { isZoneLimited } from '#protocol/principal.ts';
import { checkCompliance } from '#schedules/compliance/check.ts';
import { LocalDate } from '#schedules/config/schema.ts';
import { circuitsOf } from '#schedules/plan/plan-night.ts';
import { nightOf } from '#schedules/time/night.ts';
import type { ApiDeps } from '../deps.ts';
import { json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';

/** Nights a compliance check may read: the order's rules and our plans make no sense far from now. */
const ComplianceQuery = z.object({
  night: LocalDate.refine((night) => night >= '2019-01-01' && night <= '2099-12-31', {
    message: 'expected a night of the years 2019 to 2099 (the order is in force since 2019)',
  }).optional(),
});

/**
 * The light-nuisance order checked against the inventory, the zones' facts and a night's plan
 * (default: tonight, site time). A zone-limited technician gets the check of their zones only.
 */
export function complianceRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/compliance',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const query = parseQuery(request, ComplianceQuery);
        const [config, all, cabinets] = await Promise.all([
          deps.config.load(),
          deps.luminaires.listAll(),
          deps.cabinets.listAll(),
        ]);
        const { principal } = request;
        const zones =
          principal.zones === 'all' || !isZoneLimited(principal) ? null : new Set(principal.zones);
        const luminaires = zones === null ? all : all.filter((l) => zones.has(l.zone));
        const night = query.night ?? nightOf(config.site.timezone, deps.now());
        return json(200, checkCompliance(config, luminaires, night, circuitsOf(cabinets, all)));
      },
    },
  ];
}
