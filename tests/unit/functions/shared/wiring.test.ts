import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '#functions/shared/logger.ts';
import { lazyHandler } from '#functions/shared/wiring.ts';

const context = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'lighting-telemetry',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-3:123456789012:function:lighting-telemetry',
  memoryLimitInMB: '512',
} as Context;

afterEach(() => vi.restoreAllMocks());

describe('lazyHandler', () => {
  it('builds the handler once, on the first invocation', async () => {
    const make = vi.fn(() => async (event: number) => event * 2);
    const handler = lazyHandler(make);
    expect(make).not.toHaveBeenCalled();
    expect(await handler(1)).toBe(2);
    expect(await handler(2)).toBe(4);
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('puts the Lambda request id of each invocation on its log lines', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    logger.setLogLevel('INFO');
    try {
      await lazyHandler(() => async () => logger.info('handled'))('event', context);
    } finally {
      logger.setLogLevel('SILENT');
    }
    const line = lines
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((l) => l.message === 'handled');
    expect(line).toMatchObject({
      function_request_id: context.awsRequestId,
      function_name: 'lighting-telemetry',
    });
  });
});
