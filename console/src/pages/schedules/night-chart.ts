import { rampSeconds } from '#protocol/ramp.ts';
import { type Transition, ZoneClock } from '#schedules/index.ts';

/** What a night chart draws: level changes over the night, the sun's events, in a zone's local time. */
export interface NightSeries {
  readonly timezone: string;
  /** The night window (epoch seconds): the chart never reaches outside it. */
  readonly start: number;
  readonly end: number;
  readonly sunset: number;
  readonly sunrise: number;
  readonly transitions: readonly Transition[];
  readonly fadeSeconds: number;
}

/** The SVG's size and the margins kept for the axes' labels. */
export interface ChartBox {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const DEFAULT_BOX: ChartBox = { width: 640, height: 220, left: 44, right: 12, top: 14, bottom: 30 };

export interface NightChart {
  readonly box: ChartBox;
  /** The level as a step line (ramps where a fade applies), an SVG path. */
  readonly line: string;
  /** The same line closed along level 0, to fill the lit area. */
  readonly area: string;
  /** x of sunset and sunrise; null when the sun does not set or rise inside the chart. */
  readonly sunset: number | null;
  readonly sunrise: number | null;
  /** Whole local hours inside the chart: x and the instant (the page formats it). */
  readonly hours: readonly { readonly x: number; readonly at: number }[];
  /** Levels 0, 50 and 100 %: y. */
  readonly levels: readonly { readonly y: number; readonly level: number }[];
  /** The instants at the chart's left and right edges. */
  readonly from: number;
  readonly to: number;
}

/** Room kept before sunset (or switch-on) and after sunrise (or switch-off), seconds. */
const MARGIN_SECONDS = 3600;
const HOUR = 3600;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * The geometry of a night chart: the hours from an hour before the earlier of sunset and switch-on
 * to an hour after the later of sunrise and switch-off, inside the night window. Pure numbers and
 * path strings, so it is unit-tested and the page only renders them.
 */
export function nightChart(
  series: NightSeries,
  box: ChartBox = DEFAULT_BOX,
  range: { readonly from: number; readonly to: number } = chartRange(series),
): NightChart {
  const { end, transitions } = series;
  const { from, to } = range;
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  const span = Math.max(1, to - from);
  const x = (at: number): number => round1(box.left + ((clamp(at, from, to) - from) / span) * plotWidth);
  const y = (level: number): number => round1(box.top + (1 - level / 100) * plotHeight);

  let line = `M${x(from)},${y(0)}`;
  let previous = 0;
  for (let i = 0; i < transitions.length; i++) {
    const { at, level } = transitions[i] as Transition;
    const next = transitions[i + 1]?.at ?? end;
    const ramp = rampSeconds(previous, level, series.fadeSeconds, next - at);
    line += ramp > 0 ? ` H${x(at)} L${x(at + ramp)},${y(level)}` : ` H${x(at)} V${y(level)}`;
    previous = level;
  }
  line += ` H${x(to)}`;
  const area = `${line} V${y(0)} Z`;

  const inside = (at: number): number | null =>
    Number.isFinite(at) && at >= from && at <= to ? x(at) : null;
  return {
    box,
    line,
    area,
    sunset: inside(series.sunset),
    sunrise: inside(series.sunrise),
    hours: localHours(series.timezone, from, to).map((at) => ({ x: x(at), at })),
    levels: [0, 50, 100].map((level) => ({ y: y(level), level })),
    from,
    to,
  };
}

/** The hours a night's chart shows (see nightChart). */
export function chartRange(series: NightSeries): { from: number; to: number } {
  const { start, end, transitions } = series;
  const firstLit = transitions[0]?.at ?? Number.POSITIVE_INFINITY;
  const lastChange = transitions.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  return {
    from: clamp(Math.min(finiteOr(series.sunset, end), firstLit) - MARGIN_SECONDS, start, end),
    to: clamp(Math.max(finiteOr(series.sunrise, start), lastChange) + MARGIN_SECONDS, start, end),
  };
}

/** One range for two nights drawn on one chart (a change's before and after). */
export function sharedRange(a: NightSeries, b: NightSeries): { from: number; to: number } {
  const [first, second] = [chartRange(a), chartRange(b)];
  return { from: Math.min(first.from, second.from), to: Math.max(first.to, second.to) };
}

/** The instants of whole local hours in [from, to], following the zone's offset across a DST change. */
export function localHours(timezone: string, from: number, to: number): number[] {
  const clock = ZoneClock.of(timezone);
  const nextWholeHour = (at: number): number => {
    const past = (((at + clock.offsetAt(at)) % HOUR) + HOUR) % HOUR;
    return past === 0 ? at : at + HOUR - past;
  };
  const hours: number[] = [];
  for (let at = nextWholeHour(Math.ceil(from)); at <= to; at = nextWholeHour(at + 1)) hours.push(at);
  return hours;
}

/** Level changes read from an API plan view (ISO instants with offsets). */
export function transitionsOfView(
  view: { readonly transitions: readonly { readonly at: string; readonly level: number }[] } | null,
): Transition[] {
  return (view?.transitions ?? []).map((t) => ({ at: Date.parse(t.at) / 1000, level: t.level }));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}
