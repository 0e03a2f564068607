import type { LoadCurve } from './readings.ts';

/**
 * A delivery point's load curve over one calendar month (UTC: a month's item never depends on the
 * site's zone), sorted by interval start. A month of half-hours is at most 1,488 values.
 */
export interface CurveMonth {
  readonly deliveryPointId: string;
  /** YYYY-MM of the intervals' starts, in UTC. */
  readonly month: string;
  readonly intervalSeconds: number;
  readonly curve: LoadCurve;
}

export const monthOf = (epochSeconds: number): string =>
  new Date(epochSeconds * 1000).toISOString().slice(0, 7);

/** A curve in file order split into its UTC months, each sorted by start; a start read twice keeps the last. */
export function curveMonths(
  deliveryPointId: string,
  curve: LoadCurve,
  intervalSeconds: number,
): CurveMonth[] {
  const byStart = new Map<number, number>();
  for (let i = 0; i < curve.starts.length; i++)
    byStart.set(curve.starts[i] as number, curve.powerW[i] as number);
  const byMonth = new Map<string, number[]>();
  for (const start of [...byStart.keys()].sort((a, b) => a - b)) {
    const month = monthOf(start);
    const starts = byMonth.get(month);
    if (starts === undefined) byMonth.set(month, [start]);
    else starts.push(start);
  }
  return [...byMonth].map(([month, starts]) => ({
    deliveryPointId,
    month,
    intervalSeconds,
    curve: {
      starts: Float64Array.from(starts),
      powerW: Float64Array.from(starts, (start) => byStart.get(start) as number),
    },
  }));
}

/**
 * A point's stored months with an import applied: the stored intervals outside the span the import
 * covers for this point are kept, everything inside it is the file's (a month the file holds no
 * value for inside its span is emptied). Applying the same import twice gives the same months: a
 * re-import is idempotent, and a re-import of a period replaces that period only.
 */
export function applyImport(
  stored: readonly CurveMonth[],
  imported: readonly CurveMonth[],
  span: { readonly from: number; readonly to: number },
): CurveMonth[] {
  const incoming = new Map(imported.map((m) => [m.month, m]));
  const months = new Map<string, CurveMonth>();
  for (const month of stored) {
    const outside: [number, number][] = [];
    for (let i = 0; i < month.curve.starts.length; i++) {
      const start = month.curve.starts[i] as number;
      if (start < span.from || start >= span.to) outside.push([start, month.curve.powerW[i] as number]);
    }
    const added = incoming.get(month.month);
    const points = [
      ...outside,
      ...Array.from(
        added?.curve.starts ?? [],
        (start, i) => [start, added?.curve.powerW[i] as number] as const,
      ),
    ].sort((a, b) => a[0] - b[0]);
    months.set(month.month, {
      ...(added ?? month),
      curve: {
        starts: Float64Array.from(points, ([start]) => start),
        powerW: Float64Array.from(points, ([, power]) => power),
      },
    });
  }
  for (const month of imported) if (!months.has(month.month)) months.set(month.month, month);
  return [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
}

/** Whether two lists of a point's months hold the same intervals and powers, month by month. */
export function sameMonths(a: readonly CurveMonth[], b: readonly CurveMonth[]): boolean {
  const same = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.length === b.length &&
    a.every((m, i) => {
      const other = b[i] as CurveMonth;
      return (
        m.month === other.month &&
        m.intervalSeconds === other.intervalSeconds &&
        same(m.curve.starts, other.curve.starts) &&
        same(m.curve.powerW, other.curve.powerW)
      );
    })
  );
}

/** The span a curve covers: its first interval start to its last interval end. */
export function curveSpan(curve: LoadCurve, intervalSeconds: number): { from: number; to: number } {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const start of curve.starts) {
    if (start < from) from = start;
    if (start > to) to = start;
  }
  return { from, to: to + intervalSeconds };
}

/** Months of one point, in month order, as one curve. */
export function joinMonths(months: readonly CurveMonth[]): LoadCurve {
  const sorted = [...months].sort((a, b) => (a.month < b.month ? -1 : 1));
  const length = sorted.reduce((sum, m) => sum + m.curve.starts.length, 0);
  const starts = new Float64Array(length);
  const powerW = new Float64Array(length);
  let at = 0;
  for (const { curve } of sorted) {
    starts.set(curve.starts, at);
    powerW.set(curve.powerW, at);
    at += curve.starts.length;
  }
  return { starts, powerW };
}
