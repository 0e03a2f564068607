import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiProblem } from '#functions/api/problem.ts';
import { createRouter, json, parseBody, parseQuery, type Route } from '#functions/api/router.ts';
import type { TokenVerifier } from '#functions/auth/verifier.ts';
import type { Principal } from '#protocol/principal.ts';
import { Name, Profile } from '#schedules/config/schema.ts';

const principals: Record<string, Principal> = {
  tech: { sub: 't', username: 'tech', roles: ['technician'], zones: 'all' },
  finance: { sub: 'f', username: 'fin', roles: ['finance'], zones: 'all' },
};
const verify: TokenVerifier = async (token) => {
  const principal = principals[token];
  return principal === undefined ? { ok: false, reason: 'token expired' } : { ok: true, principal };
};

function event(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: string;
    query?: Record<string, string>;
    contentType?: string;
    ip?: string;
    ifNoneMatch?: string;
    headers?: Record<string, string>;
  } = {},
) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: {
      ...(options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` }),
      ...(options.contentType === undefined ? {} : { 'Content-Type': options.contentType }),
      ...(options.ifNoneMatch === undefined ? {} : { 'If-None-Match': options.ifNoneMatch }),
      ...options.headers,
    },
    ...(options.query === undefined ? {} : { queryStringParameters: options.query }),
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
    requestContext: { http: { method, path, sourceIp: options.ip ?? '192.0.2.1' }, requestId: 'r1' },
  } as unknown as APIGatewayProxyEventV2;
}

const routes: Route[] = [
  {
    method: 'GET',
    path: '/profiles/{name}',
    roles: ['technician', 'admin'],
    handle: async (request) => json(200, { name: request.params.name, by: request.principal.username }),
  },
  {
    method: 'PUT',
    path: '/profiles/{name}',
    roles: ['technician', 'admin'],
    params: { name: Name },
    handle: async (request) => json(200, parseBody(request, Profile)),
  },
  {
    method: 'POST',
    path: '/upload',
    roles: ['technician'],
    maxBodyBytes: 10,
    handle: async (request) => json(200, { bytes: request.body?.length }),
  },
  {
    method: 'GET',
    path: '/reports/savings',
    roles: ['finance', 'admin'],
    handle: async (request) => json(200, parseQuery(request, z.object({ from: z.iso.date() }))),
  },
  {
    method: 'DELETE',
    path: '/profiles/{name}',
    roles: ['technician'],
    handle: async () => {
      throw new Error('table gone');
    },
  },
  {
    method: 'GET',
    path: '/public/times',
    roles: [],
    public: { group: 'read', rate: { capacity: 2, refillPerSecond: 1 }, cacheSeconds: 300 },
    handle: async (request) => json(200, { by: request.principal.username }),
  },
];

const onUnexpectedError = vi.fn();
const route = createRouter(routes, { verify, onUnexpectedError, now: () => 0 });
const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? '');

describe('router', () => {
  it('dispatches to the route with decoded path parameters and the principal', async () => {
    const result = await route(event('GET', '/profiles/r%C3%A9sidentiel', { token: 'tech' }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ name: 'résidentiel', by: 'tech' });
  });

  it('answers 401 problem+json with a Bearer challenge when no token is sent', async () => {
    const result = await route(event('GET', '/profiles/x'));
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.headers?.['www-authenticate']).toBe('Bearer');
    expect(bodyOf(result)).toMatchObject({ status: 401, type: 'urn:lumen-city:problem:unauthenticated' });
  });

  it('answers 401 naming the reason for a rejected token', async () => {
    const result = await route(event('GET', '/profiles/x', { token: 'stale' }));
    expect(result.statusCode).toBe(401);
    expect(bodyOf(result).detail).toBe('token expired');
    expect(result.headers?.['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="token expired"',
    );
  });

  it('keeps the challenge a valid quoted string whatever the reason says', async () => {
    const quoting = createRouter(routes, {
      verify: async () => ({ ok: false, reason: 'token claim "iss" rejected' }),
      onUnexpectedError,
      now: () => 0,
    });
    const result = await quoting(event('GET', '/profiles/x', { token: 'any' }));
    expect(result.headers?.['www-authenticate']).toBe(
      `Bearer error="invalid_token", error_description="token claim 'iss' rejected"`,
    );
  });

  it('answers 403 when the role is missing (finance may not read schedules)', async () => {
    const result = await route(event('GET', '/profiles/x', { token: 'finance' }));
    expect(result.statusCode).toBe(403);
    expect(bodyOf(result).detail).toContain('technician');
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path', async () => {
    expect((await route(event('GET', '/nowhere', { token: 'tech' }))).statusCode).toBe(404);
    const result = await route(event('POST', '/profiles/x', { token: 'tech' }));
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe('GET, PUT, DELETE');
  });

  it('names every bad body field with a JSON pointer in a 422', async () => {
    const body = JSON.stringify({
      on: '25:00',
      off: { event: 'sunrise' },
      steps: [{ at: '22:00', level: 140 }],
    });
    const result = await route(event('PUT', '/profiles/x', { token: 'tech', body }));
    expect(result.statusCode).toBe(422);
    const problem = bodyOf(result);
    expect(problem).toMatchObject({
      type: 'urn:lumen-city:problem:validation-failed',
      title: 'Validation failed',
    });
    expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/on', '/steps/0/level']);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const result = await route(event('PUT', '/profiles/x', { token: 'tech', body: '{' }));
    expect(result.statusCode).toBe(400);
  });

  it('names bad query parameters', async () => {
    const result = await route(
      event('GET', '/reports/savings', { token: 'finance', query: { from: 'yesterday' } }),
    );
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).errors).toEqual([{ name: 'from', detail: expect.any(String) }]);
  });

  it('answers 400 naming the path parameter whose percent-encoding is malformed', async () => {
    const result = await route(event('GET', '/profiles/%E0%A4%A', { token: 'tech' }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({
      type: 'urn:lumen-city:problem:bad-request',
      errors: [{ name: '{name}', detail: expect.stringContaining('%E0%A4%A') }],
    });
  });

  it("validates path parameters with the route's schema, and bounds the others", async () => {
    const reserved = await route(event('PUT', '/profiles/__proto__', { token: 'tech', body: '{}' }));
    expect(reserved.statusCode).toBe(400);
    expect(bodyOf(reserved).errors).toEqual([
      { name: '{name}', detail: expect.stringMatching(/^reserved name/) },
    ]);
    const long = await route(event('PUT', `/profiles/${'n'.repeat(1100)}`, { token: 'tech', body: '{}' }));
    expect(bodyOf(long).errors).toEqual([{ name: '{name}', detail: 'a name must be at most 64 characters' }]);
    const unbounded = await route(event('GET', `/profiles/${'n'.repeat(1100)}`, { token: 'tech' }));
    expect(unbounded.statusCode).toBe(400);
    expect(bodyOf(unbounded).errors).toEqual([{ name: '{name}', detail: expect.stringContaining('128') }]);
  });

  it("answers 413 for a body larger than the route's limit, before parsing it", async () => {
    const fits = await route(event('POST', '/upload', { token: 'tech', body: '1234567890' }));
    expect(bodyOf(fits)).toEqual({ bytes: 10 });
    const result = await route(event('POST', '/upload', { token: 'tech', body: 'é'.repeat(6) }));
    expect(result.statusCode).toBe(413);
    expect(bodyOf(result)).toMatchObject({ type: 'urn:lumen-city:problem:payload-too-large', status: 413 });
  });

  it('answers 415 for a body sent as something other than JSON', async () => {
    const body = JSON.stringify({ on: '18:00', off: '01:00' });
    const form = await route(
      event('PUT', '/profiles/x', { token: 'tech', body, contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(form.statusCode).toBe(415);
    const json = await route(
      event('PUT', '/profiles/x', { token: 'tech', body, contentType: 'application/json; charset=utf-8' }),
    );
    expect(json.statusCode).toBe(200);
  });

  it('hides unexpected errors behind a 500 and reports them', async () => {
    const result = await route(event('DELETE', '/profiles/x', { token: 'tech' }));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('table gone');
    expect(onUnexpectedError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'table gone' }),
      expect.anything(),
    );
  });
});

describe('problem documents', () => {
  it('escapes ~ and / in JSON pointers (RFC 6901)', async () => {
    const escaping: Route = {
      method: 'GET',
      path: '/x',
      roles: ['technician'],
      handle: async () => {
        throw new ApiProblem('conflict', 'in use', [
          { pointer: '/profiles/a~1b', detail: 'used by rule r1' },
        ]);
      },
    };
    const result = await createRouter([escaping], { verify, onUnexpectedError, now: () => 0 })(
      event('GET', '/x', { token: 'tech' }),
    );
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toEqual({
      type: 'urn:lumen-city:problem:conflict',
      title: 'Conflict',
      status: 409,
      detail: 'in use',
      errors: [{ pointer: '/profiles/a~1b', detail: 'used by rule r1' }],
    });
  });

  it('answers a public route without a token while every other route still asks for one', async () => {
    const open = await route(event('GET', '/public/times', { ip: '198.51.100.1' }));
    expect(open.statusCode).toBe(200);
    expect(bodyOf(open)).toEqual({ by: 'public' });
    expect((await route(event('GET', '/reports/savings', { ip: '198.51.100.1' }))).statusCode).toBe(401);
    expect((await route(event('PUT', '/public/times', { ip: '198.51.100.1' }))).statusCode).toBe(401);
  });

  it('caches a public answer: an ETag, and 304 without body for a client that holds it', async () => {
    const first = await route(event('GET', '/public/times', { ip: '198.51.100.2' }));
    expect(first.headers?.['cache-control']).toBe('public, max-age=300');
    const etag = String(first.headers?.etag);
    const again = await route(event('GET', '/public/times', { ip: '198.51.100.2', ifNoneMatch: etag }));
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 429 with Retry-After to a client past its allowance, other clients unaffected', async () => {
    const limited = createRouter(routes, { verify, onUnexpectedError, now: () => 0 });
    for (let i = 0; i < 2; i++) {
      expect((await limited(event('GET', '/public/times', { ip: '203.0.113.9' }))).statusCode).toBe(200);
    }
    const refused = await limited(event('GET', '/public/times', { ip: '203.0.113.9' }));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers?.['retry-after']).toBe('1');
    expect((await limited(event('GET', '/public/times', { ip: '203.0.113.10' }))).statusCode).toBe(200);
  });

  it('refuses every request without the secret the distribution sends, when one is set', async () => {
    const behind = createRouter(routes, {
      verify,
      onUnexpectedError,
      now: () => 0,
      originSecret: 's3cret-value',
    });
    const direct = await behind(event('GET', '/public/times', { ip: '198.51.100.30' }));
    expect(direct.statusCode).toBe(403);
    const guessed = await behind(
      event('GET', '/public/times', { ip: '198.51.100.30', headers: { 'x-origin-verify': 's3cret' } }),
    );
    expect(guessed.statusCode).toBe(403);
    const viaSite = await behind(
      event('GET', '/public/times', { ip: '198.51.100.30', headers: { 'x-origin-verify': 's3cret-value' } }),
    );
    expect(viaSite.statusCode).toBe(200);
  });
});
