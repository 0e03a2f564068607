import { describe, expect, it } from 'vitest';
import { LitHoursQuery, PublicScheduleQuery } from '#schedules/public/query.ts';

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
