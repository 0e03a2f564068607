import type { LocalDate } from '../../schedules/index.ts';
import { astronomicalNightHours } from '../../schedules/report/night-hours.ts';
import { type ReportGrouping, type SavingsReport, savingsReport } from '../../schedules/report/savings.ts';
import type { ConfigStore, LuminaireStore, RollupStore } from '../store/index.ts';

export interface SavingsReportDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  readonly rollups: Pick<RollupStore, 'zoneNights' | 'streetMonths'>;
}

export interface SavingsReportQuery {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
}

const lastDayOfMonth = (month: string): LocalDate => {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
};

/**
 * Reads what the report needs, and only that: the site, the inventory's wattages and the energy
 * rollups of the period (zone/night rows, or street/month rows for a street grouping, whose period
 * is therefore widened to whole months). Raw telemetry is never read, so the cost depends on the
 * period, the zones and the inventory, not on how many reports the luminaires sent.
 */
export async function loadSavingsReport(
  deps: SavingsReportDeps,
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  const byStreet = query.groupBy === 'street';
  const from = byStreet ? (`${query.from.slice(0, 7)}-01` as LocalDate) : query.from;
  const to = byStreet ? lastDayOfMonth(query.to.slice(0, 7)) : query.to;
  const [config, luminaires, rollups] = await Promise.all([
    deps.config.load(),
    deps.luminaires.listAll(),
    byStreet ? deps.rollups.streetMonths(from, to) : deps.rollups.zoneNights(from, to),
  ]);
  return savingsReport({
    site: config.site,
    from,
    to,
    groupBy: query.groupBy,
    luminaires,
    nightHours: astronomicalNightHours(config.site, from, to),
    rollups,
  });
}
