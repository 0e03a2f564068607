import { describe, expect, it } from 'vitest';
import { presetPeriod, reportQueryOf, reportSearch } from '#console/src/pages/finance/report-form.ts';

describe('the report form', () => {
  it('gives the query of a valid period and grouping', () => {
    expect(reportQueryOf({ from: '2026-11-01', to: '2026-11-28', groupBy: 'street' })).toEqual({
      ok: true,
      query: { from: '2026-11-01', to: '2026-11-28', groupBy: 'street' },
    });
  });

  it('names the field of each problem, as the API would', () => {
    expect(reportQueryOf({ from: '2026-11-28', to: '2026-11-01', groupBy: 'zone' })).toEqual({
      ok: false,
      errors: { from: 'order' },
    });
    expect(reportQueryOf({ from: '2026-02-30', to: '2026-03-01', groupBy: 'zone' })).toEqual({
      ok: false,
      errors: { from: 'invalid' },
    });
    expect(reportQueryOf({ from: '2026-11-01', to: '', groupBy: 'luminaire' })).toEqual({
      ok: false,
      errors: { to: 'invalid', groupBy: 'invalid' },
    });
  });

  it('refuses a period longer than the API serves', () => {
    expect(reportQueryOf({ from: '2023-01-01', to: '2025-12-31', groupBy: 'month' }).ok).toBe(true);
    expect(reportQueryOf({ from: '2023-01-01', to: '2026-01-05', groupBy: 'month' })).toEqual({
      ok: false,
      errors: { to: 'too-long' },
    });
  });

  it('writes the query string of the API, format included', () => {
    expect(reportSearch({ from: '2026-11-01', to: '2026-11-28', groupBy: 'zone' }, 'csv')).toBe(
      'from=2026-11-01&to=2026-11-28&groupBy=zone&format=csv',
    );
  });
});

describe('period presets', () => {
  it('end yesterday, never tonight', () => {
    expect(presetPeriod('month-to-date', '2026-11-29')).toEqual({ from: '2026-11-01', to: '2026-11-28' });
    expect(presetPeriod('month-to-date', '2026-12-01')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetPeriod('year-to-date', '2027-01-01')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('cover whole calendar months and years', () => {
    expect(presetPeriod('last-month', '2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('last-month', '2026-01-31')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetPeriod('last-year', '2026-11-29')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('take twelve months back to the day, a leap day included', () => {
    expect(presetPeriod('last-12-months', '2026-11-29')).toEqual({ from: '2025-11-29', to: '2026-11-28' });
    expect(presetPeriod('last-12-months', '2028-03-01')).toEqual({ from: '2027-03-01', to: '2028-02-29' });
  });
});
