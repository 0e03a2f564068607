import type { LocalDate, Site, Tariff } from '../config/schema.ts';
import { getOrInsertComputed } from '../place-cache.ts';
import type { Transition } from '../plan/types.ts';
import { localDateOfEpochDay } from '../time/local-date.ts';
import type { ZoneClock } from '../time/zone-clock.ts';
import { flatTariff, MINUTES_PER_DAY, seasonGrid, tariffOn } from './periods.ts';

const DAY_SECONDS = 86_400;
/** UTC offsets change on quarter hours (ZoneClock caches them so). */
const OFFSET_STEP_SECONDS = 900;

/** One energy price of the report: a period of a season of a tariff. */
export interface PriceLine {
  readonly tariffId: string;
  readonly season: string;
  readonly period: string;
  readonly eurPerKwh: number;
}

/** How a piece of energy splits over the price lines (fractions add up to 1), and its mean price. */
export interface Shares {
  readonly lines: readonly number[];
  readonly fractions: readonly number[];
  readonly eurPerKwh: number;
}

/** A stretch of time priced by one line. */
interface Segment {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** A tariff with its week grids and the month → season map, computed once. */
interface CompiledTariff {
  readonly tariff: Tariff;
  readonly seasonOfMonth: Int8Array;
  readonly grids: readonly Int8Array[];
  /** The price line of each (season, period). */
  readonly lineOf: readonly (readonly number[])[];
}

/**
 * The tariffs of a site over a report's nights: which tariff each night falls under (a dated one,
 * or the flat price on nights none covers) and the energy price of every instant, by the local
 * wall clock of the site. Price lines are numbered as they are first met, so a report lists only
 * the lines that priced something.
 */
export class TariffBook {
  readonly lines: PriceLine[] = [];
  private readonly lineIndex = new Map<string, number>();
  private readonly compiled = new Map<Tariff, CompiledTariff>();
  private readonly nights = new Map<string, NightPrices>();
  private readonly flat: Tariff;
  /** The site's own tariffs (no option); a site whose every tariff names an option uses them all. */
  private readonly own: readonly Tariff[];
  private readonly byOption = new Map<string, Tariff[]>();

  constructor(
    site: Pick<Site, 'tariffs' | 'tariffEurPerKwh'>,
    readonly clock: ZoneClock,
  ) {
    this.flat = flatTariff(site.tariffEurPerKwh);
    const own = site.tariffs.filter((tariff) => tariff.option === undefined);
    this.own = own.length > 0 ? own : site.tariffs;
    for (const tariff of site.tariffs)
      if (tariff.option !== undefined)
        getOrInsertComputed(this.byOption, tariff.option, () => []).push(tariff);
  }

  /**
   * The tariff of a night for the delivery points on `option` (a cabinet's contract option): that
   * option's tariff valid that night, else the site's own, else the flat price. Without an option
   * (a luminaire no cabinet names), the site's own.
   */
  tariffOf(night: LocalDate, option?: string | null): Tariff {
    const ofOption = option === null || option === undefined ? undefined : this.byOption.get(option);
    return (ofOption && tariffOn(ofOption, night)) ?? tariffOn(this.own, night) ?? this.flat;
  }

  /** The prices of the night (window from local noon to the next noon) on `option`, cached. */
  night(
    night: LocalDate,
    window: { readonly start: number; readonly end: number },
    option?: string | null,
  ): NightPrices {
    const tariff = this.tariffOf(night, option);
    const key = `${night}\u0000${tariff.id}`;
    let prices = this.nights.get(key);
    if (prices === undefined) {
      prices = new NightPrices(this.segments(this.compile(tariff), window), this.lines);
      this.nights.set(key, prices);
    }
    return prices;
  }

  /** The price line of an instant under the night's tariff. */
  lineAt(night: LocalDate, epochSeconds: number): number {
    return this.lineOfInstant(this.compile(this.tariffOf(night)), epochSeconds);
  }

  private compile(tariff: Tariff): CompiledTariff {
    let compiled = this.compiled.get(tariff);
    if (compiled !== undefined) return compiled;
    const seasonOfMonth = new Int8Array(12).fill(-1);
    tariff.seasons.forEach((season, s) => {
      for (const month of season.months) seasonOfMonth[month - 1] = s;
    });
    compiled = {
      tariff,
      seasonOfMonth,
      grids: tariff.seasons.map((season) => seasonGrid(season).grid),
      lineOf: tariff.seasons.map((season) =>
        season.periods.map((period) => this.line(tariff.id, season.name, period.name, period.eurPerKwh)),
      ),
    };
    this.compiled.set(tariff, compiled);
    return compiled;
  }

  private line(tariffId: string, season: string, period: string, eurPerKwh: number): number {
    const key = `${tariffId}\u0000${season}\u0000${period}`;
    let index = this.lineIndex.get(key);
    if (index === undefined) {
      index = this.lines.length;
      this.lines.push({ tariffId, season, period, eurPerKwh });
      this.lineIndex.set(key, index);
    }
    return index;
  }

  private lineOfInstant(compiled: CompiledTariff, epochSeconds: number): number {
    return this.stretchAt(compiled, epochSeconds, epochSeconds + 1).line;
  }

  /**
   * The price line at `t` and how long it lasts, up to `limit`: the week grid is read minute by
   * minute from `t` to the end of the local day, where the season may change; a change of UTC
   * offset (summer time) inside the stretch ends it at the change.
   */
  private stretchAt(compiled: CompiledTariff, t: number, limit: number): Segment {
    const offset = this.clock.offsetAt(t);
    const local = Math.floor(t) + offset;
    const epochDay = Math.floor(local / DAY_SECONDS);
    const secondOfDay = local - epochDay * DAY_SECONDS;
    // 1970-01-01 was a Thursday: Monday-based index 3.
    const weekday = (((epochDay + 3) % 7) + 7) % 7;
    const month = Number(localDateOfEpochDay(epochDay).slice(5, 7));
    const season = compiled.seasonOfMonth[month - 1] as number;
    const grid = compiled.grids[season] as Int8Array;
    const dayStart = weekday * MINUTES_PER_DAY;
    let minute = Math.floor(secondOfDay / 60);
    const period = grid[dayStart + minute] as number;
    while (minute + 1 < MINUTES_PER_DAY && grid[dayStart + minute + 1] === period) minute++;
    let end = Math.min(limit, t - secondOfDay + (minute + 1) * 60);
    if (this.clock.offsetAt(end - 1) !== offset) end = this.offsetChange(t, end, offset);
    return { start: t, end, line: (compiled.lineOf[season] as number[])[period] as number };
  }

  /** The first 15-minute boundary in (from, to) where the UTC offset is no longer `offset`. */
  private offsetChange(from: number, to: number, offset: number): number {
    let t = Math.floor(from / OFFSET_STEP_SECONDS + 1) * OFFSET_STEP_SECONDS;
    while (t < to && this.clock.offsetAt(t) === offset) t += OFFSET_STEP_SECONDS;
    return Math.min(t, to);
  }

  /** The window cut where the price changes, a few stretches a night, once per night for the whole inventory. */
  private segments(compiled: CompiledTariff, window: { start: number; end: number }): Segment[] {
    const segments: Segment[] = [];
    for (let t = window.start; t < window.end; ) {
      const stretch = this.stretchAt(compiled, t, window.end);
      const last = segments[segments.length - 1];
      if (last !== undefined && last.line === stretch.line)
        segments[segments.length - 1] = { ...last, end: stretch.end };
      else segments.push(stretch);
      t = stretch.end;
    }
    return segments;
  }
}

/** Shares are rounded to this before they are shared between luminaire-nights of the same shape. */
const SHARE_RESOLUTION = 1e-4;

/** The energy prices of one night: the spans of each price line. */
export class NightPrices {
  private readonly interned = new Map<string, Shares>();
  private readonly byProfile = new WeakMap<readonly Transition[], Shares>();
  private whole: Shares | undefined;

  constructor(
    readonly segments: readonly Segment[],
    private readonly lines: readonly PriceLine[],
  ) {}

  /** What `watts` of constant power over [start, end) cost at the night's energy prices. */
  spanCost(start: number, end: number, watts: number): number {
    let cost = 0;
    for (const segment of this.segments) {
      const seconds = Math.min(end, segment.end) - Math.max(start, segment.start);
      if (seconds > 0)
        cost += (watts * seconds * (this.lines[segment.line] as PriceLine).eurPerKwh) / 3_600_000;
    }
    return cost;
  }

  /** The shares of energy drawn at constant power over [start, end); the whole night's when the span is empty. */
  spanShares(start: number, end: number): Shares {
    if (end <= start) return this.wholeNight();
    return this.profileShares([
      { at: start, level: 1 },
      { at: end, level: 0 },
    ]);
  }

  /**
   * The shares of energy drawn along a level profile (each level holds until the next transition).
   * Energy is proportional to the level, as in the energy model's linear dimming. Luminaires that
   * share a plan share its transitions, so their shares are computed once.
   */
  profileShares(transitions: readonly Transition[]): Shares {
    if (this.segments.length === 1) return this.wholeNight();
    let shares = this.byProfile.get(transitions);
    if (shares !== undefined) return shares;
    const weights = new Map<number, number>();
    let total = 0;
    for (let i = 0; i + 1 < transitions.length; i++) {
      const { at: from, level } = transitions[i] as Transition;
      const to = (transitions[i + 1] as Transition).at;
      if (level <= 0) continue;
      for (const segment of this.segments) {
        const seconds = Math.min(to, segment.end) - Math.max(from, segment.start);
        if (seconds <= 0) continue;
        weights.set(segment.line, (weights.get(segment.line) ?? 0) + seconds * level);
        total += seconds * level;
      }
    }
    shares =
      total === 0
        ? this.wholeNight()
        : this.intern([...weights].map(([line, w]) => [line, w / total] as const));
    this.byProfile.set(transitions, shares);
    return shares;
  }

  private wholeNight(): Shares {
    if (this.whole === undefined) {
      const weights = new Map<number, number>();
      for (const segment of this.segments) {
        weights.set(segment.line, (weights.get(segment.line) ?? 0) + segment.end - segment.start);
      }
      const total = (this.segments.at(-1) as Segment).end - (this.segments[0] as Segment).start;
      this.whole = this.intern([...weights].map(([line, w]) => [line, w / total] as const));
    }
    return this.whole;
  }

  private intern(entries: readonly (readonly [number, number])[]): Shares {
    const sorted = [...entries].sort(([a], [b]) => a - b);
    const rounded = sorted.map(
      ([line, f]) => [line, Math.round(f / SHARE_RESOLUTION) * SHARE_RESOLUTION] as const,
    );
    const key = rounded.map(([line, f]) => `${line}:${f}`).join(',');
    let shares = this.interned.get(key);
    if (shares === undefined) {
      const fractions = sorted.map(([, f]) => f);
      const lines = sorted.map(([line]) => line);
      shares = {
        lines,
        fractions,
        eurPerKwh: lines.reduce(
          (sum, line, i) => sum + (this.lines[line] as PriceLine).eurPerKwh * (fractions[i] as number),
          0,
        ),
      };
      this.interned.set(key, shares);
    }
    return shares;
  }
}
