import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, type Key, queryAll, type TableRef, writeIf } from './dynamo.ts';
import { type SiteKeys, siteKeys } from './keys.ts';
import { monthsBetween, yearsBetween } from './periods.ts';

/**
 * One energy rollup: a zone's night (`period` = the night, YYYY-MM-DD) or a street's month
 * (`period` = YYYY-MM, `street` set). Several rows with the same keys (write shards) simply add up.
 */
export interface RollupRow {
  readonly period: string;
  readonly zone: string;
  readonly street?: string;
  readonly wh: number;
  readonly burnH: number;
  /** Luminaire-nights with at least one accepted reading in this row. */
  readonly luminaireDays: number;
}

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

/** A rollup item of the main table: a luminaire's night, a zone's night (one write shard), a street's month. */
export type RollupTarget =
  | { readonly kind: 'luminaire-night'; readonly luminaireId: string; readonly night: string }
  | {
      readonly kind: 'zone-night';
      readonly night: string;
      readonly zone: string;
      readonly writeShard: number;
    }
  | { readonly kind: 'street-month'; readonly month: string; readonly zone: string; readonly street: string };

/** What one accepted reading adds to a rollup item, and where it sits in its stream shard. */
export interface RollupContribution {
  /** Sorts like the record's sequence number in its shard (see streamPosition). */
  readonly position: string;
  /** The reading's timestamp (epoch seconds): the night's bracket on a luminaire-night item. */
  readonly ts: number;
  readonly wh: number;
  readonly burnH: number;
  /** 1 for the first accepted reading of a luminaire's night (a reporting luminaire-night), else 0. */
  readonly luminaireNights: 0 | 1;
}

/** One batch's contributions to one rollup item, in stream order. */
export interface RollupUpdate {
  readonly target: RollupTarget;
  readonly contributions: readonly RollupContribution[];
}

/**
 * Energy rollups: zone/night (AP10) and street/month (AP11) totals, and each luminaire's nights
 * (AP6), read by the savings report and a luminaire's history. No read touches the raw reports.
 */
export interface RollupStore {
  /** Zone/night rows for from <= night <= to; write shards come back as separate rows that add up. */
  zoneNights(from: string, to: string): Promise<RollupRow[]>;
  /** Street/month rows for the months from the month of `from` to the month of `to`. */
  streetMonths(from: string, to: string): Promise<RollupRow[]>;
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
  let luminaireNights = 0;
  for (const c of contributions) {
    wh += c.wh;
    burnH += c.burnH;
    luminaireNights += c.luminaireNights;
  }
  return { wh, burnH, reports: contributions.length, luminaireNights };
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
export const rollupKeyOf =
  (keys: SiteKeys) =>
  (target: RollupTarget): Key => {
    switch (target.kind) {
      case 'luminaire-night':
        return { pk: keys.luminairePk(target.luminaireId), sk: keys.luminaireDaySk(target.night) };
      case 'zone-night':
        return {
          pk: keys.zoneDayPk(target.night.slice(0, 7)),
          sk: keys.zoneDaySk(target.night, target.zone, target.writeShard),
        };
      case 'street-month':
        return {
          pk: keys.streetMonthPk(target.month.slice(0, 4)),
          sk: keys.streetMonthSk(target.month, target.zone, target.street),
        };
    }
  };

/** The item's descriptive attributes (what the readers return besides the sums). */
function labels(target: RollupTarget): Record<string, string> {
  switch (target.kind) {
    case 'luminaire-night':
      return { night: target.night };
    case 'zone-night':
      return { night: target.night, zone: target.zone };
    case 'street-month':
      return { month: target.month, zone: target.zone, street: target.street };
  }
}

/**
 * The parts of an UpdateItem adding `contributions` (at least one) to a rollup item, with its labels:
 * the rollup writer adds its shard's mark and condition, the ledger's meter-state write its state.
 */
export function contributionUpdate(target: RollupTarget, contributions: readonly RollupContribution[]) {
  const sums = sumContributions(contributions);
  const first = contributions[0] as RollupContribution;
  const last = contributions[contributions.length - 1] as RollupContribution;
  const names: Record<string, string> = { '#wh': 'wh', '#burnH': 'burnH', '#reports': 'reports' };
  const values: Record<string, unknown> = { ':wh': sums.wh, ':burnH': sums.burnH, ':reports': sums.reports };
  const adds = ['#wh :wh', '#burnH :burnH', '#reports :reports'];
  const sets: string[] = [];
  for (const [field, value] of Object.entries(labels(target))) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  if (target.kind === 'luminaire-night') {
    // Accepted readings of a luminaire arrive in increasing ts (readMeter takes only newer ones),
    // so the first ever set is the night's earliest and the latest written is its latest.
    Object.assign(names, { '#firstTs': 'firstTs', '#lastTs': 'lastTs' });
    Object.assign(values, { ':firstTs': first.ts, ':lastTs': last.ts });
    sets.push('#firstTs = if_not_exists(#firstTs, :firstTs)', '#lastTs = :lastTs');
  } else {
    names['#days'] = 'luminaireDays';
    values[':days'] = sums.luminaireNights;
    adds.push('#days :days');
  }
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

    async zoneNights(from, to) {
      const pages = await Promise.all(
        monthsBetween(from, to).map((m) => between(keys.zoneDayPk(m), from, to)),
      );
      return pages.flat().map((item) => ({
        period: item.night as string,
        zone: item.zone as string,
        ...sums(item),
        luminaireDays: (item.luminaireDays as number | undefined) ?? 0,
      }));
    },

    async streetMonths(from, to) {
      const [fromMonth, toMonth] = [from.slice(0, 7), to.slice(0, 7)];
      const pages = await Promise.all(
        yearsBetween(from, to).map((y) => between(keys.streetMonthPk(y), fromMonth, toMonth)),
      );
      return pages.flat().map((item) => ({
        period: item.month as string,
        zone: item.zone as string,
        street: item.street as string,
        ...sums(item),
        luminaireDays: (item.luminaireDays as number | undefined) ?? 0,
      }));
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
