import { beforeEach, describe, expect, it } from 'vitest';
import { shardOf } from '#functions/store/keys.ts';
import { apiHarness } from './api-harness.ts';

const dimmer = {
  on: { event: 'sunset', offsetMinutes: 10 },
  off: { event: 'sunrise', offsetMinutes: -10 },
  steps: [{ at: '22:00', level: 50 }],
};
const shardsOf = (ids: readonly string[]) => [...new Set(ids.map((id) => shardOf(id)))].sort((a, b) => a - b);

// The harness site has 6 luminaires; above 4 a change goes through the plan-push queue.
let t: ReturnType<typeof apiHarness>;
beforeEach(() => {
  t = apiHarness({ inlinePushLimit: 4 });
});

describe('changes larger than the inline push limit', () => {
  it('are stored and audited, then queued one chunk per shard of the affected luminaires, none pushed inline', async () => {
    const result = await t.edit('PUT', '/profiles/residential', 'tech', dimmer);
    expect(result.status).toBe(200);
    expect(t.config().profiles.residential?.steps).toEqual(dimmer.steps);
    expect(t.audit).toEqual([expect.objectContaining({ action: 'profile.put' })]);
    expect(t.pushed).toEqual([]);
    const affected = ['L-0000', 'L-0001', 'L-0002', 'L-0003', 'L-0004', 'L-0005'];
    expect(t.queued.map((chunk) => chunk.shard)).toEqual(shardsOf(affected));
    const [first] = t.queued;
    expect(t.queued.every((chunk) => chunk.night === '2026-06-21' && chunk.runId === first?.runId)).toBe(
      true,
    );
    expect(first?.runId).toMatch(/^api-req-/);
    expect(result.body).toMatchObject({
      dryRun: false,
      auditId: 'id-1',
      preview: { affected: 6 },
      push: { night: '2026-06-21', queued: { shards: t.queued.length, luminaires: 6 } },
    });
  });

  it('queue an import of more luminaires than the limit by the shards of the imported ones', async () => {
    const imported = ['N-1', 'N-2', 'N-3', 'N-4', 'N-5'];
    const body = [
      'id,lat,lon,street,zone,ledWatts,baselineWatts,minLevel',
      ...imported.map((id) => `${id},43.2,2.35,Rue A,cite,30,100,0`),
    ].join('\n');
    const result = await t.call('POST', '/luminaires/import', 'tech', body, 'text/csv');
    expect(result.status).toBe(200);
    expect(t.pushed).toEqual([]);
    expect(t.queued.map((chunk) => chunk.shard)).toEqual(shardsOf(imported));
    expect(result.body).toMatchObject({ created: 5, push: { queued: { luminaires: 5 } } });
  });

  it('queue nothing in a dry run', async () => {
    const result = await t.edit('PUT', '/profiles/residential?dryRun=true', 'tech', dimmer);
    expect(result.body).toMatchObject({ dryRun: true, preview: { affected: 6 } });
    expect(result.body.push).toBeUndefined();
    expect(t.queued).toEqual([]);
  });
});

describe('changes within the inline push limit', () => {
  it('are pushed inside the request and queue nothing', async () => {
    const result = await t.edit('PUT', '/profiles/cite', 'tech', dimmer);
    expect(result.status).toBe(200);
    expect(t.pushed).toEqual([['L-0001', 'L-0003', 'L-0005']]);
    expect(t.queued).toEqual([]);
    expect(result.body.push).toMatchObject({ night: '2026-06-21', planned: 3, pushed: 3, failed: 0 });
    expect(result.body.push.queued).toBeUndefined();
    expect(result.body.push.requeuedShards).toBe(0);
  });

  it('queue again the shards a nightly chunk was pushing meanwhile, so none keeps the old plan', async () => {
    const busy = shardOf('L-0003');
    const withChunkRunning = apiHarness({ inlinePushLimit: 4, busyShards: [busy] });
    const result = await withChunkRunning.edit('PUT', '/profiles/cite', 'tech', dimmer);
    expect(result.status).toBe(200);
    expect(withChunkRunning.queued).toEqual([
      { night: '2026-06-21', shard: busy, runId: expect.stringMatching(/^api-/) },
    ]);
    expect(result.body.push.requeuedShards).toBe(1);
  });
});
