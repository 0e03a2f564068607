import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * An API Gateway HTTP API (payload format 2.0) event as the `$default` route delivers it, with the
 * fields AWS sets (see the Lambda developer guide's "Working with HTTP API payloads" example).
 */
export function httpEvent(
  method: string,
  pathAndQuery: string,
  options: { token?: string; body?: string; contentType?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const url = new URL(pathAndQuery, 'https://abc123.execute-api.eu-west-3.amazonaws.com');
  const query = Object.fromEntries(url.searchParams);
  const headers: Record<string, string> = {
    accept: '*/*',
    host: url.host,
    'user-agent': 'vitest',
    'x-forwarded-proto': 'https',
    ...options.headers,
  };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: url.host,
      domainPrefix: 'abc123',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: '25/Nov/2026:18:00:00 +0000',
      timeEpoch: 1795629600000,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: false,
  };
}
