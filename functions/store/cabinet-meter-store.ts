import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { isTransactionConditionFailure, queryBetween, type TableRef } from './dynamo.ts';
import { siteKeys } from './keys.ts';
import { type MeterState, meterStateOf, unchangedSince } from './telemetry-store.ts';

/** A cabinet's meter state: the total's counter reading (as a luminaire's) and the phases it had. */
export interface CabinetMeterState extends MeterState {
  readonly phasesWh?: readonly [number, number, number];
}

/** Energy a batch of readings adds to each night (YYYY-MM-DD), Wh. */
export type NightEnergy = ReadonlyMap<string, number>;

/**
 * The cabinets' meter ledger (AP28, telemetry table): per cabinet, its meter state and one item per
 * night with the energy its utility-side meter counted. The state and the nights it adds to are
 * written in one transaction, conditional on the state read: a redelivered reading finds the state
 * advanced and adds nothing, so energy is counted once.
 */
export interface CabinetMeterStore {
  meterState(cabinetId: string): Promise<CabinetMeterState | undefined>;
  /** Replaces the state if unchanged since `previous` and adds `nights` to the night items, atomically. */
  advance(
    cabinetId: string,
    previous: CabinetMeterState | undefined,
    next: CabinetMeterState,
    nights: NightEnergy,
  ): Promise<'committed' | 'stale'>;
  /**
   * Metered Wh of each night from `from` to `to` (inclusive) that has readings: the "our metered"
   * energy of reconciliation where a cabinet has its meter.
   */
  meteredByNight(cabinetId: string, from: string, to: string): Promise<Map<string, number>>;
}

/** DynamoDB's TransactWriteItems limit, less the meter state. */
const MAX_NIGHTS_PER_ADVANCE = 99;

export function makeCabinetMeterStore({
  db,
  telemetryTableName,
  site,
}: Pick<TableRef, 'db'> & { telemetryTableName: string; site: string }): CabinetMeterStore {
  const keys = siteKeys(site);
  const TableName = telemetryTableName;
  const meterKey = (id: string) => ({ pk: keys.cabinetMeterPk(id), sk: keys.meterSk });

  return {
    async meterState(cabinetId) {
      const out = await db.send(
        new GetCommand({ TableName, Key: meterKey(cabinetId), ConsistentRead: true }),
      );
      if (out.Item === undefined) return undefined;
      const { phasesWh } = out.Item;
      return { ...meterStateOf(out.Item), ...(phasesWh === undefined ? {} : { phasesWh }) };
    },

    async advance(cabinetId, previous, next, nights) {
      if (nights.size > MAX_NIGHTS_PER_ADVANCE)
        throw new RangeError(
          `a cabinet's readings span ${nights.size} nights, at most ${MAX_NIGHTS_PER_ADVANCE}`,
        );
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName, Item: { ...meterKey(cabinetId), ...next }, ...unchangedSince(previous) } },
              ...[...nights].map(([night, wh]) => ({
                Update: {
                  TableName,
                  Key: { pk: keys.cabinetMeterPk(cabinetId), sk: keys.cabinetNightSk(night) },
                  UpdateExpression: 'SET #night = :night ADD #wh :wh',
                  ExpressionAttributeNames: { '#night': 'night', '#wh': 'wh' },
                  ExpressionAttributeValues: { ':wh': wh, ':night': night },
                },
              })),
            ],
          }),
        );
        return 'committed';
      } catch (error) {
        if (isTransactionConditionFailure(error)) return 'stale';
        throw error;
      }
    },

    async meteredByNight(cabinetId, from, to) {
      const items = await queryBetween(
        { db, tableName: TableName },
        keys.cabinetMeterPk(cabinetId),
        keys.cabinetNightSk(from),
        keys.cabinetNightSk(to),
      );
      return new Map(items.map((item) => [item.night as string, item.wh as number]));
    },
  };
}
