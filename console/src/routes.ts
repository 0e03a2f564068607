import type { ComponentType } from 'preact';
import { hasAnyRole, type Principal, type Role } from '#protocol/principal.ts';
import type { ApiClient } from './api/client.ts';
import type { MessageKey } from './i18n/index.ts';
import { prefetchMap } from './pages/map/map-prefetch.ts';
import type { RuntimeConfig } from './runtime-config.ts';

export interface PageProps {
  /** The route's parameters (`#/luminaires/<id>` gives `id`), decoded. */
  readonly params: Readonly<Record<string, string>>;
}

export interface RouteDef {
  /** `/luminaires/:id`: `:name` matches one segment. */
  readonly pattern: string;
  /** Roles that may open it (the API decides what they may do there); absent: anyone, signed in or not. */
  readonly roles?: readonly Role[];
  /** Its entry in the navigation, when it has one. */
  readonly nav?: MessageKey;
  /** Loaded when first opened, so the first load carries only the shell. */
  readonly load: () => Promise<{ default: ComponentType<PageProps> }>;
  /**
   * The page's slow first work (its data, its libraries), started by the shell with `load` for a
   * person who may open it, for the page to take over; answers how to close what it did not take.
   */
  readonly prefetch?: (context: { api: ApiClient; config: RuntimeConfig }) => () => void;
}

/** What the API lets each role read: finance the reports, technicians and admins the rest. */
export const OPERATIONS_ROLES: readonly Role[] = ['technician', 'admin'];
export const REPORT_ROLES: readonly Role[] = ['finance', 'admin'];

export const SIGN_IN_PATH = '/sign-in';

/**
 * Every page of the console, in navigation order. An area adds its pages here (one entry each);
 * the shell routes `#<pattern>` to them and builds the navigation a role sees from `nav`.
 */
export const ROUTES: readonly RouteDef[] = [
  { pattern: SIGN_IN_PATH, load: () => import('./pages/sign-in/sign-in-page.tsx') },
  // Residents' pages: no roles, open without sign-in (docs/open-data.md).
  { pattern: '/public', load: () => import('./pages/public/tonight-page.tsx') },
  { pattern: '/public/report', load: () => import('./pages/public/report-page.tsx') },
  { pattern: '/public/timetable', load: () => import('./pages/public/timetable-page.tsx') },
  {
    pattern: '/map',
    roles: OPERATIONS_ROLES,
    nav: 'nav.map',
    load: () => import('./pages/map/map-page.tsx'),
    prefetch: prefetchMap,
  },
  {
    pattern: '/alarms',
    roles: OPERATIONS_ROLES,
    nav: 'nav.alarms',
    load: () => import('./pages/operations/alarms-page.tsx'),
  },
  {
    pattern: '/audit',
    roles: OPERATIONS_ROLES,
    nav: 'nav.audit',
    load: () => import('./pages/operations/audit-page.tsx'),
  },
  {
    pattern: '/compliance',
    roles: OPERATIONS_ROLES,
    nav: 'nav.compliance',
    load: () => import('./pages/compliance/compliance-page.tsx'),
  },
  {
    pattern: '/reports',
    roles: REPORT_ROLES,
    nav: 'nav.reports',
    load: () => import('./pages/finance/reports-page.tsx'),
  },
  {
    pattern: '/profiles',
    roles: OPERATIONS_ROLES,
    nav: 'nav.profiles',
    load: () => import('./pages/schedules/profiles-page.tsx'),
  },
  {
    pattern: '/profiles/:name',
    roles: OPERATIONS_ROLES,
    load: () => import('./pages/schedules/profile-editor-page.tsx'),
  },
  {
    pattern: '/calendar',
    roles: OPERATIONS_ROLES,
    nav: 'nav.calendar',
    load: () => import('./pages/schedules/calendar-page.tsx'),
  },
  {
    pattern: '/overrides',
    roles: OPERATIONS_ROLES,
    nav: 'nav.overrides',
    load: () => import('./pages/schedules/overrides-page.tsx'),
  },
  {
    pattern: '/luminaires/:id',
    roles: OPERATIONS_ROLES,
    load: () => import('./pages/schedules/luminaire-page.tsx'),
  },
];

export interface RouteMatch {
  readonly route: RouteDef;
  readonly params: Record<string, string>;
}

const segments = (path: string): string[] => path.split('/').filter((segment) => segment.length > 0);

/** The route a location hash (`#/luminaires/L-0001`) names, or undefined. */
export function matchRoute(hash: string, routes: readonly RouteDef[] = ROUTES): RouteMatch | undefined {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const actual = segments(path);
  for (const route of routes) {
    const pattern = segments(route.pattern);
    if (pattern.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      const value = actual[i] ?? '';
      if (!part.startsWith(':')) return part === value;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
        return true;
      } catch {
        return false;
      }
    });
    if (matches) return { route, params };
  }
  return undefined;
}

export const mayOpen = (principal: Principal | undefined, route: RouteDef): boolean =>
  route.roles === undefined || (principal !== undefined && hasAnyRole(principal, route.roles));

/** The navigation a person sees: only the pages their roles may open. */
export const navFor = (principal: Principal | undefined, routes: readonly RouteDef[] = ROUTES): RouteDef[] =>
  routes.filter((route) => route.nav !== undefined && route.roles !== undefined && mayOpen(principal, route));

/** Where a person lands after signing in: the first page of their navigation. */
export function homeFor(principal: Principal | undefined, routes: readonly RouteDef[] = ROUTES): string {
  return `#${navFor(principal, routes)[0]?.pattern ?? SIGN_IN_PATH}`;
}
