import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideChangePush, INLINE_PUSH_LIMIT } from '#functions/api/change/change-push.ts';
import { ChunkMessage } from '#functions/plan-push/chunk-message.ts';
import { shardOf } from '#functions/store/keys.ts';

const night = '2026-06-21';
const runId = 'api-req-1';
const ids = (count: number) => Array.from({ length: count }, (_, i) => `L-${String(i).padStart(6, '0')}`);

describe('decideChangePush', () => {
  it('pushes up to the limit inside the request, with the ids as given', () => {
    const affected = ids(INLINE_PUSH_LIMIT);
    expect(decideChangePush(affected, { night, runId, limit: INLINE_PUSH_LIMIT })).toEqual({
      kind: 'inline',
      ids: affected,
    });
  });

  it('queues a change one luminaire over the limit, one chunk per shard holding an affected luminaire', () => {
    const affected = ids(INLINE_PUSH_LIMIT + 1);
    const decision = decideChangePush(affected, { night, runId, limit: INLINE_PUSH_LIMIT });
    if (decision.kind !== 'queued') throw new Error(`expected queued, got ${decision.kind}`);
    expect(decision.luminaires).toBe(INLINE_PUSH_LIMIT + 1);
    expect(decision.chunks.map((chunk) => chunk.shard)).toEqual(
      [...new Set(affected.map((id) => shardOf(id)))].sort((a, b) => a - b),
    );
    for (const chunk of decision.chunks)
      expect(ChunkMessage.parse(chunk)).toEqual({ ...chunk, night, runId });
  });

  it('queues only the shards of the affected luminaires, each once, however many share one', () => {
    const pool = ids(5_000);
    const [first, second] = [pool.find((id) => shardOf(id) === 7), pool.find((id) => shardOf(id) === 9)];
    if (first === undefined || second === undefined) throw new Error('no id in shards 7 and 9');
    const decision = decideChangePush([first, second, first, second, first], { night, runId, limit: 1 });
    expect(decision).toEqual({
      kind: 'queued',
      chunks: [
        { night, shard: 7, runId },
        { night, shard: 9, runId },
      ],
      luminaires: 2,
    });
  });

  it('queues exactly when the distinct affected luminaires exceed the limit, covering each one’s shard', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Z]-[0-9]{1,5}$/), { maxLength: 60 }),
        fc.nat(40),
        (affected, limit) => {
          const decision = decideChangePush(affected, { night, runId, limit });
          const distinct = new Set(affected);
          expect(decision.kind).toBe(distinct.size > limit ? 'queued' : 'inline');
          if (decision.kind === 'queued') {
            const shards = decision.chunks.map((chunk) => chunk.shard);
            expect(new Set(shards).size).toBe(shards.length);
            expect(new Set(shards)).toEqual(new Set([...distinct].map((id) => shardOf(id))));
            expect(decision.luminaires).toBe(distinct.size);
          }
        },
      ),
    );
  });
});
