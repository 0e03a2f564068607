import { type Circuits, type Config, circuitsOf, type LocalDate, type Luminaire } from '#schedules/index.ts';
import { type ClosedNight, closeNightAsPlanned } from '#schedules/report/closed-night.ts';
import type { AlarmSpan } from '#schedules/report/kpis.ts';
import { type ReportGrouping, reportOfClosedNights, type SavingsReport } from '#schedules/report/savings.ts';
import { contractsOf } from '#schedules/tariff/bill.ts';
import { TariffBook } from '#schedules/tariff/prices.ts';
import { addDays } from '#schedules/time/local-date.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { mapBounded } from '../shared/backoff.ts';
import type {
  AlarmStore,
  CabinetStore,
  ClosedNightStore,
  ConfigStore,
  LuminaireStore,
  NightReadingsReader,
} from '../store/index.ts';

/** Nights read at once: a Query each, enough to hide latency, few enough not to throttle. */
const NIGHT_READ_CONCURRENCY = 16;

export interface SavingsReportDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  readonly closedNights: Pick<ClosedNightStore, 'get'> & NightReadingsReader;
  readonly alarms: Pick<AlarmStore, 'openDuring'>;
  /** The delivery points (cabinets): their contract options price their energy, their kVA the fixed part. */
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
}

export interface SavingsReportQuery {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
}

const epochOf = (iso: string): number => Date.parse(iso) / 1000;
const isoOf = (epoch: number): string => new Date(epoch * 1000).toISOString();

/**
 * Reads what the report needs: the site, the inventory, the closed nights of the period (AP30, one
 * Query a night: street sums, see docs/adr/0009-complete-nights.md) and the alarms open during it
 * (AP31, one Query). A night not closed yet (the last ones, or one the close missed) is closed here
 * from its night items (AP6, BatchGetItem by key), as the night close would. Raw telemetry is never
 * read; the cost grows with nights, not with luminaires × nights.
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

/** A night closed from its night items as they are now (the night close stores the same). */
export async function closeNightFromItems(
  readings: NightReadingsReader,
  config: Config,
  luminaires: readonly Luminaire[],
  night: LocalDate,
  circuits: Circuits,
): Promise<ClosedNight> {
  const read = await readings.nightReadings(
    luminaires.map((l) => l.id),
    night,
  );
  return closeNightAsPlanned(config, luminaires, night, read, circuits);
}

async function reportOf(
  deps: Omit<SavingsReportDeps, 'config' | 'luminaires'>,
  config: Config,
  luminaires: readonly Luminaire[],
  query: SavingsReportQuery,
): Promise<SavingsReport> {
  const { from, to } = query;
  const clock = ZoneClock.of(config.site.timezone);
  const period = { start: nightWindow(clock, from).start, end: nightWindow(clock, to).end };
  const dates: LocalDate[] = [];
  for (let night = from; night <= to; night = addDays(night, 1)) dates.push(night);
  const inventory = new Set(luminaires.map((l) => l.id));
  const [cabinets, stored, alarms] = await Promise.all([
    deps.cabinets.listAll(),
    mapBounded(dates, NIGHT_READ_CONCURRENCY, (night) => deps.closedNights.get(night)),
    // One second either side: the KPIs judge the instants themselves, the query only has to cover them.
    deps.alarms.openDuring(isoOf(period.start - 1), isoOf(period.end + 1)),
  ]);
  const nights: ClosedNight[] = [];
  const circuits = circuitsOf(cabinets, luminaires);
  for (const [i, night] of dates.entries())
    nights.push(
      stored[i] ?? (await closeNightFromItems(deps.closedNights, config, luminaires, night, circuits)),
    );
  return reportOfClosedNights({
    site: config.site,
    from,
    to,
    groupBy: query.groupBy,
    nights,
    luminaires,
    contracts: contractsOf(new TariffBook(config.site, clock), cabinets, luminaires),
    period,
    alarms: alarms
      .filter((alarm) => inventory.has(alarm.luminaireId))
      .map(
        (alarm): AlarmSpan => ({
          luminaireId: alarm.luminaireId,
          kind: alarm.kind,
          openedAt: epochOf(alarm.openedAt),
          clearedAt: alarm.clearedAt === undefined ? null : epochOf(alarm.clearedAt),
        }),
      ),
  });
}
