import { describe, expect, it } from 'vitest';
import { matchRoute, mayOpen, navFor } from '#console/src/routes.ts';
import type { Principal } from '#protocol/principal.ts';

const who = (roles: Principal['roles']): Principal => ({ sub: 'u', username: 'u', roles, zones: 'all' });
const route = (hash: string) => {
  const match = matchRoute(hash);
  if (match === undefined) throw new Error(`no route for ${hash}`);
  return match.route;
};

describe('the console by role', () => {
  it('shows finance the reports and nothing else', () => {
    expect(navFor(who(['finance'])).map((r) => r.pattern)).toEqual(['/reports']);
    expect(mayOpen(who(['finance']), route('#/alarms'))).toBe(false);
    expect(mayOpen(who(['finance']), route('#/audit'))).toBe(false);
  });

  it('gives technicians the alarms and the audit log, not the reports', () => {
    const patterns = navFor(who(['technician'])).map((r) => r.pattern);
    expect(patterns).toEqual(expect.arrayContaining(['/alarms', '/audit']));
    expect(patterns).not.toContain('/reports');
    expect(mayOpen(who(['technician']), route('#/reports'))).toBe(false);
  });

  it('opens the alarms page from the map-filter link too', () => {
    expect(route('#/alarms').pattern).toBe('/alarms');
    expect(mayOpen(who(['admin']), route('#/reports'))).toBe(true);
  });
});
