import { createHash } from 'node:crypto';
import {
  type Cabinet,
  type Circuits,
  type Config,
  circuitsOf,
  type LocalDate,
  type Luminaire,
} from '#schedules/index.ts';
import { hasOwnController } from '#schedules/inventory/schema.ts';
import { type ClosedNight, closeNightAsPlanned } from '#schedules/report/closed-night.ts';
import type { AlarmSpan } from '#schedules/report/kpis.ts';
import { addNights, type MonthSums, monthOf } from '#schedules/report/month-sums.ts';
import { type ReportGrouping, reportOfMonths, type SavingsReport } from '#schedules/report/savings.ts';
import { contractsOf } from '#schedules/tariff/bill.ts';
import { TariffBook } from '#schedules/tariff/prices.ts';
import { addDays } from '#schedules/time/local-date.ts';
import { nightWindow } from '#schedules/time/night.ts';
import { ZoneClock } from '#schedules/time/zone-clock.ts';
import { mapBounded } from '../shared/backoff.ts';
import { type HoldBounds, heldByKey } from '../shared/ttl-cache.ts';
import type {
  AlarmStore,
  CabinetStore,
  ClosedNightStore,
  ConfigStore,
  LuminaireStore,
  NightReadingsReader,
} from '../store/index.ts';

/** Nights (or months) read at once: a Query each, enough to hide latency, few enough not to throttle. */
export const NIGHT_READ_CONCURRENCY = 16;
/** Nights not closed yet closed at once from their night items: each has 8 BatchGetItem chunks in flight. */
const OPEN_NIGHTS_AT_ONCE = 2;

export interface SavingsReportDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly luminaires: Pick<LuminaireStore, 'listAll'>;
  readonly closedNights: Pick<ClosedNightStore, 'get' | 'getMonth'> & NightReadingsReader;
  readonly alarms: Pick<AlarmStore, 'openDuring'>;
  /** The delivery points (cabinets): their contract options price their energy, their kVA the fixed part. */
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  /**
   * Where the nights not closed yet that a report closed are held for the reports that follow
   * (`heldOpenNights`); without it every report closes them anew.
   */
  readonly openNights?: OpenNightCloses;
}

/** An open night's close by a key naming the night and everything its plans come from. */
export type OpenNightCloses = (key: string, close: () => Promise<ClosedNight>) => Promise<ClosedNight>;

/**
 * How long a report's close of an open night serves the reports after it: the same period asked by
 * another grouping or format, not long enough to miss much of the night items' late readings (the
 * daily night close takes those in).
 */
export const OPEN_NIGHT_HOLD_SECONDS = 120;

/**
 * What a warm container holds of open nights' closes: a year's report of a site whose nights were
 * never closed asks for 366, each a key per inputs digest. A street's sums take ~0.5 KB of heap
 * (measured with 100,000), so 40,000 of them ~20 MB of the API's 1,024 MB.
 */
export const OPEN_NIGHT_HOLD_BOUNDS: HoldBounds<ClosedNight> = {
  entries: 64,
  size: { max: 40_000, of: (night) => night.streets.length },
};

/** The open nights' closes a warm container holds (`now`: epoch seconds). */
export const heldOpenNights = (now: () => number): OpenNightCloses =>
  heldByKey<ClosedNight>(OPEN_NIGHT_HOLD_SECONDS, now, OPEN_NIGHT_HOLD_BOUNDS);

export interface SavingsReportQuery {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly groupBy: ReportGrouping;
}

const epochOf = (iso: string): number => Date.parse(iso) / 1000;
const isoOf = (epoch: number): string => new Date(epoch * 1000).toISOString();

/**
 * Reads what the report needs: the site, the inventory, the street sums of the period (month totals,
 * AP33, and closed nights, AP30: one Query each, see docs/adr/0009-complete-nights.md) and the alarms
 * open during it (AP31, one Query). Raw telemetry is never read; the cost grows with months and the
 * nights of a month not added up yet, not with luminaires × nights.
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
  // A luminaire switched by its cabinet alone has no device, so no night item: it is stipulated.
  const read = await readings.nightReadings(
    luminaires.filter(hasOwnController).map((l) => l.id),
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
  const inventory = new Set(luminaires.map((l) => l.id));
  // The nights closed here are planned as the pushed plans were: bounded by the cabinets.
  const cabinets = await deps.cabinets.listAll();
  const circuits = circuitsOf(cabinets, luminaires);
  const closeOpen = (night: LocalDate) =>
    closeNightFromItems(deps.closedNights, config, luminaires, night, circuits);
  const { openNights } = deps;
  let inputs: string | undefined;
  const [months, alarms] = await Promise.all([
    monthsOfPeriod(
      deps.closedNights,
      openNights === undefined
        ? closeOpen
        : (night) => {
            inputs ??= inputsKey(config, luminaires, cabinets);
            return openNights(`${night}\u0000${inputs}`, () => closeOpen(night));
          },
      from,
      to,
    ),
    // One second either side: the KPIs judge the instants themselves, the query only has to cover them.
    deps.alarms.openDuring(isoOf(period.start - 1), isoOf(period.end + 1)),
  ]);
  return reportOfMonths({
    site: config.site,
    from,
    to,
    groupBy: query.groupBy,
    months,
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

/**
 * The period's months. A month the period holds from its 1st starts from its stored totals when
 * they hold only nights of the period; the nights after them are read closed, and a night not
 * closed yet (the last ones, or one the close missed) is closed here from its night items (AP6,
 * BatchGetItem by key) as the night close would. Added in date order, as the totals were, so
 * either way gives the same figures.
 */
async function monthsOfPeriod(
  store: SavingsReportDeps['closedNights'],
  closeOpen: (night: LocalDate) => Promise<ClosedNight>,
  from: LocalDate,
  to: LocalDate,
): Promise<MonthSums[]> {
  const datesOf = new Map<string, LocalDate[]>();
  for (let night = from; night <= to; night = addDays(night, 1)) {
    const dates = datesOf.get(monthOf(night)) ?? [];
    dates.push(night);
    datesOf.set(monthOf(night), dates);
  }
  const months = [...datesOf];
  const totals = await mapBounded(months, NIGHT_READ_CONCURRENCY, async ([month, dates]) =>
    dates[0] === `${month}-01` ? await store.getMonth(month) : undefined,
  );
  const starts = months.map(([, dates], i) => {
    const total = totals[i];
    return total?.nights.every((night, k) => night === dates[k]) ? total : undefined;
  });
  const rest = months.map(([, dates], i) => dates.slice(starts[i]?.nights.length ?? 0));
  const restDates = rest.flat();
  const closed = await mapBounded(restDates, NIGHT_READ_CONCURRENCY, (night) => store.get(night));
  const open = restDates.filter((_, i) => closed[i] === undefined);
  const opened = await mapBounded(open, OPEN_NIGHTS_AT_ONCE, closeOpen);
  const nights = new Map<LocalDate, ClosedNight>(open.map((night, i) => [night, opened[i] as ClosedNight]));
  for (const [i, night] of restDates.entries()) {
    const closedNight = closed[i];
    if (closedNight !== undefined) nights.set(night, closedNight);
  }
  return months.map(([month], i) =>
    addNights(
      month,
      (rest[i] ?? []).map((night) => nights.get(night) as ClosedNight),
      starts[i],
    ),
  );
}

/**
 * What an open night's close depends on besides its night items: the configuration, the inventory
 * and the cabinets, as a digest (a change to any of them closes the night anew).
 */
function inputsKey(config: Config, luminaires: readonly Luminaire[], cabinets: readonly Cabinet[]): string {
  return createHash('sha256')
    .update(JSON.stringify([config, luminaires, cabinets]))
    .digest('base64');
}
