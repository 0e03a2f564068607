import { z } from 'zod';
import { zonesOutsideLimit } from '#protocol/principal.ts';
import { PresenceSensor } from '#schedules/inventory/schema.ts';
import { SENSOR_IMPORT_LIMIT } from '../../store/sensor-store.ts';
import { auditEntry } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem, fieldErrors } from '../problem.ts';
import { json, parseBody, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';
import { ChangeQuery } from './query.ts';

/** Refuses a second sensor of the same id, at `base`/index. */
const uniqueIds =
  (base: readonly string[]) =>
  (sensors: readonly PresenceSensor[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    sensors.forEach((sensor, i) => {
      if (seen.has(sensor.id)) {
        ctx.addIssue({ code: 'custom', path: [...base, i], message: `duplicate sensor id ${sensor.id}` });
      }
      seen.add(sensor.id);
    });
  };

/** A JSON array of sensors, as examples/<site>/sensors.json. */
const SensorList = z.array(PresenceSensor).max(SENSOR_IMPORT_LIMIT).superRefine(uniqueIds([]));

/** GeoJSON (RFC 7946): Point features at [lon, lat] with properties `id`, `street`, `zone` (others ignored). */
const SensorFeature = z
  .object({
    type: z.literal('Feature'),
    geometry: z.object({
      type: z.literal('Point'),
      coordinates: z.tuple([PresenceSensor.shape.lon, PresenceSensor.shape.lat]).rest(z.number()),
    }),
    properties: z.looseObject(PresenceSensor.pick({ id: true, street: true, zone: true }).shape),
  })
  .transform(({ geometry, properties }) => ({
    id: properties.id,
    lat: geometry.coordinates[1],
    lon: geometry.coordinates[0],
    street: properties.street,
    zone: properties.zone,
  }));
const SensorCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(SensorFeature).max(SENSOR_IMPORT_LIMIT),
  })
  .transform((collection) => collection.features)
  .superRefine(uniqueIds(['features']));

const ListQuery = z.object({ zone: z.string().min(1).max(200).optional() });

function parseSensors(raw: unknown): PresenceSensor[] {
  const parsed = (Array.isArray(raw) ? SensorList : SensorCollection).safeParse(raw);
  if (!parsed.success) {
    throw new ApiProblem(
      'validation-failed',
      `the sensors have ${parsed.error.issues.length} problem(s); nothing was imported`,
      fieldErrors(parsed.error.issues, 'body'),
    );
  }
  return parsed.data;
}

/**
 * The presence sensor inventory: where each sensor stands. Presence places a detection there, by
 * the sensor id of its topic, so a sensor not imported here boosts nothing.
 */
export function sensorRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/sensors',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { zone } = parseQuery(request, ListQuery);
        const items = (await deps.sensors.listAll())
          .filter((sensor) => zone === undefined || sensor.zone === zone)
          .sort((a, b) => (a.id < b.id ? -1 : 1));
        return json(200, { items });
      },
    },
    {
      method: 'POST',
      path: '/sensors/import',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { dryRun } = parseQuery(request, ChangeQuery);
        const imported = parseSensors(parseBody(request, z.unknown()));
        const ids = new Set(imported.map((sensor) => sensor.id));
        const existing = (await deps.sensors.listAll()).filter((sensor) => ids.has(sensor.id));
        const outside = zonesOutsideLimit(
          request.principal,
          [...imported, ...existing].map((sensor) => sensor.zone),
        );
        if (outside.length > 0) {
          throw new ApiProblem('forbidden', `the import touches zones outside yours: ${outside.join(', ')}`);
        }
        const counts = { created: imported.length - existing.length, replaced: existing.length };
        if (dryRun) return json(200, { dryRun: true, action: 'sensors.import', ...counts });
        const entry = auditEntry(deps, request.principal, {
          action: 'sensors.import',
          target: `${imported.length} sensors`,
          before: existing,
          after: imported,
        });
        await deps.sensors.importAudited(imported, entry);
        return json(200, { dryRun: false, action: 'sensors.import', ...counts, auditId: entry.id });
      },
    },
  ];
}
