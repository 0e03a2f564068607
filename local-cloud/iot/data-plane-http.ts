import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublishOptions, RetainedMessage } from './mqtt-broker.ts';
import { ERROR_TYPES, type ShadowError, type ShadowErrorCode, type ShadowResult } from './shadow-errors.ts';
import type { ShadowService } from './shadow-service.ts';

/**
 * The AWS IoT data-plane HTTP API on 127.0.0.1, so that `@aws-sdk/client-iot-data-plane` works with
 * only `endpoint` changed: shadows (Update/Get/DeleteThingShadow, ListNamedShadowsForThing),
 * Publish and GetRetainedMessage. Errors are sent the way AWS sends them: status, an
 * `x-amzn-errortype` header naming the exception, and a JSON `{ message }`. Requests are not
 * signature-checked: any credentials and region work.
 */
export interface DataPlaneOptions {
  readonly port?: number;
  readonly service: ShadowService;
  readonly publish: (topic: string, payload: Uint8Array, options: PublishOptions) => Promise<void>;
  readonly mayPublish: (topic: string) => boolean;
  readonly retained: (topic: string) => RetainedMessage | undefined;
}

export interface DataPlaneServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Larger bodies are refused before they are read (AWS: 128 KB for a message). */
const MAX_BODY_BYTES = 128 * 1024;

class HttpError extends Error {
  constructor(
    readonly code: ShadowErrorCode,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'The payload exceeds the maximum size allowed');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The payload exceeds the maximum size allowed');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Path segments are URL-encoded one by one (a topic's `/` may or may not be): split, then decode. */
function decodeSegments(path: string): string[] {
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw new HttpError(400, 'Invalid URL encoding');
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function sendError(response: ServerResponse, error: Pick<ShadowError, 'code' | 'message'>): void {
  const text = JSON.stringify({ message: error.message });
  response.writeHead(error.code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-errortype': ERROR_TYPES[error.code],
  });
  response.end(text);
}

function sendResult(response: ServerResponse, result: ShadowResult<unknown>): void {
  if (result.ok) sendJson(response, 200, result.value);
  else sendError(response, result.error);
}

const optionalParam = (url: URL, name: string): string | undefined => url.searchParams.get(name) ?? undefined;

function integerParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw new HttpError(400, `Invalid ${name}: '${raw}'`);
  return Number(raw);
}

function publishOptions(url: URL): PublishOptions {
  const qos = integerParam(url, 'qos') ?? 0;
  if (qos !== 0 && qos !== 1) throw new HttpError(400, `Invalid qos: ${qos}; supported values are 0 and 1`);
  const retain = url.searchParams.get('retain') ?? 'false';
  if (retain !== 'true' && retain !== 'false') throw new HttpError(400, `Invalid retain: '${retain}'`);
  return { qos, retain: retain === 'true' };
}

function validTopic(topic: string): string {
  if (topic.length === 0 || /[#+]/.test(topic)) throw new HttpError(400, `Invalid topic: '${topic}'`);
  return topic;
}

type Route = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  segments: string[],
) => Promise<void>;

function router(options: DataPlaneOptions): Route {
  const { service } = options;
  const shadow: Route = async (request, response, url, [, , thingName = '']) => {
    const shadowName = optionalParam(url, 'name');
    if (request.method === 'GET') return sendResult(response, service.get(thingName, shadowName));
    if (request.method === 'DELETE') return sendResult(response, service.delete(thingName, shadowName));
    if (request.method === 'POST') {
      const body = await readBody(request);
      return sendResult(response, service.update(thingName, shadowName, body));
    }
    throw new HttpError(405, `Method ${request.method} is not allowed on a shadow`);
  };
  const listNamedShadows: Route = async (request, response, url, segments) => {
    if (request.method !== 'GET') throw new HttpError(405, `Method ${request.method} is not allowed`);
    const thingName = segments[5] ?? '';
    sendResult(
      response,
      service.listNamedShadows(thingName, integerParam(url, 'pageSize'), optionalParam(url, 'nextToken')),
    );
  };
  const publish: Route = async (request, response, url, segments) => {
    if (request.method !== 'POST') throw new HttpError(405, `Method ${request.method} is not allowed`);
    const topic = validTopic(segments.slice(2).join('/'));
    const publishing = publishOptions(url);
    if (!options.mayPublish(topic)) throw new HttpError(401, `Not authorized to publish to ${topic}`);
    const body = await readBody(request);
    await options.publish(topic, body, publishing);
    sendJson(response, 200, {});
  };
  const retainedMessage: Route = async (request, response, _url, segments) => {
    if (request.method !== 'GET') throw new HttpError(405, `Method ${request.method} is not allowed`);
    const topic = validTopic(segments.slice(2).join('/'));
    const message = options.retained(topic);
    if (message === undefined) throw new HttpError(404, `No retained message exists for topic: ${topic}`);
    sendJson(response, 200, {
      topic: message.topic,
      payload: message.payload.toString('base64'),
      qos: message.qos,
      lastModifiedTime: message.lastModifiedTime,
    });
  };

  return async (request, response, url, segments) => {
    const [, first, second, third, fourth] = segments;
    if (first === 'things' && segments.length === 4 && third === 'shadow')
      return shadow(request, response, url, segments);
    if (
      first === 'api' &&
      second === 'things' &&
      third === 'shadow' &&
      fourth === 'ListNamedShadowsForThing' &&
      segments.length === 6
    ) {
      return listNamedShadows(request, response, url, segments);
    }
    if (first === 'topics' && segments.length > 2) return publish(request, response, url, segments);
    if (first === 'retainedMessage' && segments.length > 2)
      return retainedMessage(request, response, url, segments);
    throw new HttpError(404, `No such resource: ${request.method} ${url.pathname}`);
  };
}

async function handle(route: Route, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    await route(request, response, url, decodeSegments(url.pathname));
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
    } else if (error instanceof HttpError) {
      sendError(response, { code: error.code, message: error.message });
    } else {
      process.stderr.write(
        `${JSON.stringify({ level: 'ERROR', message: 'data plane request failed', error: String(error) })}\n`,
      );
      sendError(response, { code: 500, message: 'Internal service failure' });
    }
  }
}

export async function startDataPlaneHttp(options: DataPlaneOptions): Promise<DataPlaneServer> {
  const route = router(options);
  const server: Server = createServer((request, response) => void handle(route, request, response));
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
