import { describe, expect, it } from 'vitest';
import { barChart, DEFAULT_LAYOUT, niceTicks } from '#console/src/pages/finance/bars.ts';

const group = (
  key: string,
  meteredKwh: number,
  controlsSavingsKwh: number,
  ledConversionSavingsKwh: number,
) => ({
  key,
  meteredKwh,
  controlsSavingsKwh,
  ledConversionSavingsKwh,
});

describe('chart ticks', () => {
  it('are round steps reaching the largest value', () => {
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0)).toEqual([0]);
  });
});

describe('the savings bar chart', () => {
  it('stacks metered, dimming and LED savings into the baseline, scaled to the axis', () => {
    const chart = barChart([group('bastide', 400, 300, 300), group('cite', 100, 100, 50)]);
    const axisEnd = chart.plotLeft + chart.plotWidth;
    const [bastide, cite] = chart.rows;
    expect(bastide?.segments.map((s) => s.segment)).toEqual(['metered', 'controls', 'led']);
    const end = (row: typeof bastide) => {
      const last = row?.segments.at(-1);
      return (last?.x ?? 0) + (last?.width ?? 0);
    };
    // 1000 kWh on an axis ending at 1000 fills the plot; 250 kWh a quarter of it.
    expect(chart.ticks.at(-1)).toEqual({ x: axisEnd, kwh: 1000 });
    expect(end(bastide)).toBeCloseTo(axisEnd);
    expect(end(cite) - chart.plotLeft).toBeCloseTo(chart.plotWidth / 4);
    expect(bastide?.segments[1]?.x).toBeCloseTo(chart.plotLeft + chart.plotWidth * 0.4);
  });

  it('gives each group a row and room for the axis', () => {
    const chart = barChart([group('a', 1, 0, 0), group('b', 2, 0, 0), group('c', 3, 0, 0)]);
    expect(chart.rows.map((r) => r.y)).toEqual([0, DEFAULT_LAYOUT.rowHeight, 2 * DEFAULT_LAYOUT.rowHeight]);
    expect(chart.height).toBe(3 * DEFAULT_LAYOUT.rowHeight + DEFAULT_LAYOUT.axisHeight);
  });

  it('draws a negative saving as nothing rather than a bar going backwards', () => {
    const [row] = barChart([group('over', 120, -20, 50)]).rows;
    expect(row?.segments[1]?.width).toBe(0);
    expect(row?.segments[2]?.x).toBe(row?.segments[1]?.x);
  });

  it('draws empty bars when nothing reported', () => {
    const chart = barChart([group('a', 0, 0, 0)]);
    expect(chart.rows[0]?.segments.every((s) => s.width === 0)).toBe(true);
  });
});
