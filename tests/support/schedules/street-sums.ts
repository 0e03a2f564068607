import { emptySums, type StreetSums } from '#schedules/report/closed-night.ts';

/**
 * A street's sums from drawn numbers: `counts` are its complete, partial, silent and stipulated
 * nights, `figures` its ten energy and hour figures in the order of `StreetSums`.
 */
export function streetSumsOf(
  place: { readonly zone: string; readonly street: string },
  counts: readonly number[],
  figures: readonly number[],
  kwhByLine: Record<string, number>,
): StreetSums {
  const [complete, partial, silent, stipulated] = counts as [number, number, number, number];
  const f = (i: number) => figures[i] as number;
  return {
    ...place,
    ...emptySums(),
    nights: { complete, partial, silent, stipulated },
    meteredWh: f(0),
    partialMeteredWh: f(1),
    stipulatedWh: f(2),
    baselineWh: f(3),
    ledReferenceWh: f(4),
    burningHours: f(5),
    litHours: f(6),
    plannedLitHours: f(7),
    meteredCostWh: f(8),
    baselineCostWh: f(9),
    kwhByLine,
  };
}
