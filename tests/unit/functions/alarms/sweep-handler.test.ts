import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/alarms/sweep.handler.ts';

const scheduled = { scheduledTime: '2026-06-21T22:00:00Z', executionId: 'run-1' };

describe('alarm sweep handler', () => {
  it('sweeps, then sends the digest, then backfills a page of old alarms, and answers the counts', async () => {
    const calls: string[] = [];
    const handler = makeHandler(
      async () => {
        calls.push('sweep');
        return {
          luminaires: 3,
          states: { unknown: 0, off: 0, lit: 2, boosted: 0, alarm: 1 },
          opened: [{ id: 'L-1', kind: 'not-reporting' }],
          cleared: [],
          repushed: 0,
        };
      },
      async () => {
        calls.push('digest');
        return { status: 'sent', alarms: 1 };
      },
      async () => {
        calls.push('backfill');
        return { status: 'ran', shards: 16, nextShard: 16, backfilled: 2 };
      },
    );
    expect(await handler(scheduled)).toEqual({
      sweep: {
        luminaires: 3,
        states: { unknown: 0, off: 0, lit: 2, boosted: 0, alarm: 1 },
        opened: 1,
        cleared: 0,
        repushed: 0,
      },
      digest: { status: 'sent', alarms: 1 },
      backfill: { status: 'ran', shards: 16, nextShard: 16, backfilled: 2 },
    });
    expect(calls).toEqual(['sweep', 'digest', 'backfill']);
  });

  it('refuses an event that is not a schedule input, naming the field, before reading anything', async () => {
    const handler = makeHandler(
      () => Promise.reject(new Error('must not run')),
      () => Promise.reject(new Error('must not run')),
      () => Promise.reject(new Error('must not run')),
    );
    await expect(handler({ scheduledTime: 'yesterday' })).rejects.toThrow(/scheduledTime/);
  });
});
