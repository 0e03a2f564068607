import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { hasAnyRole, type Principal, type Role } from '#protocol/principal.ts';
import { bearerToken, type TokenVerifier } from '../auth/verifier.ts';
import { ApiProblem, fieldErrors, PROBLEM_CONTENT_TYPE, problemDocument, problemOf } from './problem.ts';
import { cacheable, limitClient, type PublicAccess } from './public/access.ts';
import { TokenBuckets } from './public/token-bucket.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a route sees of a request: already authenticated, path parameters extracted. */
export interface ApiRequest {
  readonly method: Method;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | undefined;
  readonly principal: Principal;
  readonly requestId: string;
  /** The client's address as the gateway saw it (API Gateway's sourceIp; the socket's locally). */
  readonly clientIp: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The body is bytes in base64 (API Gateway sends them decoded). */
  readonly isBase64Encoded?: boolean;
}

export interface Route {
  readonly method: Method;
  /** `/luminaires/{id}/plan`: `{name}` matches one path segment. */
  readonly path: string;
  /** Roles allowed to call the route (any one of them); empty for a public route. */
  readonly roles: readonly Role[];
  /**
   * Set on the routes open without sign-in (`/public/...`): rate-limited per client address and,
   * for reads, cached. Only these routes are answered without a token.
   */
  readonly public?: PublicAccess;
  /** Schemas of the path parameters; a parameter without one is checked with PathParam. */
  readonly params?: Readonly<Record<string, z.ZodType<string, string>>>;
  /** Largest request body in bytes (DEFAULT_MAX_BODY_BYTES when absent); a larger one is a 413. */
  readonly maxBodyBytes?: number;
  handle(request: ApiRequest): Promise<ApiResponse>;
}

/**
 * The largest JSON body of a configuration change: the largest valid rule or override (2,000
 * luminaire ids, 200 zones and streets, 366 dates) is under 200 KB of ASCII. A body is refused
 * before it is parsed, so its size never costs more than reading it.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/** A path parameter no route schema describes: bounded, as it may end up in a key or a message. */
export const PathParam = z.string().min(1).max(128, 'a path parameter must be at most 128 characters');

export interface RouterDependencies {
  readonly verify: TokenVerifier;
  /** Called with failures that are not the caller's fault (500), for the log. */
  readonly onUnexpectedError: (error: unknown, event: APIGatewayProxyEventV2) => void;
  /** Epoch seconds, for the public routes' rate limits. */
  readonly now: () => number;
  /**
   * On AWS, the value CloudFront sends in ORIGIN_SECRET_HEADER (ADR 0019): a request without it
   * came to the execute-api URL directly, around the WAF and the cache, and is refused. Unset
   * locally, where the gateway is the only way in.
   */
  readonly originSecret?: string | undefined;
}

/** The header CloudFront adds to every request it sends the API (infra/constructs/console-site.ts). */
export const ORIGIN_SECRET_HEADER = 'x-origin-verify';

/** Compared in constant time, so the answer's timing does not reveal how much of a guess was right. */
function fromDistribution(sent: string | undefined, secret: string): boolean {
  const a = createHash('sha256')
    .update(sent ?? '')
    .digest();
  const b = createHash('sha256').update(secret).digest();
  return sent !== undefined && timingSafeEqual(a, b);
}

/** Who calls a public route: no one signed in; the address keys idempotency and rate limits. */
const anonymous = (clientIp: string): Principal => ({
  sub: `public:${clientIp}`,
  username: 'public',
  roles: [],
  zones: [],
});

interface CompiledRoute {
  readonly route: Route;
  readonly segments: readonly string[];
}

const splitPath = (path: string): string[] => path.split('/').filter((segment) => segment.length > 0);

/** The raw (still percent-encoded) path parameters when the path matches the pattern, else null. */
function matchSegments(pattern: readonly string[], actual: readonly string[]): Map<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params = new Map<string, string>();
  for (const [i, part] of pattern.entries()) {
    const value = actual[i] as string;
    if (part.startsWith('{') && part.endsWith('}')) params.set(part.slice(1, -1), value);
    else if (part !== value) return null;
  }
  return params;
}

/** Decodes and validates the path parameters of the matched route; a bad one is named (`{id}`) in a 400. */
function pathParams(route: Route, raw: ReadonlyMap<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, segment] of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new ApiProblem('bad-request', 'the path is not valid percent-encoding (RFC 3986)', [
        { name: `{${name}}`, detail: `segment "${segment}" does not decode to UTF-8 text` },
      ]);
    }
    const parsed = (route.params?.[name] ?? PathParam).safeParse(decoded);
    if (!parsed.success) {
      throw new ApiProblem(
        'bad-request',
        `invalid path parameter {${name}}`,
        fieldErrors(parsed.error.issues, 'query', [`{${name}}`]),
      );
    }
    params[name] = parsed.data;
  }
  return params;
}

/** The request body as text, refused (413) when it is larger than the route takes. */
function bodyOf(event: APIGatewayProxyEventV2, route: Route): string | undefined {
  if (event.body === undefined) return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  const limit = route.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (bytes.length > limit) {
    throw new ApiProblem(
      'payload-too-large',
      `the request body has ${bytes.length} bytes; ${route.method} ${route.path} takes at most ${limit}`,
    );
  }
  return bytes.toString('utf8');
}

/** A JSON media type: `application/json`, or a structured `+json` one (`application/merge-patch+json`). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});

export const bytes = (
  status: number,
  value: Uint8Array,
  type: string,
  headers: Record<string, string> = {},
): ApiResponse => ({
  status,
  headers: { 'content-type': type, ...headers },
  body: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
  isBase64Encoded: true,
});

function problemResult(problem: ApiProblem): APIGatewayProxyStructuredResultV2 {
  const document = problemDocument(problem.kind, problem.message, problem.errors, problem.extensions);
  return {
    statusCode: document.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...problem.headers },
    body: JSON.stringify(document),
  };
}

/** Parses a JSON body with a zod schema; every bad field becomes a pointer in a 422. */
export function parseBody<S extends z.ZodType>(request: ApiRequest, schema: S): z.output<S> {
  if (request.body === undefined || request.body.trim() === '') {
    throw new ApiProblem('bad-request', 'a JSON request body is required');
  }
  const type = request.headers['content-type'];
  if (type !== undefined && !JSON_MEDIA_TYPE.test(type)) {
    throw new ApiProblem('unsupported-media-type', `send the body as application/json, not ${type}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(request.body);
  } catch (error) {
    throw new ApiProblem('bad-request', `request body is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiProblem(
      'validation-failed',
      'the request body is invalid',
      fieldErrors(parsed.error.issues, 'body'),
    );
  }
  return parsed.data;
}

/** Parses query parameters with a zod schema; bad ones are named in a 400. */
export function parseQuery<S extends z.ZodType>(request: ApiRequest, schema: S): z.output<S> {
  const parsed = schema.safeParse(request.query);
  if (!parsed.success) {
    throw new ApiProblem(
      'bad-request',
      'invalid query parameters',
      fieldErrors(parsed.error.issues, 'query'),
    );
  }
  return parsed.data;
}

/**
 * A small router for API Gateway HTTP API (payload 2.0) events behind the `$default` route:
 * authenticates the bearer token, matches method and path, checks the route's roles, and turns
 * every failure into RFC 9457 problem+json. Unknown path: 404; known path, other method: 405.
 */
export function createRouter(routes: readonly Route[], dependencies: RouterDependencies) {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: splitPath(route.path) }));

  const buckets = new TokenBuckets(dependencies.now);

  /** The public route for this method and path, if any: the one case answered without a token. */
  function publicRoute(method: string, segments: readonly string[]) {
    for (const { route, segments: pattern } of compiled) {
      if (route.public === undefined || route.method !== method) continue;
      const params = matchSegments(pattern, segments);
      if (params !== null) return { route, params, access: route.public };
    }
    return undefined;
  }

  async function authenticate(headers: Record<string, string | undefined>): Promise<Principal> {
    const token = bearerToken(headers.authorization);
    if (token === null) {
      throw new ApiProblem('unauthenticated', 'send a bearer token in the Authorization header', [], {
        'www-authenticate': 'Bearer',
      });
    }
    const verified = await dependencies.verify(token);
    if (!verified.ok) {
      throw new ApiProblem('unauthenticated', verified.reason, [], {
        // RFC 6750 quoted-string: the reason may itself contain double quotes.
        'www-authenticate': `Bearer error="invalid_token", error_description="${verified.reason.replaceAll('"', "'")}"`,
      });
    }
    return verified.principal;
  }

  async function dispatch(event: APIGatewayProxyEventV2): Promise<ApiResponse> {
    const headers = Object.fromEntries(
      Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const secret = dependencies.originSecret;
    if (secret !== undefined && !fromDistribution(headers[ORIGIN_SECRET_HEADER], secret)) {
      throw new ApiProblem('forbidden', 'this API is served through its site only, not at this address');
    }
    const method = event.requestContext.http.method.toUpperCase();
    const segments = splitPath(event.rawPath);
    // Behind CloudFront the source is an edge server; its function names the viewer (ADR 0007).
    const clientIp = headers['x-viewer-address'] ?? event.requestContext.http.sourceIp;
    const request = (
      route: Route,
      params: ReadonlyMap<string, string>,
      principal: Principal,
    ): ApiRequest => ({
      method: route.method,
      path: event.rawPath,
      params: pathParams(route, params),
      query: event.queryStringParameters ?? {},
      headers,
      body: bodyOf(event, route),
      principal,
      requestId: event.requestContext.requestId,
      clientIp,
    });

    const open = publicRoute(method, segments);
    if (open !== undefined) {
      limitClient(buckets, open.access, clientIp);
      const publicRequest = request(open.route, open.params, anonymous(clientIp));
      return cacheable(publicRequest, await open.route.handle(publicRequest), open.access);
    }

    const principal = await authenticate(headers);
    const allowed: string[] = [];
    for (const { route, segments: pattern } of compiled) {
      const params = matchSegments(pattern, segments);
      if (params === null) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      if (!hasAnyRole(principal, route.roles)) {
        throw new ApiProblem('forbidden', `this needs one of the roles: ${route.roles.join(', ')}`);
      }
      return route.handle(request(route, params, principal));
    }
    if (allowed.length > 0) {
      throw new ApiProblem('method-not-allowed', `${method} is not allowed here`, [], {
        allow: allowed.join(', '),
      });
    }
    throw new ApiProblem('not-found', `no route for ${event.rawPath}`);
  }

  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const response = await dispatch(event);
      return {
        statusCode: response.status,
        headers: { ...response.headers },
        body: response.body ?? '',
        ...(response.isBase64Encoded === true ? { isBase64Encoded: true } : {}),
      };
    } catch (error) {
      const problem = problemOf(error);
      if (problem !== null) return problemResult(problem);
      dependencies.onUnexpectedError(error, event);
      return problemResult(new ApiProblem('internal', 'an unexpected error occurred; it has been logged'));
    }
  };
}
