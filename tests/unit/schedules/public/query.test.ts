import { describe, expect, it } from 'vitest';
import { LitHoursQuery, nightsOfMonth, PublicScheduleQuery } from '#schedules/public/query.ts';

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('public queries', () => {
  it('take a night and a zone, JSON by default', () => {
    expect(PublicScheduleQuery.parse({ night: '2026-11-30', zone: 'cite' })).toEqual({
      night: '2026-11-30',
      zone: 'cite',
      format: 'json',
      csv: 'fr',
    });
  });

  it('refuse an implausible night, naming it', () => {
    expect(issuesOf(PublicScheduleQuery.safeParse({ night: '1900-01-01' }))).toEqual(['night']);
  });

  it('take a month and a commune for a printed timetable', () => {
    expect(PublicScheduleQuery.parse({ month: '2026-11', commune: 'Trèbes' })).toMatchObject({
      month: '2026-11',
      commune: 'Trèbes',
    });
  });

  it('refuse a month that is not one, a night with a month, a zone with a commune, naming the second', () => {
    expect(issuesOf(PublicScheduleQuery.safeParse({ month: '2026-13' }))).toEqual(['month']);
    expect(issuesOf(PublicScheduleQuery.safeParse({ month: '1999-12' }))).toEqual(['month']);
    expect(issuesOf(PublicScheduleQuery.safeParse({ night: '2026-11-01', month: '2026-11' }))).toEqual([
      'month',
    ]);
    expect(issuesOf(PublicScheduleQuery.safeParse({ zone: 'cite', commune: 'Carcassonne' }))).toEqual([
      'commune',
    ]);
  });

  it('list every night of a month, leap February included', () => {
    expect(nightsOfMonth('2028-02')).toHaveLength(29);
    expect(nightsOfMonth('2026-11')[29]).toBe('2026-11-30');
  });

  it('refuse a period longer than a year, naming to', () => {
    expect(issuesOf(LitHoursQuery.safeParse({ from: '2025-01-01', to: '2026-06-01' }))).toEqual(['to']);
  });

  it('refuse lit hours by street over less than a week, which would reveal one night', () => {
    expect(
      issuesOf(LitHoursQuery.safeParse({ from: '2026-11-01', to: '2026-11-03', groupBy: 'street' })),
    ).toEqual(['from']);
    expect(LitHoursQuery.safeParse({ from: '2026-11-01', to: '2026-11-07', groupBy: 'street' }).success).toBe(
      true,
    );
  });
});
