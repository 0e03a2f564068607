import { z } from 'zod';
import { isZoneLimited, type Principal, zonesOutsideLimit } from '#protocol/principal.ts';
import { BOOST_SHADOW, PLAN_SHADOW } from '#protocol/topics.ts';
import {
  addDays,
  type Circuits,
  type Config,
  circuitsOf,
  epochDayOf,
  LocalDate,
  type Luminaire,
  NightOverrideSelector,
  NightRuleSelector,
  nightOf,
  nightWindow,
  planNight,
  ruleName,
  ZoneClock,
} from '#schedules/index.ts';
import {
  parseCsvInventory,
  parseGeoJsonInventory,
  thingNameClashes,
  toCsv,
  toGeoJson,
} from '#schedules/inventory/index.ts';
import { LuminaireId, PlaceName } from '#schedules/inventory/schema.ts';
import type { Parsed } from '#schedules/problem.ts';
import { loadCircuits } from '../../shared/circuits.ts';
import { NotFound } from '../../shared/errors.ts';
import type { ShadowResult } from '../../shared/shadow-store.ts';
import type { DecommissionedLuminaire, LuminaireNight } from '../../store/index.ts';
import { commitImport, thingNameConflict } from '../change/import-inventory.ts';
import { planView, previewChange } from '../change/preview.ts';
import { auditEntry, pushReached } from '../change/run-change.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem, fieldErrorAt } from '../problem.ts';
import { type ApiRequest, type ApiResponse, json, parseBody, parseQuery, type Route } from '../router.ts';
import { SCHEDULE_ROLES } from './config-collection.ts';
import { ChangeQuery } from './query.ts';

const ListQuery = z.object({
  zone: PlaceName.optional(),
  street: PlaceName.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The last id of the previous page. */
  after: LuminaireId.optional(),
});

export const ImportQuery = ChangeQuery.extend({ format: z.enum(['geojson', 'csv']).optional() });

/** A year of nights, leap years included: what one request plans and answers (AP6 reads one partition). */
export const MAX_ENERGY_NIGHTS = 366;

const EnergyQuery = z.object({ from: LocalDate, to: LocalDate }).superRefine(({ from, to }, context) => {
  // A bad date is named by its own field; a range needs two calendar dates.
  if (!LocalDate.safeParse(from).success || !LocalDate.safeParse(to).success) return;
  const nights = epochDayOf(to) - epochDayOf(from) + 1;
  if (nights < 1) context.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
  if (nights > MAX_ENERGY_NIGHTS) {
    context.addIssue({
      code: 'custom',
      path: ['to'],
      message: `at most ${MAX_ENERGY_NIGHTS} nights from \`from\` (this range has ${nights})`,
    });
  }
});

export const ExportQuery = z.object({
  format: z.enum(['geojson', 'csv']).default('geojson'),
  zone: PlaceName.optional(),
});

/**
 * Lambda answers at most 6 MB; the export's text stays under it with room for the encoding. A CSV
 * row is about 65 bytes and a GeoJSON feature about 250: a larger site exports by zone.
 */
const EXPORT_MAX_BYTES = 5 * 1024 * 1024;

const DecommissionBody = z.strictObject({ reason: z.string().min(1).max(500).optional() });

const round1 = (wh: number): number => Math.round(wh * 10) / 10;

/** Refuses a zone-limited technician a luminaire outside their zones. */
function holdToZones(principal: Principal, luminaire: Luminaire): void {
  if (zonesOutsideLimit(principal, [luminaire.zone]).length > 0) {
    throw new ApiProblem(
      'forbidden',
      `luminaire ${luminaire.id} is in zone ${luminaire.zone}, outside your zones`,
    );
  }
}

/** Every night from `from` to `to`, inclusive. */
const nightsBetween = (from: LocalDate, to: LocalDate): LocalDate[] =>
  Array.from({ length: epochDayOf(to) - epochDayOf(from) + 1 }, (_, i) => addDays(from, i));

interface EnergyNight {
  readonly night: LocalDate;
  /** null: no report counted for that night. */
  readonly meteredWh: number | null;
  readonly burnH: number | null;
  readonly reports: number;
  /** What the current configuration plans for the luminaire that night; null once it is decommissioned. */
  readonly plannedWh: number | null;
  /** The replaced lamps burning dusk to dawn at full power; null once it is decommissioned. */
  readonly baselineWh: number | null;
}

function energyNights(
  { config, circuits }: { readonly config: Config; readonly circuits: Circuits },
  luminaire: Luminaire,
  metered: readonly LuminaireNight[],
  nights: readonly LocalDate[],
  lastPlannedNight: LocalDate | undefined,
): EnergyNight[] {
  const byNight = new Map(metered.map((row) => [row.night, row]));
  return nights.map((night) => {
    const row = byNight.get(night);
    const plan =
      lastPlannedNight !== undefined && night > lastPlannedNight
        ? undefined
        : planNight(config, [luminaire], night, circuits).luminaires[0];
    return {
      night,
      meteredWh: row === undefined ? null : round1(row.wh),
      burnH: row === undefined ? null : Math.round(row.burnH * 100) / 100,
      reports: row?.reports ?? 0,
      plannedWh: plan === undefined ? null : round1(plan.energyWh),
      baselineWh: plan === undefined ? null : round1(plan.baselineWh),
    };
  });
}

const total = (nights: readonly EnergyNight[], field: 'meteredWh' | 'plannedWh' | 'baselineWh') =>
  round1(nights.reduce((sum, night) => sum + (night[field] ?? 0), 0));

export function attachment(body: string, type: string, filename: string): ApiResponse {
  return {
    status: 200,
    headers: { 'content-type': type, 'content-disposition': `attachment; filename="${filename}"` },
    body,
  };
}

/** Below API Gateway's 10 MB, and what one function parses, validates and writes within 29 s. */
export const IMPORT_MAX_BODY_BYTES = 6 * 1024 * 1024;

/** The records of an import file, or a 422 naming every problem's place in it (nothing imported). */
export function importedOrRefused<T>(parsed: Parsed<T>, what: string): T {
  if (parsed.ok) return parsed.value;
  throw new ApiProblem(
    'validation-failed',
    `${what} has ${parsed.problems.length} problem(s); nothing was imported`,
    parsed.problems.map((problem) => fieldErrorAt(problem.path, problem.message)),
  );
}

export function importFormat(request: ApiRequest, format: 'geojson' | 'csv' | undefined): 'geojson' | 'csv' {
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

/** The latest `timestamp` (epoch seconds) among a shadow's metadata leaves, null when none. */
function latestTimestamp(metadata: unknown): number | null {
  if (typeof metadata !== 'object' || metadata === null) return null;
  const own = (metadata as { timestamp?: unknown }).timestamp;
  let latest = typeof own === 'number' ? own : null;
  for (const value of Object.values(metadata)) {
    const inner = latestTimestamp(value);
    if (inner !== null && (latest === null || inner > latest)) latest = inner;
  }
  return latest;
}

/**
 * When the controller last wrote its classic shadow's `reported` (the metadata AWS keeps per
 * field): it reports there only the plan it applied, its faults and firmware, and once after each
 * connect (ADR 0020), so the console says how old that report is.
 */
const reportedAtOf = (document: unknown): number | null =>
  latestTimestamp((document as { metadata?: { reported?: unknown } } | null)?.metadata?.reported);

/**
 * The inventory: list, import (GeoJSON/CSV, checked all or nothing, then written in audited
 * transactions, see commitImport), export in the import's formats, one luminaire, its plan, live
 * state and energy by night, and its decommissioning (out of the inventory, history kept).
 */
export function luminaireRoutes(deps: ApiDeps): Route[] {
  async function one(request: ApiRequest): Promise<Luminaire> {
    const id = request.params.id ?? '';
    const [luminaire] = await deps.luminaires.get([id]);
    if (luminaire === undefined) throw new NotFound('luminaire', id);
    return luminaire;
  }

  /** An active luminaire, or a decommissioned one as it was (its history stays readable). */
  async function withHistory(
    request: ApiRequest,
  ): Promise<{ luminaire: Luminaire; decommissioned?: DecommissionedLuminaire }> {
    const id = request.params.id ?? '';
    const [luminaire] = await deps.luminaires.get([id]);
    if (luminaire !== undefined) return { luminaire };
    const decommissioned = await deps.luminaires.decommissioned(id);
    if (decommissioned === undefined) throw new NotFound('luminaire', id);
    return { luminaire: decommissioned.luminaire, decommissioned };
  }

  /** The kinds of the luminaire's open alarms, now cleared: nobody is to repair a luminaire gone. */
  async function clearOpenAlarms(id: string, at: string): Promise<string[]> {
    const open = (await deps.alarms.forLuminaire(id)).filter((alarm) => alarm.state === 'open');
    await Promise.all(open.map((alarm) => deps.alarms.clear(id, alarm.kind, at)));
    return open.map((alarm) => alarm.kind).sort();
  }

  /** The inventory of one zone, of a zone-limited technician's zones, or of the whole site. */
  async function exported(principal: Principal, zone: string | undefined): Promise<Luminaire[]> {
    if (zone !== undefined) {
      if (zonesOutsideLimit(principal, [zone]).length > 0) {
        throw new ApiProblem('forbidden', `zone ${zone} is outside your zones`);
      }
      return deps.luminaires.listZone(zone);
    }
    if (isZoneLimited(principal) && principal.zones !== 'all') {
      return (await Promise.all(principal.zones.map((limit) => deps.luminaires.listZone(limit)))).flat();
    }
    return deps.luminaires.listAll();
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
        const circuits = await loadCircuits(deps);
        const cabinets = new Set(circuits.cabinets.map((cabinet) => cabinet.id));
        const parsed =
          format === 'csv'
            ? parseCsvInventory(text, 'request body', cabinets)
            : parseGeoJsonInventory(text, 'request body', cabinets);
        const imported = importedOrRefused(parsed, 'the inventory');
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
        const importedIds = new Set(imported.map((l) => l.id));
        const circuitsAfter = circuitsOf(circuits.cabinets, [
          ...circuits.nodeLess.filter((l) => !importedIds.has(l.id)),
          ...imported,
        ]);
        const preview = previewChange(
          { config, luminaires: existing, circuits },
          { config, luminaires: imported, circuits: circuitsAfter },
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
      // Before /luminaires/{id}, which would take `export` for an id.
      method: 'GET',
      path: '/luminaires/export',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { format, zone } = parseQuery(request, ExportQuery);
        const luminaires = (await exported(request.principal, zone)).sort((a, b) => (a.id < b.id ? -1 : 1));
        const body = format === 'csv' ? toCsv(luminaires) : JSON.stringify(toGeoJson(luminaires));
        if (Buffer.byteLength(body) > EXPORT_MAX_BYTES) {
          throw new ApiProblem(
            'bad-request',
            `the export of ${luminaires.length} luminaires is larger than one answer carries; export by zone`,
            [{ name: 'zone', detail: `required for more than ${EXPORT_MAX_BYTES} bytes of ${format}` }],
          );
        }
        const filename = `luminaires-${zone ?? 'all'}.${format}`;
        return format === 'csv'
          ? attachment(body, 'text/csv; charset=utf-8', filename)
          : attachment(body, 'application/geo+json', filename);
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
      path: '/luminaires/{id}/energy',
      roles: SCHEDULE_ROLES,
      params: { id: LuminaireId },
      async handle(request) {
        const { from, to } = parseQuery(request, EnergyQuery);
        const { luminaire, decommissioned } = await withHistory(request);
        holdToZones(request.principal, luminaire);
        const [config, metered, circuits] = await Promise.all([
          deps.config.load(),
          deps.rollups.luminaireNights(luminaire.id, from, to),
          loadCircuits(deps, [luminaire]),
        ]);
        const lastPlannedNight =
          decommissioned === undefined
            ? undefined
            : nightOf(config.site.timezone, Date.parse(decommissioned.decommissionedAt) / 1000);
        const nights = energyNights(
          { config, circuits },
          luminaire,
          metered,
          nightsBetween(from, to),
          lastPlannedNight,
        );
        return json(200, {
          id: luminaire.id,
          zone: luminaire.zone,
          from,
          to,
          timezone: config.site.timezone,
          ...(decommissioned === undefined ? {} : { decommissionedAt: decommissioned.decommissionedAt }),
          totals: {
            meteredWh: total(nights, 'meteredWh'),
            plannedWh: total(nights, 'plannedWh'),
            baselineWh: total(nights, 'baselineWh'),
          },
          nights,
        });
      },
    },
    {
      method: 'POST',
      path: '/luminaires/{id}/decommission',
      roles: SCHEDULE_ROLES,
      params: { id: LuminaireId },
      maxBodyBytes: 4 * 1024,
      async handle(request) {
        const id = request.params.id ?? '';
        const { reason } =
          request.body === undefined || request.body.trim() === ''
            ? {}
            : parseBody(request, DecommissionBody);
        const [active] = await deps.luminaires.get([id]);
        if (active === undefined) {
          // Sent again (a retry, a second technician): the same answer, and alarms opened since cleared.
          const earlier = await deps.luminaires.decommissioned(id);
          if (earlier === undefined) throw new NotFound('luminaire', id);
          holdToZones(request.principal, earlier.luminaire);
          const clearedAlarms = await clearOpenAlarms(id, new Date(deps.now() * 1000).toISOString());
          return json(200, { ...earlier, alreadyDecommissioned: true, clearedAlarms });
        }
        holdToZones(request.principal, active);
        const record: DecommissionedLuminaire = {
          luminaire: active,
          decommissionedAt: new Date(deps.now() * 1000).toISOString(),
          decommissionedBy: request.principal.username,
          ...(reason === undefined ? {} : { reason }),
        };
        const audit = auditEntry(deps, request.principal, {
          action: 'luminaire.decommission',
          target: `luminaire ${id}`,
          before: active,
          after: record,
        });
        if ((await deps.luminaires.decommission(record, audit)) === 'not-active') {
          throw new ApiProblem(
            'conflict',
            `luminaire ${id} left the inventory while this request ran; retry`,
          );
        }
        const clearedAlarms = await clearOpenAlarms(id, record.decommissionedAt);
        return json(200, { ...record, alreadyDecommissioned: false, auditId: audit.id, clearedAlarms });
      },
    },
    {
      method: 'GET',
      path: '/luminaires/{id}/plan',
      roles: SCHEDULE_ROLES,
      async handle(request) {
        const { night: requested } = parseQuery(request, z.object({ night: LocalDate.optional() }));
        const [luminaire, config] = await Promise.all([one(request), deps.config.load()]);
        const circuits = await loadCircuits(deps, [luminaire]);
        const night = requested ?? nightOf(config.site.timezone, deps.now());
        const [plan] = planNight(config, [luminaire], night, circuits).luminaires;
        if (plan === undefined) throw new Error(`planNight returned no plan for ${luminaire.id}`);
        const clock = ZoneClock.of(config.site.timezone);
        const rule = new NightRuleSelector(config.calendar, night).select(luminaire);
        const overrides = new NightOverrideSelector(config.overrides, nightWindow(clock, night)).select(
          luminaire,
        );
        return json(200, {
          id: luminaire.id,
          night,
          timezone: config.site.timezone,
          // Why it does that: the calendar rule that chose the profile, the overrides on top.
          rule: rule === null ? null : ruleName(rule),
          overrides: overrides.map((override) => override.id),
          ...planView(plan, clock),
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
        const reported = shadowValue(classic, thingName);
        return json(200, {
          id,
          thingName,
          reported: stateOf(reported, 'reported'),
          reportedAt: reportedAtOf(reported),
          plan: stateOf(shadowValue(plan, thingName), 'desired'),
          boost: stateOf(shadowValue(boost, thingName), 'desired'),
        });
      },
    },
  ];
}
