import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { LocalAnswer } from './static-files.ts';

export type HttpApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

/**
 * The API's place on the origin: the console's files are at `/`, the API under this prefix, which
 * is stripped before the handler sees the path (CloudFront's `/api/*` behaviour does the same on AWS).
 */
export const API_PREFIX = '/api';

/** Answers for what is not the API (the console's files, /config.json, the local sign-in), or undefined. */
export type SiteAnswers = (method: string, path: string, body: Buffer) => Promise<LocalAnswer | undefined>;

/** Largest request body API Gateway accepts (10 MB); larger ones get 413 as they would on AWS. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event for a request, as the `$default`
 * route delivers it, so the API handler runs locally exactly as it does behind API Gateway.
 */
export function toHttpApiEvent(
  request: IncomingMessage,
  body: Buffer,
  now: Date,
  target = request.url ?? '/',
): APIGatewayProxyEventV2 {
  const url = new URL(target, 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const textual = body.length === 0 || /json|text|csv|xml|geo\+json|x-www-form-urlencoded/.test(contentType);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: !textual,
  };
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (body.length > 0) event.body = textual ? body.toString('utf8') : body.toString('base64');
  return event;
}

function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  const headers: Record<string, string | number | boolean | string[]> = { ...result.headers };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers as Record<string, string | string[]>).end(body);
}

/** The request's target without the API prefix, or undefined when it is not an API request. */
function apiTarget(target: string): string | undefined {
  const path = target.split('?')[0] ?? '';
  if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`)) return undefined;
  const rest = target.slice(API_PREFIX.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function problem(response: ServerResponse, status: number, title: string): void {
  response
    .writeHead(status, { 'content-type': 'application/problem+json' })
    .end(JSON.stringify({ type: 'about:blank', title, status }));
}

/**
 * Serves an HTTP API handler under `/api` on loopback, and what `site` answers at the other paths
 * (one origin for the console and the API, as CloudFront gives on AWS); `port` 0 takes a free port.
 * `url` is the origin, `apiUrl` the API's base URL.
 */
export async function startHttpGateway(
  handler: HttpApiHandler,
  options: { port: number; host?: string; onError?: (error: unknown) => void; site?: SiteAnswers },
): Promise<{ url: string; apiUrl: string; server: Server; stop(): Promise<void> }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return problem(response, 413, 'Request Entity Too Large');
      const body = Buffer.concat(chunks);
      const target = request.url ?? '/';
      const api = apiTarget(target);
      const answered =
        api === undefined
          ? siteAnswer(options.site, request.method ?? 'GET', target, body).then((answer) =>
              answer === undefined
                ? problem(response, 404, 'Not Found')
                : response.writeHead(answer.status, answer.headers).end(answer.body),
            )
          : handler(toHttpApiEvent(request, body, new Date(), api)).then((result) =>
              writeResult(response, result),
            );
      answered.catch((error: unknown) => {
        options.onError?.(error);
        problem(response, 500, 'Internal Server Error');
      });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    apiUrl: `${url}${API_PREFIX}`,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function siteAnswer(
  site: SiteAnswers | undefined,
  method: string,
  target: string,
  body: Buffer,
): Promise<LocalAnswer | undefined> {
  if (site === undefined) return undefined;
  const path = new URL(target, 'http://localhost').pathname;
  return site(method.toUpperCase(), path, body);
}
