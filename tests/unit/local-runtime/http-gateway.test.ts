import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpGateway } from '../../../local-runtime/http-gateway.ts';

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
    const response = await fetch(`${gateway.url}/luminaires/import?format=csv&dryRun=true`, {
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
    const response = await fetch(gateway.url, {
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
