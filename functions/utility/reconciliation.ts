import { z } from 'zod';
import { addDays, LocalDate } from '#schedules/index.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { joinMonths } from '#schedules/utility/curve-months.ts';
import type { LoadCurve } from '#schedules/utility/readings.ts';
import type { DeliveryPointReconciliation, Reconciliation } from '#schedules/utility/reconcile.ts';
import { MAX_RECONCILE_NIGHTS, reconcileSite } from '#schedules/utility/reconcile-site.ts';
import { csvLine } from '../reports/csv.ts';
import type {
  CabinetMeterStore,
  CabinetStore,
  ConfigStore,
  LuminaireStore,
  RollupStore,
  UtilityReadingsStore,
} from '../store/index.ts';
import { readInSlices } from './read-in-slices.ts';

const DAY_MS = 86_400_000;
const nightsBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;

/** `?from=&to=` local dates of the site, `to` excluded, 1..MAX_RECONCILE_NIGHTS nights; `format`. */
export const ReconciliationQuery = z
  .object({
    from: LocalDate,
    to: LocalDate,
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => nightsBetween(q.from, q.to) >= 1 && nightsBetween(q.from, q.to) <= MAX_RECONCILE_NIGHTS, {
    path: ['to'],
    message: `must be 1 to ${MAX_RECONCILE_NIGHTS} days after from`,
  });
export type ReconciliationQuery = z.output<typeof ReconciliationQuery>;

export interface ReconciliationDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly utilityReadings: Pick<UtilityReadingsStore, 'head' | 'months'>;
  /** The luminaires' metered nights: summed per cabinet, the "metered" energy of a cabinet without a meter. */
  readonly rollups: Pick<RollupStore, 'luminaireNights'>;
  /** The connected cabinets' meters: the "metered" energy of a cabinet whose meter counted the period. */
  readonly cabinetMeters: Pick<CabinetMeterStore, 'meteredByNight'>;
}

/** Where the site's metered figures come from, over its cabinets. */
export type SiteMetering =
  | 'cabinet meters'
  | 'luminaire meters'
  | 'cabinet and luminaire meters'
  | 'no meter reported: compared with the plans';

export interface SiteReconciliation extends Reconciliation {
  readonly period: { readonly from: LocalDate; readonly to: LocalDate };
  /** Where the metered figures come from (each delivery point's `meteredBy` says it per cabinet). */
  readonly metered: SiteMetering;
}

/** The import reads exports at the parser's default interval, the half-hour. */
const DEFAULT_INTERVAL_SECONDS = 1800;

/** Per cabinet over the period: the imported load curves, the luminaires' meters, the plans. */
export async function loadReconciliation(
  deps: ReconciliationDeps,
  query: Pick<ReconciliationQuery, 'from' | 'to'>,
): Promise<SiteReconciliation> {
  const [config, luminaires, cabinets] = await Promise.all([
    deps.config.load(),
    deps.luminaires.listAll(),
    deps.cabinets.listAll(),
  ]);
  const clock = ZoneClock.of(config.site.timezone);
  const period = { from: clock.toEpoch(query.from, 0), to: clock.toEpoch(query.to, 0) };
  const points = [...new Set(cabinets.map((cabinet) => cabinet.deliveryPointId))];
  const head = await deps.utilityReadings.head();
  const stored = await readInSlices(points, (point) => deps.utilityReadings.months(head, point, period));
  const curves = new Map<string, LoadCurve>(points.map((point, i) => [point, joinMonths(stored[i] ?? [])]));
  const intervalSeconds =
    stored.find((months) => months.length > 0)?.[0]?.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const lastNight = addDays(query.to, -1);
  // Only a connected cabinet has a meter that reports; one that counted no night of the period
  // (not fitted yet, offline) falls back to its luminaires' meters.
  const connected = cabinets.filter((cabinet) => cabinet.controller === 'connected');
  const cabinetNights = await readInSlices(connected, (cabinet) =>
    deps.cabinetMeters.meteredByNight(cabinet.id, query.from, lastNight),
  );
  const cabinetMeteredKwh = new Map<string, number>();
  connected.forEach((cabinet, k) => {
    const nights = cabinetNights[k];
    if (nights === undefined || nights.size === 0) return;
    let wh = 0;
    for (const nightWh of nights.values()) wh += nightWh;
    cabinetMeteredKwh.set(cabinet.id, wh / 1000);
  });
  const meteredWh = new Map<string, number>();
  let reported = false;
  const metered = luminaires.filter((l) => l.cabinet !== undefined && !cabinetMeteredKwh.has(l.cabinet));
  // Summed as read: a year of a large site's nights is never held at once.
  const energyWh = await readInSlices(metered, async (luminaire) => {
    const nights = await deps.rollups.luminaireNights(luminaire.id, query.from, lastNight);
    return nights.length === 0 ? null : nights.reduce((sum, night) => sum + night.wh, 0);
  });
  metered.forEach((luminaire, k) => {
    const wh = energyWh[k];
    if (wh === null || wh === undefined) return;
    reported = true;
    const cabinet = luminaire.cabinet as string;
    meteredWh.set(cabinet, (meteredWh.get(cabinet) ?? 0) + wh);
  });
  const result = reconcileSite({
    config,
    luminaires,
    cabinets,
    readings: { kind: 'load-curve', intervalSeconds, curves },
    period,
    ...(reported ? { meteredKwh: new Map([...meteredWh].map(([id, wh]) => [id, wh / 1000])) } : {}),
    ...(cabinetMeteredKwh.size > 0 ? { cabinetMeteredKwh } : {}),
  });
  return {
    period: { from: query.from, to: query.to },
    metered: siteMetering(cabinetMeteredKwh.size > 0, reported),
    ...result,
  };
}

function siteMetering(byCabinets: boolean, byLuminaires: boolean): SiteMetering {
  if (byCabinets && byLuminaires) return 'cabinet and luminaire meters';
  if (byCabinets) return 'cabinet meters';
  return byLuminaires ? 'luminaire meters' : 'no meter reported: compared with the plans';
}

const COLUMNS = [
  'deliveryPointId',
  'cabinetIds',
  'billedKwh',
  'meteredKwh',
  'meteredBy',
  'plannedKwh',
  'maxDemandKva',
  'subscribedKva',
  'daylightKwh',
] as const;

/**
 * Who metered a delivery point's `meteredKwh`: each source its cabinets' figures come from, once, in
 * cabinet order (`cabinet meter`, `luminaire meters`), `none` for a cabinet nothing metered: a
 * spreadsheet shows whether a gap compares the bill with a meter or with the plans.
 */
function meteredByOf(point: DeliveryPointReconciliation): string {
  const sources = new Set(point.cabinetIds.map((id) => point.meteredBy[id] ?? 'none'));
  return [...sources].join(' + ');
}

/** One line per delivery point, French style (semicolons, decimal comma), its findings' kinds last. */
export function reconciliationCsv(reconciliation: SiteReconciliation): string {
  const lines = [csvLine(['from', 'to', ...COLUMNS, 'findings'], 'fr')];
  for (const point of reconciliation.deliveryPoints) {
    const kinds = reconciliation.findings
      .filter((finding) => finding.deliveryPointId === point.deliveryPointId)
      .map((finding) => finding.kind);
    const cells = COLUMNS.map((column) => {
      if (column === 'meteredBy') return meteredByOf(point);
      const value = point[column];
      if (Array.isArray(value)) return value.join(' ');
      if (typeof value === 'string') return value;
      return typeof value === 'number' ? Math.round(value * 10) / 10 : '';
    });
    lines.push(
      csvLine([reconciliation.period.from, reconciliation.period.to, ...cells, kinds.join(' ')], 'fr'),
    );
  }
  return lines.join('');
}
