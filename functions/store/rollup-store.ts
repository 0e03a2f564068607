import { type Item, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
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

const sums = (item: Item) => ({
  wh: (item.wh as number | undefined) ?? 0,
  burnH: (item.burnH as number | undefined) ?? 0,
});

export function makeRollupStore({ db, tableName, site }: TableRef & { site: string }): RollupStore {
  const keys = siteKeys(site);
  const between = (pk: string, from: string, to: string) =>
    queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': `${to}~` },
    });

  return {
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
