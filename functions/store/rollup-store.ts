import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, type Key, queryAll, type TableRef, writeIf } from './dynamo.ts';
import { type SiteKeys, siteKeys } from './keys.ts';

/**
 * One luminaire's night: metered energy, burning hours, the number of reports, and the times of
 * its earliest and latest accepted readings (null for nights stored before they were kept).
 */
export interface LuminaireNight {
  readonly night: string;
  readonly wh: number;
  readonly burnH: number;
  readonly reports: number;
  readonly firstTs: number | null;
  readonly lastTs: number | null;
}

/**
 * The one rollup item the ledger writes: a luminaire's night (AP6). Zone and street figures are the
 * night close's (AP30, ADR 0009), summed from these items.
 */
export interface RollupTarget {
  readonly luminaireId: string;
  readonly night: string;
}

/** What one accepted reading adds to a rollup item, and where it sits in its stream shard. */
export interface RollupContribution {
  /** Sorts like the record's sequence number in its shard (see streamPosition). */
  readonly position: string;
  /** The reading's timestamp (epoch seconds): the night's bracket on a luminaire-night item. */
  readonly ts: number;
  readonly wh: number;
  readonly burnH: number;
}

/** One batch's contributions to one rollup item, in stream order. */
export interface RollupUpdate {
  readonly target: RollupTarget;
  readonly contributions: readonly RollupContribution[];
}

/**
 * Each luminaire's nights (AP6), read by a luminaire's history, the reconciliation and the night
 * close, which sums them by street and zone. No read touches the raw reports.
 */
export interface RollupStore {
  luminaireNights(luminaireId: string, from: string, to: string): Promise<LuminaireNight[]>;
}

/** The ledger's side of the rollups (the readers above never write). */
export interface RollupWriter {
  /**
   * Adds a batch's contributions to their item once (AP24): the item keeps, per stream shard, the
   * position of the last contribution it took (`hw:{shard}`), and takes only later ones. A
   * redelivered batch therefore adds nothing twice, whatever part of it was applied before.
   */
  apply(update: RollupUpdate, shard: string): Promise<'applied' | 'already'>;
}

/** Sums of contributions as the rollup items keep them. */
export function sumContributions(contributions: readonly RollupContribution[]) {
  let wh = 0;
  let burnH = 0;
  for (const c of contributions) {
    wh += c.wh;
    burnH += c.burnH;
  }
  return { wh, burnH, reports: contributions.length };
}

/** What a rollup write expects of the item's high-water mark for its shard. */
type Mark = { readonly kind: 'before-first' } | { readonly kind: 'read'; readonly seen: string | undefined };

/** A competing writer of the same shard only exists during a redelivery race; a few rounds settle it. */
const MAX_APPLY_ROUNDS = 5;

const sums = (item: Item) => ({
  wh: (item.wh as number | undefined) ?? 0,
  burnH: (item.burnH as number | undefined) ?? 0,
});

/** The key of a rollup item. */
const rollupKeyOf =
  (keys: SiteKeys) =>
  (target: RollupTarget): Key => ({
    pk: keys.luminairePk(target.luminaireId),
    sk: keys.luminaireDaySk(target.night),
  });

/**
 * The parts of an UpdateItem adding `contributions` (at least one) to a luminaire-night item:
 * the rollup writer adds its shard's mark and condition, the ledger's meter-state write its state.
 */
export function contributionUpdate(target: RollupTarget, contributions: readonly RollupContribution[]) {
  const sums = sumContributions(contributions);
  const first = contributions[0] as RollupContribution;
  const last = contributions[contributions.length - 1] as RollupContribution;
  // Accepted readings of a luminaire arrive in increasing ts (readMeter takes only newer ones),
  // so the first ever set is the night's earliest and the latest written is its latest.
  const names: Record<string, string> = {
    '#wh': 'wh',
    '#burnH': 'burnH',
    '#reports': 'reports',
    '#night': 'night',
    '#firstTs': 'firstTs',
    '#lastTs': 'lastTs',
  };
  const values: Record<string, unknown> = {
    ':wh': sums.wh,
    ':burnH': sums.burnH,
    ':reports': sums.reports,
    ':night': target.night,
    ':firstTs': first.ts,
    ':lastTs': last.ts,
  };
  const adds = ['#wh :wh', '#burnH :burnH', '#reports :reports'];
  const sets = ['#night = :night', '#firstTs = if_not_exists(#firstTs, :firstTs)', '#lastTs = :lastTs'];
  return { names, values, adds, sets };
}

export function makeRollupStore({
  db,
  tableName,
  site,
}: TableRef & { site: string }): RollupStore & RollupWriter {
  const keys = siteKeys(site);
  const between = (pk: string, from: string, to: string) =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${to}~` },
    });

  const keyOf = rollupKeyOf(keys);

  /**
   * One conditional update adding `contributions`, if the item's mark for `shard` is absent or,
   * on the first try, before the first of them, or, after a lost race, still the mark then read.
   */
  const addIf = (
    target: RollupTarget,
    shard: string,
    mark: Mark,
    contributions: readonly RollupContribution[],
  ) => {
    const first = contributions[0] as RollupContribution;
    const last = contributions[contributions.length - 1] as RollupContribution;
    const { names, values, adds, sets } = contributionUpdate(target, contributions);
    names['#hw'] = `hw:${shard}`;
    values[':last'] = last.position;
    sets.push('#hw = :last');
    let condition = 'attribute_not_exists(#hw)';
    if (mark.kind === 'before-first') {
      values[':first'] = first.position;
      condition = `${condition} OR #hw < :first`;
    } else if (mark.kind === 'read' && mark.seen !== undefined) {
      values[':seen'] = mark.seen;
      condition = '#hw = :seen';
    }
    return writeIf(
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(target),
          UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  };

  return {
    async apply({ target, contributions }, shard) {
      let mark: Mark = { kind: 'before-first' };
      let pending = contributions;
      for (let round = 0; round < MAX_APPLY_ROUNDS; round++) {
        if (pending.length === 0) return 'already';
        if (await addIf(target, shard, mark, pending)) return 'applied';
        const out = await db.send(
          new GetCommand({
            TableName: tableName,
            Key: keyOf(target),
            ConsistentRead: true,
            ProjectionExpression: '#hw',
            ExpressionAttributeNames: { '#hw': `hw:${shard}` },
          }),
        );
        const seen = out.Item?.[`hw:${shard}`] as string | undefined;
        mark = { kind: 'read', seen };
        pending = seen === undefined ? contributions : contributions.filter((c) => c.position > seen);
      }
      throw new Error(`rollup item ${JSON.stringify(keyOf(target))} kept changing under shard ${shard}`);
    },

    async luminaireNights(luminaireId, from, to) {
      const items = await between(
        keys.luminairePk(luminaireId),
        keys.luminaireDaySk(from),
        keys.luminaireDaySk(to),
      );
      return items.map((item) => ({
        night: item.night as string,
        ...sums(item),
        reports: (item.reports as number | undefined) ?? 0,
        firstTs: (item.firstTs as number | undefined) ?? null,
        lastTs: (item.lastTs as number | undefined) ?? null,
      }));
    },
  };
}
