import type { Config, LocalDate, Luminaire } from '#schedules/index.ts';
import type { AlarmSpan } from '#schedules/report/kpis.ts';
import { astronomicalNightHours } from '#schedules/report/night-hours.ts';
import { plannedNights } from '#schedules/report/night-windows.ts';
import {
  type LuminaireNightReadings,
  type ReportGrouping,
  type SavingsReport,
  savingsReport,
} from '#schedules/report/savings.ts';
import { TariffBook } from '#schedules/tariff/prices.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import type { AlarmStore, CabinetStore, ConfigStore, LuminaireStore, RollupStore } from '../store/index.ts';

/** Luminaires whose nights are read at once: enough to hide latency, few enough not to throttle. */
const NIGHT_READ_CONCURRENCY = 32;

export interface SavingsReportDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  readonly rollups: Pick<RollupStore, 'luminaireNights'>;
  readonly alarms: Pick<AlarmStore, 'forLuminaire'>;
  /** The delivery points (cabinets): their subscribed kVA make the bill's fixed part. */
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
}

export interface SavingsReportQuery {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
}

const epochOf = (iso: string): number => Date.parse(iso) / 1000;

/**
 * Reads what the report needs: the site, the inventory, and each luminaire's night items of the
 * period (AP6: one Query per luminaire, an item per night), whose first and last reading times
 * tell complete nights from partial ones, and its alarms (AP6, the same partition, for the
 * failure KPIs). The planned windows and the tariff shares are re-planned from the current
 * configuration. Raw telemetry is never read; the cost grows with luminaires × nights (see
 * docs/adr/0009-complete-nights.md).
 */
export async function loadSavingsReport(
  deps: SavingsReportDeps,
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  const [config, luminaires] = await Promise.all([deps.config.load(), deps.luminaires.listAll()]);
  return reportOf(deps, config, luminaires, query);
}

/** The report computed with a configuration already read (a statement records its version). */
export async function savingsReportFor(
  deps: Omit<SavingsReportDeps, 'config'>,
  config: Config,
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  return reportOf(deps, config, await deps.luminaires.listAll(), query);
}

async function reportOf(
  deps: Omit<SavingsReportDeps, 'config' | 'luminaires'>,
  config: Config,
  luminaires: readonly Luminaire[],
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  const { from, to } = query;
  const cabinets = await deps.cabinets.listAll();
  const readings: LuminaireNightReadings[] = [];
  const alarms: AlarmSpan[] = [];
  for (let i = 0; i < luminaires.length; i += NIGHT_READ_CONCURRENCY) {
    const slice = luminaires.slice(i, i + NIGHT_READ_CONCURRENCY);
    const [nights, alarmLists] = await Promise.all([
      Promise.all(slice.map((l) => deps.rollups.luminaireNights(l.id, from, to))),
      Promise.all(slice.map((l) => deps.alarms.forLuminaire(l.id))),
    ]);
    slice.forEach((luminaire, k) => {
      for (const night of nights[k] ?? []) readings.push({ luminaireId: luminaire.id, ...night });
    });
    for (const alarm of alarmLists.flat()) {
      alarms.push({
        luminaireId: alarm.luminaireId,
        kind: alarm.kind,
        openedAt: epochOf(alarm.openedAt),
        clearedAt: alarm.clearedAt === undefined ? null : epochOf(alarm.clearedAt),
      });
    }
  }
  const clock = ZoneClock.of(config.site.timezone);
  const prices = new TariffBook(config.site, clock);
  const planned = plannedNights(config, luminaires, from, to, prices);
  return savingsReport({
    site: config.site,
    from,
    to,
    groupBy: query.groupBy,
    luminaires,
    nightHours: astronomicalNightHours(config.site, from, to),
    plannedOf: (id, night) => {
      const plan = planned.nights.get(night)?.get(id);
      if (plan === undefined) throw new RangeError(`no planned night for ${id} on ${night}`);
      return plan;
    },
    pricing: {
      lines: prices.lines,
      tariffOf: (night) => prices.tariffOf(night),
      baselineShares: (night) => {
        const shares = planned.baselineShares.get(night);
        if (shares === undefined) throw new RangeError(`no baseline shares for ${night}`);
        return shares;
      },
    },
    subscribedKva: cabinets.reduce((sum, cabinet) => sum + cabinet.subscribedKva, 0),
    period: { start: nightWindow(clock, from).start, end: nightWindow(clock, to).end },
    alarms,
    slackSeconds: config.alarms.reportIntervalSeconds,
    readings,
  });
}
