import { toEclExt } from '#schedules/export/eclext.ts';
import { addDays, type Config, nightOf, planNight, ZoneClock } from '#schedules/index.ts';
import { dcatCatalog, PUBLIC_DATASETS } from '#schedules/public/catalog.ts';
import { LitHoursQuery, nightsOfMonth, PublicScheduleQuery } from '#schedules/public/query.ts';
import { type StreetNight, streetNights } from '#schedules/public/street-schedule.ts';
import type { CsvStyle } from '#schedules/report/query.ts';
import { round } from '../../reports/columns.ts';
import { csvLine } from '../../reports/csv.ts';
import { loadSavingsReport } from '../../reports/savings-report.ts';
import type { ApiDeps } from '../deps.ts';
import type { PublicAccess } from '../public/access.ts';
import { publicInventory } from '../public/inventory.ts';
import { type ApiRequest, type ApiResponse, json, parseQuery, type Route } from '../router.ts';

/**
 * The public reads: plans and aggregates change at most nightly, so an hour of caching costs
 * residents nothing, and a client may read a page's worth (60 at once, one a second after).
 */
export const PUBLIC_READ: PublicAccess = {
  group: 'read',
  rate: { capacity: 60, refillPerSecond: 1 },
  cacheSeconds: 3600,
};

/** Nights of lit hours a harvester gets without asking: the last 30 complete ones. */
const DEFAULT_LIT_HOURS_NIGHTS = 30;

/** A CSV file in the savings report's styles (French by default: `;`, decimal comma, byte-order mark). */
function csvFile(
  fileName: string,
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  style: CsvStyle,
): ApiResponse {
  const body =
    (style === 'fr' ? '\uFEFF' : '') + [header, ...rows].map((row) => csvLine(row, style)).join('');
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${fileName}"`,
    },
    body,
  };
}

const scheduleRow = (street: StreetNight): (string | number)[] => [
  street.night,
  street.zone,
  street.street,
  street.switchOn ?? '',
  street.switchOff ?? '',
  street.extinctions.map((span) => `${span.from}-${span.to}`).join(' '),
  street.reason.rule ?? '',
  street.reason.profile ?? '',
  street.reason.description ?? '',
  street.reason.temporaryChange ? 'yes' : 'no',
];

/** The API's absolute base as the client reached it: CloudFront's function sets the viewer's host. */
function apiBaseOf(request: ApiRequest): string {
  const host = request.headers['x-forwarded-host'] ?? request.headers.host ?? 'localhost';
  const local = /^(localhost|127\.|\[::1\])/.test(host);
  return `${request.headers['x-forwarded-proto'] ?? (local ? 'http' : 'https')}://${host}/api`;
}

/** The communes the configuration names, for a resident to choose one's timetable. */
const communesOf = (config: Config): string[] =>
  [...new Set(Object.values(config.site.zones ?? {}).flatMap((facts) => facts.commune ?? []))].sort((a, b) =>
    a.localeCompare(b, 'fr'),
  );

/** The open-data routes (docs/open-data.md): no sign-in, nothing personal, cached and rate-limited. */
export function publicDataRoutes(deps: ApiDeps): Route[] {
  const inventory = publicInventory(deps, deps.now);
  const today = async () => {
    const config = await deps.config.load();
    return { config, tonight: nightOf(config.site.timezone, deps.now()) };
  };
  /** The luminaires a schedule query names: a zone, the zones the configuration puts in a commune, or all. */
  async function placeOf(query: PublicScheduleQuery, config: Config) {
    if (query.zone !== undefined) return inventory.zone(query.zone);
    const all = await inventory.all();
    if (query.commune === undefined) return all;
    const zones = new Set(
      Object.entries(config.site.zones ?? {})
        .filter(([, facts]) => facts.commune === query.commune)
        .map(([zone]) => zone),
    );
    return all.filter((luminaire) => zones.has(luminaire.zone));
  }
  return [
    {
      method: 'GET',
      path: '/public/catalog.jsonld',
      roles: [],
      public: PUBLIC_READ,
      async handle(request) {
        const config = await deps.config.load();
        const clock = ZoneClock.of(config.site.timezone);
        return json(
          200,
          dcatCatalog({
            apiBase: apiBaseOf(request),
            siteName: config.site.name,
            publisher: config.site.publisher?.name ?? config.site.name,
            publisherUrl: config.site.publisher?.url,
            modified: clock.dateAt(deps.now()),
            datasets: PUBLIC_DATASETS,
          }),
          { 'content-type': 'application/ld+json' },
        );
      },
    },
    {
      method: 'GET',
      path: '/public/schedules',
      roles: [],
      public: PUBLIC_READ,
      async handle(request) {
        const query = parseQuery(request, PublicScheduleQuery);
        const { config, tonight } = await today();
        const nights = query.month === undefined ? [query.night ?? tonight] : nightsOfMonth(query.month);
        const [luminaires, circuits] = await Promise.all([placeOf(query, config), inventory.circuits()]);
        const streets = nights.flatMap((night) => streetNights(config, luminaires, night, circuits));
        if (query.format === 'csv') {
          const place = query.zone ?? query.commune;
          return csvFile(
            `schedules-${query.month ?? nights[0]}${place === undefined ? '' : `-${place}`}.csv`,
            [
              'night',
              'zone',
              'street',
              'switch_on',
              'switch_off',
              'extinctions',
              'rule',
              'profile',
              'description',
              'temporary_change',
            ],
            streets.map(scheduleRow),
            query.csv,
          );
        }
        const when = query.month === undefined ? { night: nights[0] } : { month: query.month };
        const place = query.commune === undefined ? {} : { commune: query.commune };
        return json(200, {
          ...when,
          timezone: config.site.timezone,
          ...place,
          communes: communesOf(config),
          streets,
        });
      },
    },
    {
      method: 'GET',
      path: '/public/eclext.geojson',
      roles: [],
      public: PUBLIC_READ,
      async handle() {
        const { config, tonight } = await today();
        const [luminaires, circuits] = await Promise.all([inventory.all(), inventory.circuits()]);
        const now = deps.now();
        const dataset = {
          producer: config.site.publisher?.name ?? config.site.name,
          // To the hour, as the answer is cached for one: no public answer carries a finer time.
          extractedAt: ZoneClock.of(config.site.timezone).format(now - (now % 3600)),
        };
        return json(200, toEclExt(luminaires, planNight(config, luminaires, tonight, circuits), dataset), {
          'content-type': 'application/geo+json',
        });
      },
    },
    {
      method: 'GET',
      path: '/public/lit-hours',
      roles: [],
      public: PUBLIC_READ,
      async handle(request) {
        const { tonight } = await today();
        const lastNight = addDays(tonight, -1);
        const defaults = { from: addDays(lastNight, 1 - DEFAULT_LIT_HOURS_NIGHTS), to: lastNight };
        const query = parseQuery({ ...request, query: { ...defaults, ...request.query } }, LitHoursQuery);
        const report = await loadSavingsReport({ ...deps, luminaires: { listAll: inventory.all } }, query);
        const rows = report.groups.map((group) => {
          const [zone, street] = query.groupBy === 'street' ? group.key.split(' / ') : [group.key];
          return {
            zone: zone ?? '',
            ...(street === undefined ? {} : { street }),
            luminaires: group.luminaires,
            litHours: round(group.burningHours, 1),
            energyKwh: round(group.meteredKwh, 1),
            completeShare: round(group.completeShare, 4),
          };
        });
        if (query.format === 'csv') {
          return csvFile(
            `lit-hours-${query.from}-${query.to}-by-${query.groupBy}.csv`,
            ['from', 'to', 'zone', 'street', 'luminaires', 'lit_hours', 'energy_kwh', 'complete_share'],
            rows.map((row) => [
              query.from,
              query.to,
              row.zone,
              row.street ?? '',
              row.luminaires,
              row.litHours,
              row.energyKwh,
              row.completeShare,
            ]),
            query.csv,
          );
        }
        return json(200, {
          from: query.from,
          to: query.to,
          groupBy: query.groupBy,
          definition:
            'Lit hours and energy of complete nights only (readings covering the planned night), as in the savings report.',
          rows,
        });
      },
    },
  ];
}
