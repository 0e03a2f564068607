import type { LocalDate } from '../../schedules/index.ts';
import { astronomicalNightHours } from '../../schedules/report/night-hours.ts';
import { lastDayOfMonth, splitPeriod } from '../../schedules/report/periods.ts';
import { type ReportGrouping, type SavingsReport, savingsReport } from '../../schedules/report/savings.ts';
import type { ConfigStore, RollupStore } from '../store/index.ts';
import type { InventoryWattages } from '../store/inventory-wattages.ts';

export interface SavingsReportDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly wattages: Pick<InventoryWattages, 'list'>;
  readonly rollups: Pick<RollupStore, 'zoneNights' | 'streetMonths'>;
}

export interface SavingsReportQuery {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
}

/**
 * Reads what the report needs, and only that: the site, the inventory's wattages and the energy
 * rollups of the period. Whole months come from street/month rollups (one item per street and
 * month), the partial months at the edges from zone/night rollups; a street grouping has no night
 * rows, so its period is widened to whole months. Raw telemetry is never read: the cost depends on
 * the period, the streets and the inventory, not on how many reports the luminaires sent.
 */
export async function loadSavingsReport(
  deps: SavingsReportDeps,
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  const byStreet = query.groupBy === 'street';
  const from = byStreet ? (`${query.from.slice(0, 7)}-01` as LocalDate) : query.from;
  const to = byStreet ? lastDayOfMonth(query.to.slice(0, 7)) : query.to;
  const { wholeMonths, partialNights } = byStreet
    ? { wholeMonths: { from, to }, partialNights: [] }
    : splitPeriod(from, to);
  const [config, luminaires, ...rollups] = await Promise.all([
    deps.config.load(),
    deps.wattages.list(),
    ...(wholeMonths === null ? [] : [deps.rollups.streetMonths(wholeMonths.from, wholeMonths.to)]),
    ...partialNights.map((range) => deps.rollups.zoneNights(range.from, range.to)),
  ]);
  return savingsReport({
    site: config.site,
    from,
    to,
    groupBy: query.groupBy,
    luminaires,
    nightHours: astronomicalNightHours(config.site, from, to),
    rollups: rollups.flat(),
  });
}
