// Who a bearer token says is calling: the claims Cognito (or the local issuer) writes, read the same
// way by the API, which enforces them, and by the console, which only hides what a role may not use.
import { z } from 'zod';

export const ROLES = ['technician', 'finance', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/**
 * Who is calling, as the API's authorization rules need it. `zones` is the list of zones a
 * technician may change; `'all'` when the token carries no zone limit.
 */
export interface Principal {
  readonly sub: string;
  readonly username: string;
  readonly roles: readonly Role[];
  readonly zones: 'all' | readonly string[];
}

/**
 * The claims we read, as Cognito writes them: groups in `cognito:groups`, the zone limit in the
 * custom attribute `custom:zones` (a comma-separated list; absent = every zone, an admin's decision
 * recorded in ADR 0004). A claim that is present but names no zone (blank, only commas) is refused:
 * it is a broken account, and reading it as "no limit" would hand every zone to it. Groups that are
 * not one of our roles are ignored rather than refused, so a pool can hold other groups.
 */
export const Claims = z.object({
  sub: z.string().min(1),
  'cognito:username': z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  'cognito:groups': z.array(z.string()).default([]),
  'custom:zones': z
    .string()
    .transform(zoneList)
    .refine((zones) => zones.length > 0, 'present but lists no zone')
    .optional(),
});

function zoneList(claim: string): string[] {
  const zones = claim
    .split(',')
    .map((zone) => zone.trim())
    .filter((zone) => zone.length > 0);
  return [...new Set(zones)];
}

export function principalFromClaims(claims: z.output<typeof Claims>): Principal {
  return {
    sub: claims.sub,
    username: claims['cognito:username'] ?? claims.username ?? claims.sub,
    roles: ROLES.filter((role) => claims['cognito:groups'].includes(role)),
    zones: claims['custom:zones'] ?? 'all',
  };
}

export const hasAnyRole = (principal: Principal, roles: readonly Role[]): boolean =>
  principal.roles.some((role) => roles.includes(role));

/** Admins and technicians without a zone claim may touch every zone. */
export const isZoneLimited = (principal: Principal): boolean =>
  principal.zones !== 'all' && !principal.roles.includes('admin');

/** Zones outside the principal's limit among `zones` (empty when the principal may touch them all). */
export function zonesOutsideLimit(principal: Principal, zones: Iterable<string>): string[] {
  if (principal.zones === 'all' || !isZoneLimited(principal)) return [];
  const allowed = new Set(principal.zones);
  return [...new Set(zones)].filter((zone) => !allowed.has(zone)).sort();
}
