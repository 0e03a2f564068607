import { mapBounded } from '../shared/backoff.ts';
import { type AlarmBackfillStore, LUMINAIRE_SHARDS, type LuminaireStore } from '../store/index.ts';

export interface AlarmBackfillDeps {
  readonly luminaires: Pick<LuminaireStore, 'listShard'>;
  readonly backfill: AlarmBackfillStore;
  /** When the backfill finished (epoch seconds). */
  readonly now: () => number;
  /** Inventory shards walked a run. */
  readonly shardsPerRun?: number;
  /** Luminaires whose alarms are read at once: a Query each, and an update per alarm without keys. */
  readonly concurrency?: number;
}

export type AlarmBackfillRun =
  | { readonly status: 'done' }
  | {
      readonly status: 'ran';
      readonly shards: number;
      readonly nextShard: number;
      readonly backfilled: number;
    };

/**
 * 16 shards a run: at 200,000 luminaires ~12,500 one-partition Queries, a few seconds of a sweep
 * that runs every 15 minutes; the inventory is walked in 16 runs, 4 hours.
 */
const SHARDS_PER_RUN = 16;
const DEFAULT_CONCURRENCY = 16;

/**
 * One page of the backfill of alarm items of an older shape (AP31's keys, a legacy citizen report's
 * map point in its text; docs/adr/0002, AP35), run after each alarm sweep until every shard of the
 * inventory was walked: then a run is one read. The table is never scanned (no function may): alarms
 * live in their luminaire's partition, found by the inventory. Safe to run again or twice at once:
 * only items of an older shape are written, each conditioned on what was read, and the progress
 * never goes back.
 */
export function makeAlarmBackfill(deps: AlarmBackfillDeps): () => Promise<AlarmBackfillRun> {
  const shardsPerRun = deps.shardsPerRun ?? SHARDS_PER_RUN;
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  return async () => {
    const progress = await deps.backfill.progress();
    if (!('nextShard' in progress)) return { status: 'done' };
    const from = progress.nextShard;
    const to = Math.min(from + shardsPerRun, LUMINAIRE_SHARDS);
    let backfilled = 0;
    for (let shard = from; shard < to; shard++) {
      const luminaires = await deps.luminaires.listShard(shard);
      const set = await mapBounded(luminaires, concurrency, (l) => deps.backfill.backfillLuminaire(l.id));
      backfilled += set.reduce((sum, n) => sum + n, 0);
    }
    await deps.backfill.saveProgress(
      to === LUMINAIRE_SHARDS ? { doneAt: new Date(deps.now() * 1000).toISOString() } : { nextShard: to },
    );
    return { status: 'ran', shards: to - from, nextShard: to, backfilled };
  };
}
