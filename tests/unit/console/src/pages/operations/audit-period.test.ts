import { describe, expect, it } from 'vitest';
import { auditPeriod, defaultAuditDays } from '#console/src/pages/operations/audit-period.ts';

describe('the audit period', () => {
  it('covers whole days in the site zone, whatever the browser zone', () => {
    expect(auditPeriod('2026-11-01', '2026-11-29', 'Europe/Paris')).toEqual({
      ok: true,
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-29T22:59:59.000Z',
    });
    expect(auditPeriod('2026-07-14', '2026-07-14', 'Europe/Paris')).toEqual({
      ok: true,
      from: '2026-07-13T22:00:00.000Z',
      to: '2026-07-14T21:59:59.000Z',
    });
  });

  it('allows 366 days, as the API does, even across a clock change', () => {
    const year = auditPeriod('2025-11-29', '2026-11-29', 'Europe/Paris');
    expect(year.ok).toBe(true);
    if (year.ok) expect(Date.parse(year.to) - Date.parse(year.from)).toBeLessThanOrEqual(366 * 86_400_000);
    expect(auditPeriod('2025-11-28', '2026-11-29', 'Europe/Paris')).toEqual({
      ok: false,
      field: 'from',
      problem: 'too-long',
    });
  });

  it('names the field of a bad date or a reversed range', () => {
    expect(auditPeriod('2026-02-30', '2026-03-01', 'UTC')).toEqual({
      ok: false,
      field: 'from',
      problem: 'invalid',
    });
    expect(auditPeriod('2026-03-01', '', 'UTC')).toEqual({ ok: false, field: 'to', problem: 'invalid' });
    expect(auditPeriod('2026-03-02', '2026-03-01', 'UTC')).toEqual({
      ok: false,
      field: 'from',
      problem: 'order',
    });
  });

  it('defaults to the 30 days up to today', () => {
    expect(defaultAuditDays('2026-11-29')).toEqual({ from: '2026-10-31', to: '2026-11-29' });
  });
});
