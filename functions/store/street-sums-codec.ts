import {
  emptySums,
  lineKey,
  type NightKind,
  type NightSums,
  type StreetSums,
} from '#schedules/report/closed-night.ts';
import type { PriceLine } from '#schedules/tariff/prices.ts';
import { float64Bytes, float64Values } from './dynamo.ts';

/**
 * Street sums as stored (docs/adr/0009-complete-nights.md): a row of float64 per street, the night
 * counts by kind, the figures in FIELDS order, then the kWh of each of the part's price lines. A
 * read decodes bytes into numbers instead of parsing a JSON object with named fields per street;
 * float64 keeps every sum bit for bit.
 */

const KINDS: readonly NightKind[] = ['complete', 'partial', 'silent', 'stipulated'];
const FIELDS = [
  'meteredWh',
  'partialMeteredWh',
  'stipulatedWh',
  'baselineWh',
  'ledReferenceWh',
  'burningHours',
  'litHours',
  'plannedLitHours',
  'meteredCostWh',
  'baselineCostWh',
] as const satisfies readonly (keyof NightSums)[];

/** The streets of one zone: their names as JSON, their sums as Float64Array bytes, in the same order. */
export interface PackedStreets {
  readonly names: string;
  readonly sums: Uint8Array;
}

/** Numbers a street's row holds with `lines` price lines. */
export const rowWidth = (lines: number): number => KINDS.length + FIELDS.length + lines;

export function packStreets(streets: readonly StreetSums[], lines: readonly PriceLine[]): PackedStreets {
  const keys = lines.map(lineKey);
  const width = rowWidth(keys.length);
  const values = new Float64Array(streets.length * width);
  for (const [row, street] of streets.entries()) {
    let at = row * width;
    for (const kind of KINDS) values[at++] = street.nights[kind];
    for (const field of FIELDS) values[at++] = street[field];
    for (const key of keys) values[at++] = street.kwhByLine[key] ?? 0;
  }
  return { names: JSON.stringify(streets.map((street) => street.street)), sums: float64Bytes(values) };
}

/** The streets of a zone's part; every street gets a kWh entry for each of the part's lines. */
export function unpackStreets(
  zone: string,
  packed: PackedStreets,
  lines: readonly PriceLine[],
): StreetSums[] {
  const keys = lines.map(lineKey);
  const width = rowWidth(keys.length);
  const values = float64Values(packed.sums);
  const names = JSON.parse(packed.names) as string[];
  return names.map((street, row) => {
    const sums: StreetSums = { zone, street, ...emptySums() };
    let at = row * width;
    for (const kind of KINDS) sums.nights[kind] = values[at++] as number;
    for (const field of FIELDS) sums[field] = values[at++] as number;
    for (const key of keys) sums.kwhByLine[key] = values[at++] as number;
    return sums;
  });
}
