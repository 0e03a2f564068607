import { createHash } from 'node:crypto';
import type { ClientWindowCounter } from '../../store/client-window-store.ts';
import { ApiProblem } from '../problem.ts';
import type { ApiRequest, ApiResponse } from '../router.ts';
import type { BucketRate, TokenBuckets } from './token-bucket.ts';

/** How a route open without sign-in is protected and cached. */
export interface PublicAccess {
  /** Routes of one group share a client's bucket (`read`, `fault-report`). */
  readonly group: string;
  /** The first line, in the instance's memory: cheap, but each instance of the function has its own. */
  readonly rate: BucketRate;
  /**
   * The limit that holds across instances, counted in the table (AP29) by the routes that write
   * (fault reports, countClientWindow), where a flood spread over instances must still be stopped.
   */
  readonly perClientWindow?: { readonly requests: number; readonly windowSeconds: number };
  /** Seconds a cache (the browser, CloudFront) may keep a 200; absent: not cached (a POST). */
  readonly cacheSeconds?: number;
}

const tooMany = (retryAfterSeconds: number) =>
  new ApiProblem(
    'too-many-requests',
    `too many requests from this address; retry in ${retryAfterSeconds} s`,
    [],
    { 'retry-after': String(retryAfterSeconds) },
  );

/**
 * The client's name in the counter for one window: a hash of the address salted with the group and
 * the window, so the table holds no address and two windows of one client cannot be linked.
 */
export const windowPseudonym = (clientIp: string, group: string, windowStart: number): string =>
  createHash('sha256')
    .update(`${group}\u0000${windowStart}\u0000${clientIp}`)
    .digest('base64url')
    .slice(0, 22);

/** Refuses a client past its instance's allowance with a 429 naming when to come back. */
export function limitClient(buckets: TokenBuckets, access: PublicAccess, clientIp: string): void {
  const taken = buckets.take(`${access.group}\u0000${clientIp}`, access.rate);
  if (!taken.ok) throw tooMany(taken.retryAfterSeconds);
}

/**
 * Counts a valid request in the client's shared window (PublicAccess.perClientWindow), refusing it
 * with a 429 once the window is full. Called by a route after its input is checked, so bad input
 * stores nothing (WAF's rule counts every request on AWS).
 */
export async function countClientWindow(
  counter: ClientWindowCounter,
  now: number,
  access: PublicAccess,
  clientIp: string,
): Promise<void> {
  const window = access.perClientWindow;
  if (window === undefined) return;
  const windowStart = Math.floor(now / window.windowSeconds) * window.windowSeconds;
  const counted = await counter.count({
    group: access.group,
    pseudonym: windowPseudonym(clientIp, access.group, windowStart),
    windowStart,
    windowSeconds: window.windowSeconds,
    limit: window.requests,
  });
  if (!counted) throw tooMany(Math.max(1, Math.ceil(windowStart + window.windowSeconds - now)));
}

/**
 * A public 200 made cacheable: `Cache-Control: public, max-age`, a strong ETag of the body, and a
 * 304 without body when the client already holds that ETag (If-None-Match).
 */
export function cacheable(request: ApiRequest, response: ApiResponse, access: PublicAccess): ApiResponse {
  if (access.cacheSeconds === undefined || response.status !== 200) return response;
  const etag = `"${createHash('sha256')
    .update(response.body ?? '')
    .digest('base64url')
    .slice(0, 22)}"`;
  const headers = {
    ...response.headers,
    'cache-control': `public, max-age=${access.cacheSeconds}`,
    etag,
  };
  const held = request.headers['if-none-match'];
  if (held?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return { status: 304, headers: { 'cache-control': headers['cache-control'], etag } };
  }
  return { ...response, headers };
}
