import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The SDK clients of a fresh module instance (each made once per module, as per container). */
async function freshClients() {
  vi.resetModules();
  return import('#functions/shared/clients.ts');
}

const middlewareNames = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().join(' ');

describe('AWS SDK clients', () => {
  it('are traced in Lambda: every SDK call goes through the X-Ray middleware', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'true');
    const { sqsClient, snsClient, iotDataClient, dynamoDocumentClient } = await freshClients();
    for (const client of [sqsClient(), snsClient(), iotDataClient(), dynamoDocumentClient()]) {
      expect(middlewareNames(client)).toMatch(/XRay/i);
    }
  });

  it('are plain clients when tracing is off (local runtime, tests), and work the same', async () => {
    vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs24.x');
    vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    const { sqsClient, dynamoDocumentClient } = await freshClients();
    expect(middlewareNames(sqsClient())).not.toMatch(/XRay/i);
    expect(middlewareNames(dynamoDocumentClient())).not.toMatch(/XRay/i);
    expect(await sqsClient().config.region()).toBe('eu-west-3');
  });
});
