import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TelemetryMessage } from '../../protocol/messages.ts';
import { batchGet, batchWrite, type Item, queryBetween, type TableRef, writeIf } from './dynamo.ts';
import { shardOf, siteKeys, ZONE_ROLLUP_WRITE_SHARDS } from './keys.ts';

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
}

/** When a luminaire last reported and the plan it said it follows (the alarm sweep's input). */
export interface LastReport {
  readonly ts: number;
  readonly planHash: string | null | undefined;
}

/** One accepted report: the new meter state and what it adds to the rollups. */
export interface AcceptedReport {
  readonly luminaire: { readonly id: string; readonly zone: string; readonly street: string };
  readonly message: TelemetryMessage;
  readonly previous: MeterState | undefined;
  readonly next: MeterState;
  readonly wh: number;
  readonly burnH: number;
  /** First accepted report of this luminaire for `next.night`: counts one reporting luminaire-night. */
  readonly firstOfNight: boolean;
}

/**
 * `stale`: the meter state changed since it was read (another delivery won), read it again;
 * `conflict`: a concurrent transaction touched a rollup item, retry after a pause.
 */
export type CommitResult = 'committed' | 'duplicate' | 'stale' | 'conflict';

/** Raw reports, meter state and the ingest transaction (AP6, AP13, AP14). */
export interface TelemetryStore {
  meterState(luminaireId: string): Promise<MeterState | undefined>;
  /** The meter states of luminaires that have one (strongly consistent, BatchGetItem). */
  meterStates(luminaireIds: readonly string[]): Promise<Map<string, MeterState>>;
  /** The last accepted report of each luminaire that has one (eventually consistent, BatchGetItem). */
  lastReports(luminaireIds: readonly string[]): Promise<Map<string, LastReport>>;
  /** Stores a report that counts nothing (older than the meter state); duplicates are ignored. */
  storeRaw(luminaireId: string, message: TelemetryMessage): Promise<'stored' | 'duplicate'>;
  /** Atomically: raw report, meter state (if unchanged since read), luminaire/zone/street rollups. */
  commit(report: AcceptedReport): Promise<CommitResult>;
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

const ROLLUP_NAMES = { '#wh': 'wh', '#burnH': 'burnH', '#reports': 'reports' };

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
      await batchWrite(
        { db, tableName: telemetryTableName },
        reports.map(({ luminaireId, message }) => ({ PutRequest: { Item: rawItem(luminaireId, message) } })),
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
          { ts: item.ts as number, planHash: item.planHash as string | null | undefined },
        ]),
      );
    },

    async storeRaw(luminaireId, message) {
      const written = await writeIf(
        db.send(
          new PutCommand({
            TableName: telemetryTableName,
            Item: rawItem(luminaireId, message),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return written ? 'stored' : 'duplicate';
    },

    async commit(report) {
      const { luminaire, previous, next } = report;
      const night = next.night;
      const month = night.slice(0, 7);
      const nightCount = report.firstOfNight ? 1 : 0;
      const rollupValues = { ':wh': report.wh, ':burnH': report.burnH, ':one': 1 };
      const meterCondition = unchangedSince(previous);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: telemetryTableName,
                  Item: rawItem(luminaire.id, report.message),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { ...meterKey(luminaire.id), ...next },
                  ...meterCondition,
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: { pk: keys.luminairePk(luminaire.id), sk: keys.luminaireDaySk(night) },
                  UpdateExpression: 'ADD #wh :wh, #burnH :burnH, #reports :one SET #night = :night',
                  ExpressionAttributeNames: { ...ROLLUP_NAMES, '#night': 'night' },
                  ExpressionAttributeValues: { ...rollupValues, ':night': night },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: {
                    pk: keys.zoneDayPk(month),
                    sk: keys.zoneDaySk(
                      night,
                      luminaire.zone,
                      shardOf(luminaire.id) % ZONE_ROLLUP_WRITE_SHARDS,
                    ),
                  },
                  UpdateExpression:
                    'ADD #wh :wh, #burnH :burnH, #reports :one, #days :days SET #zone = :zone, #night = :night',
                  ExpressionAttributeNames: {
                    ...ROLLUP_NAMES,
                    '#days': 'luminaireDays',
                    '#zone': 'zone',
                    '#night': 'night',
                  },
                  ExpressionAttributeValues: {
                    ...rollupValues,
                    ':days': nightCount,
                    ':zone': luminaire.zone,
                    ':night': night,
                  },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: {
                    pk: keys.streetMonthPk(month.slice(0, 4)),
                    sk: keys.streetMonthSk(month, luminaire.zone, luminaire.street),
                  },
                  UpdateExpression:
                    'ADD #wh :wh, #burnH :burnH, #reports :one, #days :days SET #zone = :zone, #street = :street, #month = :month',
                  ExpressionAttributeNames: {
                    ...ROLLUP_NAMES,
                    '#days': 'luminaireDays',
                    '#zone': 'zone',
                    '#street': 'street',
                    '#month': 'month',
                  },
                  ExpressionAttributeValues: {
                    ...rollupValues,
                    ':days': nightCount,
                    ':zone': luminaire.zone,
                    ':street': luminaire.street,
                    ':month': month,
                  },
                },
              },
            ],
          }),
        );
        return 'committed';
      } catch (error) {
        return cancellationResult(error);
      }
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
  const { counterId, ts, seq, energyWh, burningHours, night, faults, pending, planHash } = item;
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

/** Reads which item of the transaction failed: 0 is the raw report, 1 the meter state. */
function cancellationResult(error: unknown): CommitResult {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
  if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'stale';
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) return 'conflict';
  throw error;
}
