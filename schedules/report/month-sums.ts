import type { LocalDate } from '../config/schema.ts';
import type { PriceLine } from '../tariff/prices.ts';
import {
  addSums,
  type ClosedNight,
  emptySums,
  lineKey,
  type StreetSums,
  sortedStreets,
} from './closed-night.ts';

/**
 * A month's street sums: closed nights of one month, from its first night on, added street by
 * street in date order. The report adds nights into months this very way, so a stored month total
 * extended with the month's later nights gives, bit for bit, the figures of those nights added one
 * by one (docs/adr/0009-complete-nights.md).
 */
export interface MonthSums {
  /** YYYY-MM. */
  readonly month: string;
  /** The nights added, in date order. */
  readonly nights: readonly LocalDate[];
  /** The price lines the nights met, in the order they met them. */
  readonly lines: readonly PriceLine[];
  readonly streets: readonly StreetSums[];
}

export const monthOf = (night: LocalDate): string => night.slice(0, 7);

/**
 * `start` (the month's sums so far, or none) with `nights` added: later nights of the same month,
 * in date order. Starting from zero, `0 + x` is `x` exactly, so a copy of `start` loses nothing.
 */
export function addNights(month: string, nights: readonly ClosedNight[], start?: MonthSums): MonthSums {
  const lines = new Map<string, PriceLine>();
  const streets = new Map<string, StreetSums>();
  const addLines = (met: readonly PriceLine[]) => {
    for (const line of met) if (!lines.has(lineKey(line))) lines.set(lineKey(line), line);
  };
  const addStreets = (from: readonly StreetSums[]) => {
    for (const street of from) {
      const key = `${street.zone}\u0000${street.street}`;
      let sums = streets.get(key);
      if (sums === undefined) {
        sums = { zone: street.zone, street: street.street, ...emptySums() };
        streets.set(key, sums);
      }
      addSums(sums, street);
    }
  };
  addLines(start?.lines ?? []);
  addStreets(start?.streets ?? []);
  for (const closed of nights) {
    addLines(closed.lines);
    addStreets(closed.streets);
  }
  return {
    month,
    nights: [...(start?.nights ?? []), ...nights.map((closed) => closed.night)],
    lines: [...lines.values()],
    streets: sortedStreets([...streets.values()]),
  };
}

/** Closed nights in date order as months, each its nights added in order. */
export function monthsOfNights(nights: readonly ClosedNight[]): MonthSums[] {
  const byMonth = new Map<string, ClosedNight[]>();
  for (const closed of nights) {
    const month = monthOf(closed.night);
    const ofMonth = byMonth.get(month) ?? [];
    ofMonth.push(closed);
    byMonth.set(month, ofMonth);
  }
  return [...byMonth].map(([month, ofMonth]) => addNights(month, ofMonth));
}
