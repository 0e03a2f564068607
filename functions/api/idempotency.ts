import { createHash } from 'node:crypto';
import { logger } from '../shared/logger.ts';
import type { IdempotencyClaim, IdempotencyStore } from '../store/idempotency-store.ts';
import { ApiProblem } from './problem.ts';
import type { ApiRequest, ApiResponse, Route } from './router.ts';

/** The header a client sends to make a POST safe to retry (header names arrive lower-cased). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on an answer replayed from the first request with the same key. */
export const REPLAYED_HEADER = 'idempotent-replayed';

const KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface IdempotencyDeps {
  readonly idempotency: IdempotencyStore;
  /** Epoch seconds. */
  readonly now: () => number;
}

/**
 * Every POST route of the API made idempotent by key: a request sent again with the same
 * Idempotency-Key by the same principal gets the first successful answer back (status and body)
 * without being applied again. Only a 2xx is recorded: after a failure the key is released, so the
 * retry runs (a 409 "configuration changed" or a 503 must be retryable). The same key for another
 * request (method, path, query or body) is a 422; a key whose first request is still running a 409.
 * Without the header a POST runs as sent: a retried POST /overrides then creates a second override.
 */
export function withIdempotency(routes: readonly Route[], deps: IdempotencyDeps): Route[] {
  return routes.map((route) => (route.method === 'POST' ? idempotent(route, deps) : route));
}

function idempotent(route: Route, deps: IdempotencyDeps): Route {
  return {
    ...route,
    async handle(request) {
      const key = request.headers[IDEMPOTENCY_HEADER.toLowerCase()];
      if (key === undefined) return route.handle(request);
      if (!KEY.test(key)) {
        throw new ApiProblem('bad-request', `invalid ${IDEMPOTENCY_HEADER} header`, [
          { name: IDEMPOTENCY_HEADER, detail: 'must be 1-128 characters of [A-Za-z0-9_.:-]' },
        ]);
      }
      const principal = request.principal.sub;
      const fingerprint = fingerprintOf(request);
      const claim = await deps.idempotency.claim(principal, key, fingerprint, deps.now());
      if (claim.kind !== 'claimed') return answerAgain(claim, fingerprint);

      let response: ApiResponse;
      try {
        response = await route.handle(request);
      } catch (error) {
        await releaseQuietly(deps, principal, key);
        throw error;
      }
      if (response.status >= 300) await releaseQuietly(deps, principal, key);
      else await recordQuietly(deps, principal, key, fingerprint, response);
      return response;
    },
  };
}

function answerAgain(
  claim: Exclude<IdempotencyClaim, { kind: 'claimed' }>,
  fingerprint: string,
): ApiResponse {
  if (claim.fingerprint !== undefined && claim.fingerprint !== fingerprint) {
    throw new ApiProblem('validation-failed', `this ${IDEMPOTENCY_HEADER} was used for another request`, [
      {
        name: IDEMPOTENCY_HEADER,
        detail: 'the key was sent with another method, path, query or body; use a new key for a new request',
      },
    ]);
  }
  if (claim.kind === 'in-progress') throw stillRunning();
  return {
    status: claim.response.status,
    headers: { ...claim.response.headers, [REPLAYED_HEADER]: 'true' },
    body: claim.response.body,
  };
}

const stillRunning = () =>
  new ApiProblem(
    'conflict',
    `a request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly for its answer`,
    [],
    { 'retry-after': '1' },
  );

/** What makes two requests the same request: method, path, query and body. */
function fingerprintOf(request: ApiRequest): string {
  const query = Object.entries(request.query).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([request.method, request.path, query, request.body ?? '']))
    .digest('base64url');
}

// The answer stands whatever happens to its record: a record that could not be written only
// means a retry runs the request again, as without the header.
async function recordQuietly(
  deps: IdempotencyDeps,
  principal: string,
  key: string,
  fingerprint: string,
  response: ApiResponse,
): Promise<void> {
  try {
    const recorded = await deps.idempotency.complete(
      principal,
      key,
      fingerprint,
      { status: response.status, headers: { ...response.headers }, body: response.body ?? '' },
      deps.now(),
    );
    if (!recorded) logger.warn('answer too large to record for its idempotency key', { key });
  } catch (error) {
    logger.error('idempotency record not written', { error: error as Error, key });
  }
}

async function releaseQuietly(deps: IdempotencyDeps, principal: string, key: string): Promise<void> {
  try {
    await deps.idempotency.release(principal, key);
  } catch (error) {
    // The lease expires on its own (IDEMPOTENCY_LEASE_SECONDS); until then a retry gets 409.
    logger.error('idempotency key not released', { error: error as Error, key });
  }
}
