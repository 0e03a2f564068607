import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BOX,
  localHours,
  nightChart,
  transitionsOfView,
} from '#console/src/pages/schedules/night-chart.ts';
import { nightWindow, ZoneClock } from '#schedules/index.ts';

const clock = ZoneClock.of('Europe/Paris');
const at = (date: string, hhmm: string): number =>
  clock.toEpoch(date, Number(hhmm.slice(0, 2)) * 3600 + Number(hhmm.slice(3)) * 60);
const window = nightWindow(clock, '2026-06-21');
const series = {
  timezone: 'Europe/Paris',
  start: window.start,
  end: window.end,
  sunset: at('2026-06-21', '21:50'),
  sunrise: at('2026-06-22', '06:10'),
  transitions: [
    { at: at('2026-06-21', '22:00'), level: 100 },
    { at: at('2026-06-21', '23:00'), level: 50 },
    { at: at('2026-06-22', '06:00'), level: 0 },
  ],
  fadeSeconds: 0,
};
const { left, right, top, bottom, width, height } = DEFAULT_BOX;

describe('the night chart', () => {
  it('spans an hour before sunset to an hour after sunrise', () => {
    const chart = nightChart(series);
    expect(chart.from).toBe(at('2026-06-21', '20:50'));
    expect(chart.to).toBe(at('2026-06-22', '07:10'));
    expect(chart.sunset).toBeCloseTo(left + (3600 / (chart.to - chart.from)) * (width - left - right), 1);
  });

  it('widens to a switch-on before sunset and never leaves the night window', () => {
    const early = {
      ...series,
      transitions: [{ at: window.start + 600, level: 80 }, ...series.transitions.slice(1)],
    };
    expect(nightChart(early).from).toBe(window.start);
  });

  it('draws levels as a step line from the bottom (0 %) to the top (100 %)', () => {
    const chart = nightChart(series);
    const bottomY = height - bottom;
    const plot = height - top - bottom;
    expect(chart.line.startsWith(`M${left},${bottomY}`)).toBe(true);
    expect(chart.line).toContain(` V${top}`);
    expect(chart.line).toContain(` V${top + plot / 2}`);
    expect(chart.line).toMatch(new RegExp(` V${bottomY} H${width - right}$`));
    expect(chart.area.endsWith(`V${bottomY} Z`)).toBe(true);
  });

  it('ramps between lit levels over the fade, and switches on and off at once', () => {
    const chart = nightChart({ ...series, fadeSeconds: 600 });
    expect(chart.line.match(/ L/g)).toHaveLength(1);
    expect(chart.line).toMatch(/ H[\d.]+ V14 /);
  });

  it('puts no sun mark where the sun does not set', () => {
    const chart = nightChart({
      ...series,
      sunset: Number.NEGATIVE_INFINITY,
      sunrise: Number.POSITIVE_INFINITY,
    });
    expect([chart.sunset, chart.sunrise]).toEqual([null, null]);
  });

  it('marks whole local hours, 02:00 twice on the night the clocks go back', () => {
    const from = at('2026-10-25', '00:30');
    const to = from + 4 * 3600;
    const labels = localHours('Europe/Paris', from, to).map((hour) => clock.format(hour).slice(11, 16));
    expect(labels).toEqual(['01:00', '02:00', '02:00', '03:00']);
  });

  it('reads the transitions of an API plan view', () => {
    expect(transitionsOfView({ transitions: [{ at: '2026-06-21T22:30:00+02:00', level: 70 }] })).toEqual([
      { at: Date.parse('2026-06-21T20:30:00Z') / 1000, level: 70 },
    ]);
    expect(transitionsOfView(null)).toEqual([]);
  });
});
