import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleSite } from '#local-runtime/console-site.ts';
import { startHttpGateway } from '#local-runtime/http-gateway.ts';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('local API Gateway (HTTP API, payload 2.0)', () => {
  it('hands the handler the v2 event and writes back its structured result', async () => {
    const events: APIGatewayProxyEventV2[] = [];
    const gateway = await startHttpGateway(
      async (event) => {
        events.push(event);
        return { statusCode: 201, headers: { 'content-type': 'text/csv' }, body: 'a,b\r\n' };
      },
      { port: 0 },
    );
    stop = gateway.stop;
    const response = await fetch(`${gateway.apiUrl}/luminaires/import?format=csv&dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: 'Bearer t' },
      body: 'id,lat\nL-1,43.2\n',
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('a,b\r\n');
    expect(events[0]).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/luminaires/import',
      rawQueryString: 'format=csv&dryRun=true',
      queryStringParameters: { format: 'csv', dryRun: 'true' },
      body: 'id,lat\nL-1,43.2\n',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/luminaires/import' } },
    });
    expect(events[0]?.headers.authorization).toBe('Bearer t');
  });

  it('base64-encodes a binary body and answers 500 problem+json when the handler throws', async () => {
    const events: APIGatewayProxyEventV2[] = [];
    const gateway = await startHttpGateway(
      async (event) => {
        events.push(event);
        throw new Error('unexpected');
      },
      { port: 0, onError: () => {} },
    );
    stop = gateway.stop;
    const response = await fetch(gateway.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(events[0]).toMatchObject({
      isBase64Encoded: true,
      body: Buffer.from([0, 255, 1]).toString('base64'),
    });
  });
});

describe('local gateway: the console and the API on one origin', () => {
  let dist = '';
  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'console-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
    await writeFile(join(dist, 'assets', 'index-abc123.js'), 'export {};');
    await writeFile(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  });
  afterAll(() => rm(dist, { recursive: true, force: true }));

  async function site() {
    const paths: string[] = [];
    const gateway = await startHttpGateway(
      async (event) => {
        paths.push(`${event.rawPath}?${event.rawQueryString}`);
        return { statusCode: 200, body: '{}' };
      },
      {
        port: 0,
        site: consoleSite({
          dir: dist,
          signIn: async () => ({ status: 200, headers: {}, body: '' }),
          runtimeConfig: async () => ({
            apiBase: '/api',
            siteId: 'carcassonne',
            timezone: 'Europe/Paris',
            auth: { kind: 'local' },
            map: {},
          }),
        }),
      },
    );
    stop = gateway.stop;
    return { gateway, paths };
  }

  it('hands the API handler the path without /api, and nothing else', async () => {
    const { gateway, paths } = await site();
    expect(gateway.apiUrl).toBe(`${gateway.url}/api`);
    await fetch(`${gateway.url}/api/luminaires?zone=trebes`);
    await fetch(`${gateway.url}/api`);
    expect((await fetch(`${gateway.url}/apis/luminaires`)).status).toBe(404);
    expect(paths).toEqual(['/luminaires?zone=trebes', '/?']);
  });

  it('serves the console index at / and hashed assets as immutable, with their content types', async () => {
    const { gateway } = await site();
    const index = await fetch(`${gateway.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await index.text()).toContain('<div id="app">');
    const script = await fetch(`${gateway.url}/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await fetch(`${gateway.url}/assets/index-abc123.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('finds no file outside the build, however the path is written', async () => {
    const { gateway } = await site();
    for (const path of [
      '/../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/nope.js',
    ]) {
      expect((await fetch(`${gateway.url}${path}`)).status, path).toBe(404);
    }
  });

  it('serves the runtime config: API base, site zone, local sign-in', async () => {
    const { gateway } = await site();
    const response = await fetch(`${gateway.url}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual({
      apiBase: '/api',
      siteId: 'carcassonne',
      timezone: 'Europe/Paris',
      auth: { kind: 'local' },
      map: {},
    });
  });
});
