import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, type Item, type TableRef, writeIf } from './dynamo.ts';
import { siteKeys } from './keys.ts';

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

/**
 * Meter state (AP14). Raw reports are not kept here: the telemetry stream's Firehose delivery
 * stream archives them in S3 (ADR 0013).
 */
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
}

export function makeTelemetryStore({ db, tableName, site }: TableRef & { site: string }): TelemetryStore {
  const keys = siteKeys(site);
  const meterKey = (id: string) => ({ pk: keys.luminairePk(id), sk: keys.meterSk });

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
  };
}

export function meterStateOf(item: Item): MeterState {
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
export function unchangedSince(previous: MeterState | undefined) {
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
