import type { LocalDate } from '#schedules/index.ts';
import type { ChunkMessage } from '../../plan-push/chunk-message.ts';
import { shardOf } from '../../store/keys.ts';

/**
 * The most luminaires a change pushes inside its request. The API function has 29 s (API Gateway's
 * 30 s limit) for reading, planning and pushing; a request keeps 32 shadow updates in flight and
 * shares the account's shadow quota (400/s in the smaller regions) with the nightly push and
 * presence boosts, so 2,000 updates take 5 s or more and leave room for throttling backoff.
 * A larger change (a profile a whole city follows) goes through the plan-push queue instead.
 */
export const INLINE_PUSH_LIMIT = 2_000;

/** How a stored change reaches the shadows of the luminaires it affects. */
export type ChangePush =
  | { readonly kind: 'inline'; readonly ids: readonly string[] }
  | { readonly kind: 'queued'; readonly chunks: readonly ChunkMessage[]; readonly luminaires: number };

/**
 * Push inline up to `limit` luminaires, else queue one chunk per shard holding an affected
 * luminaire. The chunk re-plans its whole shard, which is harmless: luminaires whose plan did not
 * change are skipped by hash, so only the affected ones get a shadow update.
 */
export function decideChangePush(
  ids: readonly string[],
  options: { readonly night: LocalDate; readonly runId: string; readonly limit: number },
): ChangePush {
  const luminaires = new Set(ids).size;
  if (luminaires <= options.limit) return { kind: 'inline', ids };
  const shards = [...new Set(ids.map((id) => shardOf(id)))].sort((a, b) => a - b);
  return {
    kind: 'queued',
    chunks: shards.map((shard) => ({ night: options.night, shard, runId: options.runId })),
    luminaires,
  };
}
