import {
  FRENCH_HOLIDAYS,
  type FrenchHoliday,
  type HolidayGroup,
  type HolidaySelector,
  type LocalDate,
} from '../config/schema.ts';
import { getOrInsertComputed } from '../place-cache.ts';
import { addDays } from '../time/local-date.ts';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm (Meeus, "Astronomical
 * Algorithms", ch. 8; valid for every year from 1583).
 */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Where each holiday falls in a year: a fixed "MM-DD", or days after Easter Sunday. */
const WHEN: Readonly<Record<FrenchHoliday, string | number>> = {
  newYear: '01-01',
  goodFriday: -2,
  easterMonday: 1,
  labourDay: '05-01',
  victoryDay: '05-08',
  ascension: 39,
  whitMonday: 50,
  nationalDay: '07-14',
  assumption: '08-15',
  allSaints: '11-01',
  armistice: '11-11',
  christmas: '12-25',
  stStephen: '12-26',
};

/**
 * Alsace-Moselle's local law (Code du travail L3134-13) adds these; Good Friday in communes with a
 * Protestant or mixed church, which in practice is the whole of the three départements.
 */
const ALSACE_MOSELLE_ONLY: readonly FrenchHoliday[] = ['goodFriday', 'stStephen'];

const GROUPS: Readonly<Record<HolidayGroup, readonly FrenchHoliday[]>> = {
  fr: FRENCH_HOLIDAYS.filter((holiday) => !ALSACE_MOSELLE_ONLY.includes(holiday)),
  'fr-alsace-moselle': FRENCH_HOLIDAYS,
};

const isGroup = (selector: HolidaySelector): selector is HolidayGroup => Object.hasOwn(GROUPS, selector);

/** The holidays a rule's `holidays` list names, its groups expanded. */
export function holidaysSelected(selectors: readonly HolidaySelector[]): ReadonlySet<FrenchHoliday> {
  return new Set(selectors.flatMap((selector) => (isGroup(selector) ? GROUPS[selector] : [selector])));
}

const byYear = new Map<number, ReadonlyMap<LocalDate, readonly FrenchHoliday[]>>();

/** The date of every French holiday (Alsace-Moselle's included) in a year, in calendar order. */
export function frenchHolidays(year: number): ReadonlyMap<LocalDate, readonly FrenchHoliday[]> {
  return getOrInsertComputed(byYear, year, computeYear);
}

function computeYear(year: number): ReadonlyMap<LocalDate, readonly FrenchHoliday[]> {
  const easter = easterSunday(year);
  const dated = Object.entries(WHEN).map(([name, when]) => ({
    name: name as FrenchHoliday,
    date: typeof when === 'string' ? `${pad(year, 4)}-${when}` : addDays(easter, when),
  }));
  dated.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const map = new Map<LocalDate, FrenchHoliday[]>();
  // Ascension falls on 1 or 8 May some years: a date can hold two holidays.
  for (const { name, date } of dated) getOrInsertComputed(map, date, () => []).push(name);
  return map;
}

/** The French holidays (Alsace-Moselle's included) on a date; empty on an ordinary day. */
export function frenchHolidaysOn(date: LocalDate): readonly FrenchHoliday[] {
  return frenchHolidays(Number(date.slice(0, 4))).get(date) ?? [];
}
