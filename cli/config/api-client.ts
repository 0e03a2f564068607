/** One answer of the technician API: status, `ETag` header and the parsed JSON body (if any). */
export interface ApiAnswer {
  readonly status: number;
  readonly etag: string | undefined;
  readonly body: unknown;
}

export interface ApiRequestOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The API could not be reached, or answered something that is not JSON. */
export class ApiUnreachable extends Error {}

/** A thin client of the technician API (docs/api.md): bearer token, JSON in and out. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiAnswer> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      throw new ApiUnreachable(`cannot reach the API at ${this.baseUrl}: ${cause}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiUnreachable(`${method} ${url}: the answer (${response.status}) is not JSON`);
    }
    return { status: response.status, etag: response.headers.get('etag') ?? undefined, body };
  }
}

/** An API problem (RFC 9457) on one line: `409 conflict: detail (/pointer: detail; ...)`. */
export function problemSummary(answer: ApiAnswer): string {
  const problem = (answer.body ?? {}) as {
    type?: string;
    title?: string;
    detail?: string;
    errors?: { pointer?: string; name?: string; detail?: string }[];
  };
  const kind = problem.type?.split(':').pop() ?? problem.title ?? 'error';
  const errors = (problem.errors ?? [])
    .map((e) => `${e.pointer ?? e.name ?? ''}${(e.pointer ?? e.name) ? ': ' : ''}${e.detail ?? ''}`)
    .join('; ');
  const detail = problem.detail ?? problem.title ?? '';
  return `${answer.status} ${kind}${detail ? `: ${detail}` : ''}${errors ? ` (${errors})` : ''}`;
}
