/**
 * Geometry of the report's bar charts (hand-written SVG): one horizontal row per group, its bar
 * split into metered energy and the two savings, which together make the baseline. Pure, so the
 * scaling is tested without a browser.
 */

export interface BarInput {
  readonly key: string;
  readonly meteredKwh: number;
  readonly controlsSavingsKwh: number;
  readonly ledConversionSavingsKwh: number;
}

export const SEGMENTS = ['metered', 'controls', 'led'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface BarRow {
  readonly key: string;
  readonly y: number;
  readonly segments: readonly {
    readonly segment: Segment;
    readonly x: number;
    readonly width: number;
    readonly kwh: number;
  }[];
}

export interface BarChart {
  readonly width: number;
  readonly height: number;
  /** Where the bars start: the group names are right-aligned before it. */
  readonly plotLeft: number;
  readonly plotWidth: number;
  readonly rowHeight: number;
  readonly rows: readonly BarRow[];
  readonly ticks: readonly { readonly x: number; readonly kwh: number }[];
}

export interface BarLayout {
  readonly width: number;
  readonly labelWidth: number;
  readonly rowHeight: number;
  /** Room under the rows for the axis labels. */
  readonly axisHeight: number;
}

export const DEFAULT_LAYOUT: BarLayout = { width: 720, labelWidth: 180, rowHeight: 26, axisHeight: 24 };

/**
 * Round tick values covering 0..max: steps of 1, 2 or 5 times a power of ten, about `count` of
 * them, the last one at or above max so the longest bar stays inside the axis.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let value = 0; value < max + step; value += step) {
    ticks.push(Number(value.toPrecision(12)));
    if (value >= max) break;
  }
  return ticks;
}

/** A negative saving (more metered than the model's reference) draws as nothing, never backwards. */
const drawn = (kwh: number): number => Math.max(0, kwh);

export function barChart(groups: readonly BarInput[], layout: BarLayout = DEFAULT_LAYOUT): BarChart {
  const plotLeft = layout.labelWidth;
  const plotWidth = layout.width - layout.labelWidth - 16;
  const lengths = groups.map(
    (g) => drawn(g.meteredKwh) + drawn(g.controlsSavingsKwh) + drawn(g.ledConversionSavingsKwh),
  );
  const ticks = niceTicks(Math.max(0, ...lengths));
  const axisMax = ticks[ticks.length - 1] ?? 0;
  const scale = (kwh: number): number => (axisMax === 0 ? 0 : (kwh / axisMax) * plotWidth);
  const rows = groups.map((group, i) => {
    let x = plotLeft;
    const segments = (
      [
        ['metered', group.meteredKwh],
        ['controls', group.controlsSavingsKwh],
        ['led', group.ledConversionSavingsKwh],
      ] as const
    ).map(([segment, kwh]) => {
      const width = scale(drawn(kwh));
      const placed = { segment, x, width, kwh };
      x += width;
      return placed;
    });
    return { key: group.key, y: i * layout.rowHeight, segments };
  });
  return {
    width: layout.width,
    height: groups.length * layout.rowHeight + layout.axisHeight,
    plotLeft,
    plotWidth,
    rowHeight: layout.rowHeight,
    rows,
    ticks: ticks.map((kwh) => ({ x: plotLeft + scale(kwh), kwh })),
  };
}
