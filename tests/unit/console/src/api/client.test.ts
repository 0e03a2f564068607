import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient } from '#console/src/api/client.ts';
import type { AuthProvider } from '#console/src/auth/provider.ts';

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function fakeAuth(tokens: string[]): AuthProvider & { signIns: number } {
  let current = tokens.shift();
  const auth = {
    signIns: 0,
    token: async () => current,
    async signIn() {
      auth.signIns += 1;
      current = tokens.shift();
    },
    signOut: async () => {},
    resume: async () => {},
  };
  return auth;
}

function fakeFetch(answers: Response[]): { fetcher: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body as string | undefined,
    });
    const answer = answers.shift();
    if (answer === undefined) throw new Error('no more answers');
    return answer;
  }) as typeof fetch;
  return { fetcher, sent };
}

const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('console API client', () => {
  it('asks for a binary media type when told and answers its bytes unparsed', async () => {
    const { fetcher, sent } = fakeFetch([
      new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'application/octet-stream' } }),
    ]);
    const api = createApiClient({ base: '/api', auth: fakeAuth(['t1']), fetcher });
    const answer = await api.request<ArrayBuffer>('GET', '/luminaires/state', {
      bytes: 'application/octet-stream',
    });
    expect([...new Uint8Array(answer.data ?? new ArrayBuffer(0))]).toEqual([1, 2, 3]);
    expect(sent[0]?.headers.accept).toBe('application/octet-stream, application/problem+json');
  });

  it('sends the bearer token, the preconditions and the query under the API base', async () => {
    const { fetcher, sent } = fakeFetch([json(200, { name: 'p' }, { etag: '"abc"' })]);
    const api = createApiClient({ base: '/api/', auth: fakeAuth(['t1']), fetcher });
    const answer = await api.request('PUT', '/profiles/p', {
      body: { on: 1 },
      ifMatch: '"abc"',
      query: { dryRun: true, night: undefined },
    });
    expect(answer).toMatchObject({ status: 200, data: { name: 'p' }, etag: '"abc"' });
    expect(sent[0]).toMatchObject({ url: '/api/profiles/p?dryRun=true', method: 'PUT', body: '{"on":1}' });
    expect(sent[0]?.headers).toMatchObject({ authorization: 'Bearer t1', 'if-match': '"abc"' });
  });

  it('puts one Idempotency-Key on a POST and keeps it when the request is sent again after a new sign-in', async () => {
    const { fetcher, sent } = fakeFetch([json(401, {}), json(201, { id: 'o1' })]);
    const auth = fakeAuth(['expired', 'fresh']);
    const api = createApiClient({ base: '/api', auth, fetcher, newKey: () => 'k-1' });
    const answer = await api.request('POST', '/overrides', { body: { level: 50 } });
    expect(answer.data).toEqual({ id: 'o1' });
    expect(auth.signIns).toBe(1);
    expect(sent.map((request) => request.headers.authorization)).toEqual(['Bearer expired', 'Bearer fresh']);
    expect(sent.map((request) => request.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
  });

  it('turns problem+json into an ApiError with the fields the API named', async () => {
    const problem = {
      type: 'urn:lumen-city:problem:validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'the request body is invalid',
      errors: [{ pointer: '/steps/0/level', detail: 'must be at most 100' }],
    };
    const { fetcher } = fakeFetch([
      new Response(JSON.stringify(problem), {
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
      }),
    ]);
    const api = createApiClient({ base: '/api', auth: fakeAuth(['t']), fetcher });
    const failure = await api.get('/profiles/x').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).problem).toMatchObject({
      status: 422,
      errors: [{ pointer: '/steps/0/level', detail: 'must be at most 100' }],
    });
  });

  it('gives a refusal the seconds its Retry-After asks to wait, problem+json or not', async () => {
    const { fetcher } = fakeFetch([
      new Response(JSON.stringify({ title: 'Too many requests', status: 429 }), {
        status: 429,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '1320' },
      }),
      new Response('slow down', { status: 429, headers: { 'retry-after': '60' } }),
      new Response('slow down', { status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' } }),
    ]);
    const api = createApiClient({ base: '/api', auth: fakeAuth(['t']), fetcher });
    const waits: (number | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const failure = await api.request('POST', '/public/fault-reports').catch((error: unknown) => error);
      waits.push((failure as ApiError).problem.retryAfterSeconds);
    }
    expect(waits).toEqual([1320, 60, undefined]);
  });

  it('answers a 304 without a body, for polling with If-None-Match', async () => {
    const { fetcher, sent } = fakeFetch([new Response(null, { status: 304, headers: { etag: '"v1"' } })]);
    const api = createApiClient({ base: '/api', auth: fakeAuth(['t']), fetcher });
    const answer = await api.request('GET', '/luminaires/state', { ifNoneMatch: '"v1"' });
    expect(answer).toMatchObject({ status: 304, data: undefined, etag: '"v1"' });
    expect(sent[0]?.headers['if-none-match']).toBe('"v1"');
  });
});
