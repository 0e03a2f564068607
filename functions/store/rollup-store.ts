import type { RollupRow } from '../../schedules/report/savings.ts';
import { type Item, queryAll, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { monthsBetween, yearsBetween } from './periods.ts';

/** One luminaire's night: metered energy, burning hours and the number of reports. */
export interface LuminaireNight {
  readonly night: string;
  readonly wh: number;
  readonly burnH: number;
  readonly reports: number;
}

/**
 * Energy rollups, read by the savings report (AP10, AP11) and a luminaire's history (AP6). The cost
 * of a read depends on the period and the number of zones or streets, never on the raw reports.
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
      }));
    },
  };
}
