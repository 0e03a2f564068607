import { z } from 'zod';
import { addDays, LocalDate } from '#schedules/index.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { joinMonths } from '#schedules/utility/curve-months.ts';
import type { LoadCurve } from '#schedules/utility/readings.ts';
import type { Reconciliation } from '#schedules/utility/reconcile.ts';
import { MAX_RECONCILE_NIGHTS, reconcileSite } from '#schedules/utility/reconcile-site.ts';
import { csvLine } from '../reports/csv.ts';
import type {
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
  readonly utilityReadings: Pick<UtilityReadingsStore, 'months'>;
  /** The luminaires' metered nights: summed per cabinet, they are the "metered" energy. */
  readonly rollups: Pick<RollupStore, 'luminaireNights'>;
}

export interface SiteReconciliation extends Reconciliation {
  readonly period: { readonly from: LocalDate; readonly to: LocalDate };
  /** Where the metered figures come from: the luminaires' meters, or none reported (plans only). */
  readonly metered: 'luminaire meters' | 'no luminaire reported: compared with the plans';
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
  const stored = await readInSlices(points, (point) =>
    deps.utilityReadings.months(point, period.from, period.to),
  );
  const curves = new Map<string, LoadCurve>(points.map((point, i) => [point, joinMonths(stored[i] ?? [])]));
  const intervalSeconds =
    stored.find((months) => months.length > 0)?.[0]?.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const lastNight = addDays(query.to, -1);
  const meteredWh = new Map<string, number>();
  let reported = false;
  const metered = luminaires.filter((l) => l.cabinet !== undefined);
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
  });
  return {
    period: { from: query.from, to: query.to },
    metered: reported ? 'luminaire meters' : 'no luminaire reported: compared with the plans',
    ...result,
  };
}

const COLUMNS = [
  'deliveryPointId',
  'cabinetIds',
  'billedKwh',
  'meteredKwh',
  'plannedKwh',
  'maxDemandKva',
  'subscribedKva',
  'daylightKwh',
] as const;

/** One line per delivery point, French style (semicolons, decimal comma), its findings' kinds last. */
export function reconciliationCsv(reconciliation: SiteReconciliation): string {
  const lines = [csvLine(['from', 'to', ...COLUMNS, 'findings'], 'fr')];
  for (const point of reconciliation.deliveryPoints) {
    const kinds = reconciliation.findings
      .filter((finding) => finding.deliveryPointId === point.deliveryPointId)
      .map((finding) => finding.kind);
    const cells = COLUMNS.map((column) => {
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
