import { createHash } from 'node:crypto';
import { ApiProblem } from '../problem.ts';
import type { ApiRequest, ApiResponse } from '../router.ts';
import type { BucketRate, TokenBuckets } from './token-bucket.ts';

/** How a route open without sign-in is protected and cached. */
export interface PublicAccess {
  /** Routes of one group share a client's bucket (`read`, `fault-report`). */
  readonly group: string;
  readonly rate: BucketRate;
  /** Seconds a cache (the browser, CloudFront) may keep a 200; absent: not cached (a POST). */
  readonly cacheSeconds?: number;
}

/** Refuses a client past its allowance with a 429 naming when to come back; nothing else changes. */
export function limitClient(buckets: TokenBuckets, access: PublicAccess, clientIp: string): void {
  const taken = buckets.take(`${access.group}\u0000${clientIp}`, access.rate);
  if (!taken.ok) {
    throw new ApiProblem(
      'too-many-requests',
      `too many requests from this address; retry in ${taken.retryAfterSeconds} s`,
      [],
      { 'retry-after': String(taken.retryAfterSeconds) },
    );
  }
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
