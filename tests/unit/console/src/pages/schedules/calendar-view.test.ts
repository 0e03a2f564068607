import { describe, expect, it } from 'vitest';
import {
  legendOf,
  monthGrid,
  PALETTE,
  rulesInPrecedence,
  shiftMonth,
} from '#console/src/pages/schedules/calendar-view.ts';
import { calendarMonth, ruleName, zonesNamed } from '#schedules/index.ts';
import { example } from './example.ts';

/** WCAG relative luminance and contrast ratio of two "#rrggbb" colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

describe('the calendar page', () => {
  it('lists the rules as they are applied: highest priority first, then as listed', () => {
    const names = rulesInPrecedence(example.calendar).map(ruleName);
    expect(names.slice(0, 2)).toEqual(['bastille-day', 'christmas-market']);
    expect(names.at(-1)).toBe('default');
    expect(names.indexOf('cite-summer')).toBeLessThan(names.indexOf('cite'));
  });

  it('shows what each zone follows each night of July, 14 July and weekends included', () => {
    const grid = monthGrid(calendarMonth(example, zonesNamed(example), '2026-07'));
    expect(grid.columns).toHaveLength(31);
    const bastille = grid.columns[13];
    expect(bastille).toMatchObject({ night: '2026-07-14', holidays: ['nationalDay'], weekend: false });
    expect(grid.columns[3]).toMatchObject({ night: '2026-07-04', weekday: 'sat', weekend: true });
    const bastide = grid.rows.find((row) => row.zone === 'bastide');
    expect(bastide?.cells[2]).toMatchObject({ night: '2026-07-03', profile: 'bastide-weekend' });
    expect(bastide?.cells[5]).toMatchObject({ night: '2026-07-06', profile: 'residential' });
    const cite = grid.rows.find((row) => row.zone === 'cite');
    expect(cite?.cells[0]).toMatchObject({ profile: 'cite-summer', rule: 'cite-summer' });
    expect(grid.rows.at(-1)?.zone).toBeNull();
  });

  it('shows the Christmas market nights as an exception on the streets of the Bastide', () => {
    const grid = monthGrid(calendarMonth(example, zonesNamed(example), '2026-12'));
    const bastide = grid.rows.find((row) => row.zone === 'bastide');
    const market = bastide?.cells.filter((cell) => cell.exceptions.length > 0);
    expect(market?.map((cell) => cell.night)).toContain('2026-12-04');
    expect(market?.every((cell) => cell.exceptions.every((e) => e.profile === 'christmas-market'))).toBe(
      true,
    );
    expect(bastide?.cells[0]?.exceptions).toEqual([]);
    expect(grid.legend.map((entry) => entry.profile)).toContain('christmas-market');
  });

  it('names the street rules of every night once per zone, not in each cell', () => {
    const grid = monthGrid(calendarMonth(example, zonesNamed(example), '2026-12'));
    const bastide = grid.rows.find((row) => row.zone === 'bastide');
    expect(bastide?.steady.map((e) => e.rule)).toEqual(['parks', 'main-roads']);
  });

  it('numbers and colours profiles by name, each colour readable with its text', () => {
    expect(legendOf(['park', 'festival', 'park']).map(({ profile, number }) => [profile, number])).toEqual([
      ['festival', 1],
      ['park', 2],
    ]);
    for (const { background, text } of PALETTE)
      expect(contrast(background, text)).toBeGreaterThanOrEqual(4.5);
  });

  it('moves from month to month across years', () => {
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
  });
});
