import {
  byPrecedence,
  type CalendarMonth,
  type CalendarRule,
  type FrenchHoliday,
  type IndexedRule,
  type Weekday,
  type ZoneNight,
} from '#schedules/index.ts';

/** The calendar as it is applied: the winning rule first (highest priority, then listed first). */
export function rulesInPrecedence(calendar: readonly CalendarRule[]): IndexedRule[] {
  return calendar.map((rule, index) => ({ index, rule })).sort(byPrecedence);
}

/**
 * Background colours a profile gets in the month view, each with a text colour that keeps the cell's
 * number readable (contrast 4.5:1 or more, WCAG AA; checked by the unit tests).
 */
export const PALETTE: readonly { readonly background: string; readonly text: string }[] = [
  { background: '#1f5fa8', text: '#ffffff' },
  { background: '#f2b134', text: '#000000' },
  { background: '#2e7d4f', text: '#ffffff' },
  { background: '#c8553d', text: '#000000' },
  { background: '#7b4fa0', text: '#ffffff' },
  { background: '#7fc8d6', text: '#000000' },
  { background: '#8a5a2b', text: '#ffffff' },
  { background: '#e58fb4', text: '#000000' },
  { background: '#3b3b3b', text: '#ffffff' },
  { background: '#b5d86b', text: '#000000' },
  { background: '#005f73', text: '#ffffff' },
  { background: '#f4d06f', text: '#000000' },
];

/** A night no rule lights. */
export const UNLIT = { background: '#e8e8e8', text: '#000000' } as const;

/** A profile of the month's legend: its number (what a cell shows) and colours. */
export interface LegendEntry {
  readonly profile: string;
  readonly number: number;
  readonly background: string;
  readonly text: string;
}

export interface MonthCell {
  readonly zone: string;
  readonly night: string;
  /** null: unlit that night. */
  readonly profile: string | null;
  readonly rule: string | null;
  /** Street or luminaire rules that win over the zone's own rule on part of it (a market's streets). */
  readonly exceptions: readonly { readonly rule: string; readonly profile: string }[];
  readonly overrides: readonly { readonly id: string; readonly level: number; readonly wholeZone: boolean }[];
}

export interface MonthRow {
  readonly zone: string | null;
  /**
   * Street or luminaire rules that apply on part of the zone every night of the month (main roads,
   * parks): named once for the row, so a cell shows only what is particular to its night.
   */
  readonly steady: readonly { readonly rule: string; readonly profile: string }[];
  readonly cells: readonly MonthCell[];
}

export interface MonthColumn {
  readonly night: string;
  readonly day: number;
  readonly weekday: Weekday;
  readonly weekend: boolean;
  readonly holidays: readonly FrenchHoliday[];
}

export interface MonthGrid {
  readonly month: string;
  readonly columns: readonly MonthColumn[];
  /** One row per zone, then the row of the zones no rule names (`zone` null). */
  readonly rows: readonly MonthRow[];
  readonly legend: readonly LegendEntry[];
}

/** A zone name for zones no rule names: what `otherZones` of the month answer holds. */
const OTHER = null;

/**
 * The month answer as a grid, zones by nights: what each zone follows each night, with the
 * profiles numbered and coloured in a legend (by name, so a profile keeps its colour from month to month
 * of the same calendar), weekends and holidays marked on the columns.
 */
export function monthGrid(month: CalendarMonth): MonthGrid {
  const zones = [...new Set(month.nights.flatMap((night) => Object.keys(night.zones)))].sort();
  const cell = (zone: string | null, night: string, value: ZoneNight | undefined): MonthCell => ({
    zone: zone ?? '',
    night,
    profile: value?.profile ?? null,
    rule: value?.rule ?? null,
    exceptions: (value?.exceptions ?? []).map(({ rule, profile }) => ({ rule, profile })),
    overrides: (value?.overrides ?? []).map(({ id, level, wholeZone }) => ({ id, level, wholeZone })),
  });
  const rows = [...zones, OTHER].map((zone) =>
    withSteadyExceptions(
      zone,
      month.nights.map((night) =>
        cell(zone, night.night, zone === OTHER ? night.otherZones : night.zones[zone]),
      ),
    ),
  );
  const profiles = new Set<string>();
  for (const row of rows) {
    for (const { profile, exceptions } of row.cells) {
      if (profile !== null) profiles.add(profile);
      for (const exception of exceptions) profiles.add(exception.profile);
    }
  }
  return {
    month: month.month,
    columns: month.nights.map((night) => ({
      night: night.night,
      day: Number(night.night.slice(8, 10)),
      weekday: night.weekday,
      weekend: night.weekday === 'sat' || night.weekday === 'sun',
      holidays: night.holidays,
    })),
    rows,
    legend: legendOf([...profiles]),
  };
}

/** The row of a zone: the exceptions of every night named once, the cells keeping the others. */
function withSteadyExceptions(zone: string | null, cells: readonly MonthCell[]): MonthRow {
  const everyNight = (rule: string) => cells.every((cell) => cell.exceptions.some((e) => e.rule === rule));
  const steady = (cells[0]?.exceptions ?? []).filter((exception) => everyNight(exception.rule));
  const isSteady = new Set(steady.map((exception) => exception.rule));
  return {
    zone,
    steady,
    cells: cells.map((cell) => ({
      ...cell,
      exceptions: cell.exceptions.filter((e) => !isSteady.has(e.rule)),
    })),
  };
}

/** Profiles numbered from 1 in name order, colours taken round the palette. */
export function legendOf(profiles: readonly string[]): LegendEntry[] {
  return [...new Set(profiles)].sort().map((profile, i) => ({
    profile,
    number: i + 1,
    ...(PALETTE[i % PALETTE.length] as (typeof PALETTE)[number]),
  }));
}

/** `YYYY-MM` of the month after (`+1`) or before (`-1`). */
export function shiftMonth(month: string, by: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
