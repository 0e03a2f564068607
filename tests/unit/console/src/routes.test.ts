import { describe, expect, it } from 'vitest';
import { homeFor, matchRoute, mayOpen, navFor, type RouteDef } from '#console/src/routes.ts';
import type { Principal } from '#protocol/principal.ts';

const page = async () => ({ default: () => null });
const routes: RouteDef[] = [
  { pattern: '/sign-in', load: page },
  { pattern: '/map', roles: ['technician', 'admin'], nav: 'nav.map', load: page },
  { pattern: '/luminaires/:id', roles: ['technician', 'admin'], load: page },
  { pattern: '/reports', roles: ['finance', 'admin'], nav: 'nav.reports', load: page },
];
const who = (roles: Principal['roles'], zones: Principal['zones'] = 'all'): Principal => ({
  sub: 'u',
  username: 'u',
  roles,
  zones,
});

describe('console routes', () => {
  it('matches a hash to its route and decodes its parameters', () => {
    const match = matchRoute('#/luminaires/CAR%2F0001', routes);
    expect(match?.route.pattern).toBe('/luminaires/:id');
    expect(match?.params).toEqual({ id: 'CAR/0001' });
    expect(matchRoute('#/nowhere', routes)).toBeUndefined();
    expect(matchRoute('#/luminaires/%E0%A4%A', routes)).toBeUndefined();
  });

  it('shows finance the reports only, technicians the operations pages, admins both', () => {
    const patterns = (principal: Principal) => navFor(principal, routes).map((route) => route.pattern);
    expect(patterns(who(['finance']))).toEqual(['/reports']);
    expect(patterns(who(['technician'], ['trebes']))).toEqual(['/map']);
    expect(patterns(who(['admin']))).toEqual(['/map', '/reports']);
    expect(navFor(undefined, routes)).toEqual([]);
  });

  it('lets a role open only the pages of its roles, and anyone the sign-in page', () => {
    const [signIn, map, , reports] = routes as [RouteDef, RouteDef, RouteDef, RouteDef];
    expect(mayOpen(who(['finance']), map)).toBe(false);
    expect(mayOpen(who(['finance']), reports)).toBe(true);
    expect(mayOpen(undefined, signIn)).toBe(true);
    expect(mayOpen(undefined, map)).toBe(false);
  });

  it('lands each role on its first page, and nobody on the sign-in page', () => {
    expect(homeFor(who(['finance']), routes)).toBe('#/reports');
    expect(homeFor(who(['technician']), routes)).toBe('#/map');
    expect(homeFor(undefined, routes)).toBe('#/sign-in');
  });
});
