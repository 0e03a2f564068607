import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TelemetryMessage } from '#protocol/messages/telemetry.ts';
import { batchGet, batchWrite, type Item, queryBetween, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

/** Raw reports are kept a little over a year (a full reporting year plus a margin). */
const RAW_REPORT_SECONDS = 400 * 86_400;

/** One counter reading as the meter state keeps it. */
export interface HeldReading {
  readonly ts: number;
  readonly seq: number;
  readonly energyWh: number;
  readonly burningHours: number;
  /** Night of the report (YYYY-MM-DD). */
  readonly night: string;
  readonly faults: readonly string[];
}

/**
 * A luminaire's last accepted counter reading, the baseline the next report is measured against,
 * and the suspect reading held until the next one tells a glitch from a counter reset.
 */
export interface MeterState extends HeldReading {
  readonly counterId: string;
  readonly pending?: HeldReading;
  /** The plan hash of the last accepted report (absent in states written before it was kept). */
  readonly planHash?: string | null;
  /** The level of the last accepted report (absent in states written before it was kept). */
  readonly level?: number;
}

/** When a luminaire last reported, the plan it said it follows and its level (the alarm sweep's input). */
export interface LastReport {
  readonly ts: number;
  readonly planHash: string | null | undefined;
  readonly level: number | undefined;
}

/** Raw reports and meter state (AP6, AP13, AP14). */
export interface TelemetryStore {
  meterState(luminaireId: string): Promise<MeterState | undefined>;
  /** The meter states of luminaires that have one (strongly consistent, BatchGetItem). */
  meterStates(luminaireIds: readonly string[]): Promise<Map<string, MeterState>>;
  /** The last accepted report of each luminaire that has one (eventually consistent, BatchGetItem). */
  lastReports(luminaireIds: readonly string[]): Promise<Map<string, LastReport>>;
  /**
   * Replaces the meter state if unchanged since `previous` was read (absent: if there is none):
   * a batch's advance, or a suspect reading held.
   */
  hold(
    luminaireId: string,
    previous: MeterState | undefined,
    next: MeterState,
  ): Promise<'committed' | 'stale'>;
  /** Stores raw reports (BatchWriteItem; a report stored again replaces itself). */
  storeReports(reports: readonly { luminaireId: string; message: TelemetryMessage }[]): Promise<void>;
  /** Raw reports of a luminaire with from <= ts <= to, oldest first. */
  reports(luminaireId: string, from: number, to: number): Promise<TelemetryMessage[]>;
}

export function makeTelemetryStore({
  db,
  tableName,
  telemetryTableName,
  site,
}: TableRef & { telemetryTableName: string; site: string }): TelemetryStore {
  const keys = siteKeys(site);
  const meterKey = (id: string) => ({ pk: keys.luminairePk(id), sk: keys.meterSk });
  const rawItem = (id: string, m: TelemetryMessage) => ({
    pk: keys.reportPk(id),
    sk: keys.reportSk(m.ts, m.counterId, m.seq),
    ...m,
    expiresAt: m.ts + RAW_REPORT_SECONDS,
  });

  return {
    async meterState(luminaireId) {
      const out = await db.send(
        new GetCommand({ TableName: tableName, Key: meterKey(luminaireId), ConsistentRead: true }),
      );
      return out.Item === undefined ? undefined : meterStateOf(out.Item);
    },

    async meterStates(luminaireIds) {
      const items = await batchGet(
        { db, tableName },
        luminaireIds.map((id) => meterKey(id)),
      );
      const prefix = keys.luminairePk('').length;
      return new Map(items.map((item) => [(item.pk as string).slice(prefix), meterStateOf(item)]));
    },

    async storeReports(reports) {
      // BatchWriteItem refuses a request that names one key twice (a report delivered twice).
      const items = new Map(
        reports.map(({ luminaireId, message }) => {
          const item = rawItem(luminaireId, message);
          return [`${item.pk}|${item.sk}`, item] as const;
        }),
      );
      await batchWrite(
        { db, tableName: telemetryTableName },
        [...items.values()].map((Item) => ({ PutRequest: { Item } })),
      );
    },

    async lastReports(luminaireIds) {
      const items = await batchGet(
        { db, tableName },
        luminaireIds.map((id) => meterKey(id)),
        false,
      );
      return new Map(
        items.map((item) => [
          (item.pk as string).slice(keys.luminairePk('').length),
          {
            ts: item.ts as number,
            planHash: item.planHash as string | null | undefined,
            level: item.level as number | undefined,
          },
        ]),
      );
    },

    async hold(luminaireId, previous, next) {
      const written = await writeIf(
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...meterKey(luminaireId), ...next },
            ...unchangedSince(previous),
          }),
        ),
      );
      return written ? 'committed' : 'stale';
    },

    async reports(luminaireId, from, to) {
      const items = await queryBetween(
        { db, tableName: telemetryTableName },
        keys.reportPk(luminaireId),
        String(from).padStart(10, '0'),
        `${String(to).padStart(10, '0')}~`,
      );
      return items.map(({ pk: _pk, sk: _sk, expiresAt: _exp, ...message }) => message as TelemetryMessage);
    },
  };
}

function meterStateOf(item: Item): MeterState {
  const { counterId, ts, seq, energyWh, burningHours, night, faults, pending, planHash, level } = item;
  return {
    counterId,
    ts,
    seq,
    energyWh,
    burningHours,
    night,
    faults,
    ...(pending ? { pending } : {}),
    ...(planHash === undefined ? {} : { planHash }),
    ...(level === undefined ? {} : { level }),
  } as MeterState;
}

/** The meter item still holds `previous` (the same accepted reading and the same held one). */
function unchangedSince(previous: MeterState | undefined) {
  if (previous === undefined) return { ConditionExpression: 'attribute_not_exists(pk)' };
  const accepted = '#ts = :ts AND #seq = :seq AND #cid = :cid';
  const names = { '#ts': 'ts', '#seq': 'seq', '#cid': 'counterId', '#pending': 'pending' };
  const values = { ':ts': previous.ts, ':seq': previous.seq, ':cid': previous.counterId };
  const { pending } = previous;
  return pending === undefined
    ? {
        ConditionExpression: `${accepted} AND attribute_not_exists(#pending)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }
    : {
        ConditionExpression: `${accepted} AND #pending.#ts = :pts AND #pending.#seq = :pseq`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':pts': pending.ts, ':pseq': pending.seq },
      };
}
