import type { AuthProvider } from '../auth/provider.ts';

/** A bad field as the API names it: `pointer` into a JSON body, or `name` for a query parameter. */
export interface ProblemField {
  readonly pointer?: string;
  readonly name?: string;
  readonly detail: string;
}

/** An RFC 9457 problem+json answer of the API (or one made up for a network failure, status 0). */
export interface ApiProblem {
  readonly status: number;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: readonly ProblemField[];
  /** On a 412: the item as it is now, and its ETag. */
  readonly current?: unknown;
  readonly etag?: string;
  /** On a 429 or 503: the seconds `Retry-After` asks to wait (its delay form, the one the API sends). */
  readonly retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  /** Sent on every POST; a fresh one per call unless given (a retried form keeps its key). */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
  /**
   * A binary media type to ask for (Accept) instead of JSON: the body is then answered unparsed, as
   * an ArrayBuffer a worker can take over (a large answer).
   */
  readonly bytes?: string;
}

export interface ApiAnswer<T> {
  readonly status: number;
  /** undefined for a 304 or an answer without a body. */
  readonly data: T | undefined;
  readonly etag: string | undefined;
  readonly headers: Headers;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiClient {
  request<T>(method: Method, path: string, options?: RequestOptions): Promise<ApiAnswer<T>>;
  /** The JSON body of a GET (a 304 is not expected here). */
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  /** A URL of the API with the query, for downloads and links. */
  url(path: string, query?: RequestOptions['query']): string;
}

const PROBLEM = /^application\/problem\+json/i;

async function problemOf(response: Response): Promise<ApiProblem> {
  const type = response.headers.get('content-type') ?? '';
  const retryAfter = response.headers.get('retry-after')?.trim() ?? '';
  const wait = /^\d{1,9}$/.test(retryAfter) ? { retryAfterSeconds: Number(retryAfter) } : {};
  if (PROBLEM.test(type)) {
    const document = (await response.json()) as ApiProblem;
    return { ...document, status: response.status, ...wait };
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, ...wait };
}

function withQuery(url: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? url : `${url}?${text}`;
}

/**
 * The console's only way to the API: adds the bearer token, an `Idempotency-Key` on POST and the
 * preconditions asked for, and turns problem+json into an ApiError. A 401 asks the person to sign in
 * again (auth.signIn resolves once they did) and sends the request once more, so the page that
 * asked, and what was typed in it, stays as it was.
 */
export function createApiClient(options: {
  readonly base: string;
  readonly auth: AuthProvider;
  readonly fetcher?: typeof fetch;
  readonly newKey?: () => string;
}): ApiClient {
  const fetcher = options.fetcher ?? ((input, init) => fetch(input, init));
  const newKey = options.newKey ?? (() => crypto.randomUUID());
  const base = options.base.replace(/\/+$/, '');
  const url = (path: string, query?: RequestOptions['query']) => withQuery(`${base}${path}`, query);

  async function send(method: Method, path: string, options: RequestOptions, key: string | undefined) {
    const token = await auth.token();
    const headers: Record<string, string> = {
      accept: `${options.bytes ?? 'application/json'}, application/problem+json`,
    };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
    if (options.ifNoneMatch !== undefined) headers['if-none-match'] = options.ifNoneMatch;
    if (key !== undefined) headers['idempotency-key'] = key;
    return fetcher(url(path, options.query), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  const { auth } = options;

  async function request<T>(
    method: Method,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiAnswer<T>> {
    const key = method === 'POST' ? (options.idempotencyKey ?? newKey()) : undefined;
    let response = await send(method, path, options, key);
    if (response.status === 401) {
      await auth.signIn();
      response = await send(method, path, options, key);
    }
    if (!response.ok && response.status !== 304) throw new ApiError(await problemOf(response));
    const type = response.headers.get('content-type') ?? '';
    const data =
      response.status === 304 || response.status === 204
        ? undefined
        : options.bytes !== undefined
          ? ((await response.arrayBuffer()) as T)
          : /json/i.test(type)
            ? ((await response.json()) as T)
            : ((await response.text()) as T);
    return {
      status: response.status,
      data,
      etag: response.headers.get('etag') ?? undefined,
      headers: response.headers,
    };
  }

  return {
    request,
    async get<T>(path: string, options?: RequestOptions): Promise<T> {
      const answer = await request<T>('GET', path, options);
      return answer.data as T;
    },
    url,
  };
}
