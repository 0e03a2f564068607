import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { etagOf } from '#functions/api/etag.ts';
import { Config } from '#schedules/config/schema.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/**
 * A stand-in of the technician API that speaks the contract the CLI relies on (docs/api.md and the
 * ETag contract): lists, item GETs with ETag, PUT/DELETE with If-Match (412 with the current item),
 * If-None-Match: *, POST /overrides with Idempotency-Key replays, `?dryRun=true` previews. It records
 * every request. The configuration it serves starts as the Carcassonne example's.
 */
export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  config: Config = Config.parse(JSON.parse(readFileSync('examples/carcassonne/config.json', 'utf8')));
  /** GET /settings answers this, or 404 when undefined. */
  settings: Record<string, unknown> | undefined;
  /** Called after each answer: a test changes the configuration between two requests. */
  afterAnswer: ((request: RecordedRequest) => void) | undefined;
  private readonly replays = new Map<string, unknown>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => {
        text += chunk;
      });
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://fake');
        const recorded = {
          method: request.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: request.headers,
          body: text === '' ? undefined : JSON.parse(text),
        };
        this.requests.push(recorded);
        const { status, body, etag } = this.answer(recorded);
        response.writeHead(status, {
          'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
          ...(etag === undefined ? {} : { etag }),
        });
        response.end(body === undefined ? '' : JSON.stringify(body));
        this.afterAnswer?.(recorded);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The changes (not dry runs, not reads) the API received. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.query.get('dryRun') !== 'true');
  }

  private answer(request: RecordedRequest): { status: number; body?: unknown; etag?: string } {
    if (request.headers.authorization !== 'Bearer test-token') return problem(401, 'unauthenticated');
    const [, first, second, third] = request.path.split('/');
    const collection = first === 'calendar' ? `calendar/${second}` : first;
    const id = decodeURIComponent((first === 'calendar' ? third : second) ?? '');
    if (request.path === '/settings')
      return this.settings === undefined ? problem(404, 'not-found') : { status: 200, body: this.settings };
    if (collection !== 'profiles' && collection !== 'calendar/rules' && collection !== 'overrides')
      return problem(404, 'not-found');
    const items = this.itemsOf(collection);
    if (request.method === 'GET' && id === '') {
      if (collection === 'profiles') return { status: 200, body: this.config.profiles };
      return { status: 200, body: [...items.values()] };
    }
    const current = items.get(id);
    if (request.method === 'GET') {
      return current === undefined
        ? problem(404, 'not-found')
        : { status: 200, body: current, etag: etagOf(current) };
    }
    if (request.method === 'POST' && collection === 'overrides') return this.post(request);
    const ifMatch = request.headers['if-match'];
    if (current !== undefined && request.headers['if-none-match'] === '*')
      return problem(412, 'precondition-failed');
    if (current !== undefined && ifMatch === undefined) return problem(428, 'precondition-required');
    if (current !== undefined && ifMatch !== etagOf(current))
      return {
        ...problem(412, 'precondition-failed'),
        body: { ...problem(412, 'precondition-failed').body, current, etag: etagOf(current) },
      };
    if (request.method === 'DELETE' && current === undefined) return problem(404, 'not-found');
    if (request.method === 'PUT' && (collection === 'overrides' || id === ''))
      return problem(405, 'method-not-allowed');
    const dryRun = request.query.get('dryRun') === 'true';
    if (!dryRun) this.store(collection, id, request.method === 'DELETE' ? undefined : request.body);
    const after = request.method === 'DELETE' ? undefined : items.get(id);
    return {
      status: 200,
      body: changeAnswer(dryRun, collection, id),
      ...(after === undefined ? {} : { etag: etagOf(after) }),
    };
  }

  private post(request: RecordedRequest): { status: number; body?: unknown } {
    const dryRun = request.query.get('dryRun') === 'true';
    const key = request.headers['idempotency-key'];
    if (typeof key === 'string' && this.replays.has(key)) return { status: 201, body: this.replays.get(key) };
    const override = request.body as { id: string };
    const body = changeAnswer(dryRun, 'overrides', override.id);
    if (dryRun) return { status: 200, body };
    this.store('overrides', override.id, override);
    if (typeof key === 'string') this.replays.set(key, body);
    return { status: 201, body };
  }

  private itemsOf(collection: string): Map<string, unknown> {
    if (collection === 'profiles') return new Map(Object.entries(this.config.profiles));
    const list = collection === 'overrides' ? this.config.overrides : this.config.calendar;
    return new Map(list.map((item) => [item.id ?? '', item]));
  }

  private store(collection: string, id: string, item: unknown): void {
    const replace = <T extends { id?: string | undefined }>(list: readonly T[]): T[] => {
      const at = list.findIndex((x) => x.id === id);
      if (item === undefined) return list.filter((x) => x.id !== id);
      return at < 0 ? [...list, item as T] : list.map((x, i) => (i === at ? (item as T) : x));
    };
    const profiles = { ...this.config.profiles };
    if (collection === 'profiles') {
      if (item === undefined) delete profiles[id];
      else profiles[id] = item as Config['profiles'][string];
    }
    this.config = Config.parse({
      ...this.config,
      profiles,
      calendar: collection === 'calendar/rules' ? replace(this.config.calendar) : this.config.calendar,
      overrides: collection === 'overrides' ? replace(this.config.overrides) : this.config.overrides,
    });
  }
}

function problem(status: number, kind: string): { status: number; body: Record<string, unknown> } {
  return {
    status,
    body: { type: `urn:lumen-city:problem:${kind}`, title: kind, status, detail: `fake ${kind}` },
  };
}

function changeAnswer(dryRun: boolean, collection: string, id: string) {
  return {
    dryRun,
    action: `${collection}.change`,
    target: `${collection} ${id}`,
    preview: { night: '2026-11-29', affected: 12, changed: 7, luminaires: [] },
    ...(dryRun ? {} : { push: { night: '2026-11-29', planned: 12, pushed: 7, unchanged: 5, failed: 0 } }),
  };
}
