import { z } from 'zod';
import { BOOST_SHADOW, PLAN_SHADOW } from '../../../protocol/topics.ts';
import { LocalDate, type Luminaire, nightOf, planNight, ZoneClock } from '../../../schedules/index.ts';
import {
  parseCsvInventory,
  parseGeoJsonInventory,
  thingNameClashes,
} from '../../../schedules/inventory/index.ts';
import { LuminaireId, PlaceName } from '../../../schedules/inventory/schema.ts';
import { zonesOutsideLimit } from '../../auth/principal.ts';
import { NotFound } from '../../shared/errors.ts';
import type { ShadowResult } from '../../shared/shadow-store.ts';
import { commitImport, thingNameConflict } from '../change/import-inventory.ts';
import { planView, previewChange } from '../change/preview.ts';
import { pushReached } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem, fieldErrorAt } from '../problem.ts';
import { type ApiRequest, json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';
import { ChangeQuery } from './query.ts';

const ListQuery = z.object({
  zone: PlaceName.optional(),
  street: PlaceName.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The last id of the previous page. */
  after: LuminaireId.optional(),
});

const ImportQuery = ChangeQuery.extend({ format: z.enum(['geojson', 'csv']).optional() });

/** Below API Gateway's 10 MB, and what one function parses, validates and writes within 29 s. */
const IMPORT_MAX_BODY_BYTES = 6 * 1024 * 1024;

function importFormat(request: ApiRequest, format: 'geojson' | 'csv' | undefined): 'geojson' | 'csv' {
  if (format !== undefined) return format;
  const type = request.headers['content-type'] ?? '';
  if (/\btext\/csv\b/i.test(type)) return 'csv';
  if (/\bapplication\/(geo\+)?json\b/i.test(type)) return 'geojson';
  throw new ApiProblem(
    'unsupported-media-type',
    'send the inventory as application/geo+json or text/csv (or say ?format=geojson|csv)',
  );
}

function shadowValue(result: ShadowResult<unknown>, thingName: string): unknown {
  if (result.ok) return result.value;
  if (result.reason === 'not-found') return null;
  if (result.reason === 'throttled') {
    throw new ApiProblem(
      'too-many-requests',
      `the shadow service is throttling ${thingName}; retry shortly`,
      [],
      {
        'retry-after': '1',
      },
    );
  }
  throw new ApiProblem('unavailable', `the shadow of ${thingName} could not be read: ${result.reason}`);
}

const stateOf = (document: unknown, side: 'reported' | 'desired'): unknown =>
  (document as { state?: Record<string, unknown> } | null)?.state?.[side] ?? null;

/**
 * The inventory: list, import (GeoJSON/CSV, checked all or nothing, then written in audited
 * transactions, see commitImport), one luminaire, its plan and live state.
 */
export function luminaireRoutes(deps: ApiDeps): Route[] {
  async function one(request: ApiRequest): Promise<Luminaire> {
    const id = request.params.id ?? '';
    const [luminaire] = await deps.luminaires.get([id]);
    if (luminaire === undefined) throw new NotFound('luminaire', id);
    return luminaire;
  }

  return [
    {
      method: 'GET',
      path: '/luminaires',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const query = parseQuery(request, ListQuery);
        const all =
          query.zone === undefined
            ? (await deps.luminaires.listAll()).filter(
                (l) => query.street === undefined || l.street === query.street,
              )
            : await deps.luminaires.listZone(query.zone, query.street);
        const sorted = all
          .filter((l) => query.after === undefined || l.id > query.after)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        const items = sorted.slice(0, query.limit);
        const next = sorted.length > query.limit ? items.at(-1)?.id : undefined;
        return json(200, { items, ...(next === undefined ? {} : { next }) });
      },
    },
    {
      method: 'POST',
      path: '/luminaires/import',
      roles: SCHEDULE_ROLES,
      // A CSV row is about 65 bytes: some 90,000 luminaires a request; a larger site imports by district.
      maxBodyBytes: IMPORT_MAX_BODY_BYTES,
      async handle(request) {
        const query = parseQuery(request, ImportQuery);
        const format = importFormat(request, query.format);
        const text = request.body ?? '';
        const parsed =
          format === 'csv'
            ? parseCsvInventory(text, 'request body')
            : parseGeoJsonInventory(text, 'request body');
        if (!parsed.ok) {
          throw new ApiProblem(
            'validation-failed',
            `the inventory has ${parsed.problems.length} problem(s); nothing was imported`,
            parsed.problems.map((problem) => fieldErrorAt(problem.path, problem.message)),
          );
        }
        const imported = parsed.value;
        const existing = await deps.luminaires.get(imported.map((l) => l.id));
        const outside = zonesOutsideLimit(
          request.principal,
          [...imported, ...existing].map((l) => l.zone),
        );
        if (outside.length > 0) {
          throw new ApiProblem('forbidden', `the import touches zones outside yours: ${outside.join(', ')}`);
        }
        const clashes = thingNameClashes(
          imported,
          await deps.luminaires.byThings(imported.map((l) => l.thingName)),
        );
        if (clashes.length > 0) throw thingNameConflict(clashes);
        const config = await deps.config.load();
        const night = query.night ?? nightOf(config.site.timezone, deps.now());
        const preview = previewChange(
          { config, luminaires: existing },
          { config, luminaires: imported },
          night,
        );
        const counts = { created: imported.length - existing.length, replaced: existing.length };
        if (query.dryRun) return json(200, { dryRun: true, action: 'luminaires.import', ...counts, preview });

        const { auditId, chunks } = await commitImport(deps, request.principal, {
          imported,
          existing,
          format,
        });
        const push = await pushReached(
          deps,
          imported.map((l) => l.id),
          { requestId: request.requestId, timezone: config.site.timezone },
        );
        return json(200, {
          dryRun: false,
          action: 'luminaires.import',
          ...counts,
          preview,
          auditId,
          chunks,
          push,
        });
      },
    },
    {
      method: 'GET',
      path: '/luminaires/{id}',
      roles: SCHEDULE_ROLES,
      handle: async (request) => json(200, await one(request)),
    },
    {
      method: 'GET',
      path: '/luminaires/{id}/plan',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { night: requested } = parseQuery(request, z.object({ night: LocalDate.optional() }));
        const [luminaire, config] = await Promise.all([one(request), deps.config.load()]);
        const night = requested ?? nightOf(config.site.timezone, deps.now());
        const [plan] = planNight(config, [luminaire], night).luminaires;
        if (plan === undefined) throw new Error(`planNight returned no plan for ${luminaire.id}`);
        return json(200, {
          id: luminaire.id,
          night,
          timezone: config.site.timezone,
          ...planView(plan, ZoneClock.of(config.site.timezone)),
          baselineWh: Math.round(plan.baselineWh * 10) / 10,
        });
      },
    },
    {
      method: 'GET',
      path: '/luminaires/{id}/state',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { thingName, id } = await one(request);
        const [classic, plan, boost] = await Promise.all([
          deps.shadows.get(thingName),
          deps.shadows.get(thingName, PLAN_SHADOW),
          deps.shadows.get(thingName, BOOST_SHADOW),
        ]);
        return json(200, {
          id,
          thingName,
          reported: stateOf(shadowValue(classic, thingName), 'reported'),
          plan: stateOf(shadowValue(plan, thingName), 'desired'),
          boost: stateOf(shadowValue(boost, thingName), 'desired'),
        });
      },
    },
  ];
}
