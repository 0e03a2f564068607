import { z } from 'zod';
import { zonesOutsideLimit } from '#protocol/principal.ts';
import { cabinetTariffProblems } from '#schedules/config/cabinet-tariffs.ts';
import {
  type Cabinet,
  cabinetsCsv,
  parseCsvCabinets,
  parseGeoJsonCabinets,
  toGeoJson,
} from '#schedules/inventory/index.ts';
import { PlaceName } from '#schedules/inventory/schema.ts';
import { CABINET_IMPORT_LIMIT } from '../../store/cabinet-store.ts';
import { auditEntry } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem, fieldErrorAt } from '../problem.ts';
import { json, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';
import { attachment, ExportQuery, ImportQuery, importedOrRefused, importFormat } from './luminaires.ts';

const ListQuery = z.object({ zone: PlaceName.optional() });

const byId = (a: Cabinet, b: Cabinet): number => (a.id < b.id ? -1 : 1);

/**
 * The cabinets (armoires de commande): imported as GeoJSON or CSV, all or nothing, in one audited
 * transaction; listed and exported in the import's formats. The luminaire import refuses a
 * luminaire naming a cabinet not stored here.
 */
export function cabinetRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/cabinets',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { zone } = parseQuery(request, ListQuery);
        const items = (await deps.cabinets.listAll())
          .filter((cabinet) => zone === undefined || cabinet.zone === zone)
          .sort(byId);
        return json(200, { items });
      },
    },
    {
      method: 'POST',
      path: '/cabinets/import',
      roles: SCHEDULE_ROLES,
      maxBodyBytes: 256 * 1024,
      async handle(request) {
        const { dryRun, format: asked } = parseQuery(request, ImportQuery);
        const format = importFormat(request, asked);
        const text = request.body ?? '';
        const parsed =
          format === 'csv'
            ? parseCsvCabinets(text, 'request body')
            : parseGeoJsonCabinets(text, 'request body');
        const imported = importedOrRefused(parsed, 'the cabinet file');
        const unpriced = cabinetTariffProblems(await deps.config.load(), imported, 'request body');
        if (unpriced.length > 0) {
          throw new ApiProblem(
            'validation-failed',
            `${unpriced.length} cabinet(s) name a tariff option no tariff of the config has; nothing was imported`,
            unpriced.map((problem) => fieldErrorAt(problem.path, problem.message)),
          );
        }
        if (imported.length > CABINET_IMPORT_LIMIT) {
          throw new ApiProblem(
            'payload-too-large',
            `at most ${CABINET_IMPORT_LIMIT} cabinets per import (this one has ${imported.length}); import by zone`,
          );
        }
        const ids = new Set(imported.map((cabinet) => cabinet.id));
        const stored = await deps.cabinets.listAll();
        const existing = stored.filter((cabinet) => ids.has(cabinet.id));
        const outside = zonesOutsideLimit(
          request.principal,
          [...imported, ...existing].map((cabinet) => cabinet.zone),
        );
        if (outside.length > 0) {
          throw new ApiProblem('forbidden', `the import touches zones outside yours: ${outside.join(', ')}`);
        }
        const meters = new Map(stored.filter((c) => !ids.has(c.id)).map((c) => [c.deliveryPointId, c.id]));
        const devices = new Map(stored.filter((c) => !ids.has(c.id)).map((c) => [c.thingName, c.id]));
        for (const luminaire of await deps.luminaires.byThings(imported.map((c) => c.thingName))) {
          devices.set(luminaire.thingName, `luminaire ${luminaire.id}`);
        }
        const clashes = imported.flatMap((cabinet) => [
          ...(meters.has(cabinet.deliveryPointId)
            ? [
                {
                  name: `cabinet ${cabinet.id}`,
                  detail: `delivery point ${cabinet.deliveryPointId} is already the meter of cabinet ${meters.get(cabinet.deliveryPointId)}`,
                },
              ]
            : []),
          ...(devices.has(cabinet.thingName)
            ? [
                {
                  name: `cabinet ${cabinet.id}`,
                  detail: `thing name ${JSON.stringify(cabinet.thingName)} is already the device of ${devices.get(cabinet.thingName)}`,
                },
              ]
            : []),
        ]);
        if (clashes.length > 0) {
          throw new ApiProblem(
            'conflict',
            `${clashes.length} cabinet(s) name a meter or a device another one already is; nothing was imported`,
            clashes,
          );
        }
        const counts = { created: imported.length - existing.length, replaced: existing.length };
        if (dryRun) return json(200, { dryRun: true, action: 'cabinets.import', ...counts });
        const entry = auditEntry(deps, request.principal, {
          action: 'cabinets.import',
          target: `${imported.length} cabinets (${format})`,
          before: existing,
          after: imported,
        });
        await deps.cabinets.importAudited(imported, entry);
        return json(200, { dryRun: false, action: 'cabinets.import', ...counts, auditId: entry.id });
      },
    },
    {
      method: 'GET',
      path: '/cabinets/export',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { format, zone } = parseQuery(request, ExportQuery);
        if (zone !== undefined && zonesOutsideLimit(request.principal, [zone]).length > 0) {
          throw new ApiProblem('forbidden', `zone ${zone} is outside your zones`);
        }
        const cabinets = (await deps.cabinets.listAll())
          .filter((cabinet) => zone === undefined || cabinet.zone === zone)
          .sort(byId);
        const filename = `cabinets-${zone ?? 'all'}.${format}`;
        return format === 'csv'
          ? attachment(cabinetsCsv(cabinets), 'text/csv; charset=utf-8', filename)
          : attachment(JSON.stringify(toGeoJson(cabinets)), 'application/geo+json', filename);
      },
    },
  ];
}
