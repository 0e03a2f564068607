import type { LocalDate } from '#schedules/index.ts';
import { astronomicalNightHours } from '#schedules/report/night-hours.ts';
import { plannedWindows } from '#schedules/report/night-windows.ts';
import {
  type LuminaireNightReadings,
  type ReportGrouping,
  type SavingsReport,
  savingsReport,
} from '#schedules/report/savings.ts';
import type { ConfigStore, LuminaireStore, RollupStore } from '../store/index.ts';

/** Luminaires whose nights are read at once: enough to hide latency, few enough not to throttle. */
const NIGHT_READ_CONCURRENCY = 32;

export interface SavingsReportDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  readonly rollups: Pick<RollupStore, 'luminaireNights'>;
}

export interface SavingsReportQuery {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
}

/**
 * Reads what the report needs: the site, the inventory, and each luminaire's night items of the
 * period (AP6: one Query per luminaire, an item per night), whose first and last reading times
 * tell complete nights from partial ones. The planned windows are re-planned from the current
 * configuration. Raw telemetry is never read; the cost grows with luminaires × nights (see
 * docs/adr/0009-complete-nights.md).
 */
export async function loadSavingsReport(
  deps: SavingsReportDeps,
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  const { from, to } = query;
  const [config, luminaires] = await Promise.all([deps.config.load(), deps.luminaires.listAll()]);
  const readings: LuminaireNightReadings[] = [];
  for (let i = 0; i < luminaires.length; i += NIGHT_READ_CONCURRENCY) {
    const slice = luminaires.slice(i, i + NIGHT_READ_CONCURRENCY);
    const nights = await Promise.all(slice.map((l) => deps.rollups.luminaireNights(l.id, from, to)));
    slice.forEach((luminaire, k) => {
      for (const night of nights[k] ?? []) readings.push({ luminaireId: luminaire.id, ...night });
    });
  }
  const windows = plannedWindows(config, luminaires, from, to);
  return savingsReport({
    site: config.site,
    from,
    to,
    groupBy: query.groupBy,
    luminaires,
    nightHours: astronomicalNightHours(config.site, from, to),
    windowOf: (id, night) => {
      const window = windows.get(night)?.get(id);
      if (window === undefined) throw new RangeError(`no planned window for ${id} on ${night}`);
      return window;
    },
    slackSeconds: config.alarms.reportIntervalSeconds,
    readings,
  });
}
