import { CabinetMeterEvent } from '#protocol/messages/cabinet-meter.ts';
import { type Cabinet, nightOf } from '#schedules/index.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { CabinetMeterStore } from '../store/index.ts';
import { PLAUSIBILITY, timestampReject } from '../telemetry/meter-reading.ts';
import { makeRejecter, type RejectDeps } from '../telemetry/rejects.ts';
import { foldCabinetReadings, type NightReading } from './fold.ts';

export interface CabinetLedgerDeps extends RejectDeps {
  /** The site's time zone, which the nights are in. */
  readonly timezone: () => Promise<string>;
  /** The cabinet a thing name belongs to (cached lookups are fine: cabinets change on re-import). */
  readonly cabinetOf: (thingName: string) => Promise<Cabinet | undefined>;
  readonly meters: Pick<CabinetMeterStore, 'meterState' | 'advance'>;
  /** The broker's clock (epoch seconds): the receive time of a record that has none. */
  readonly now: () => number;
}

/** One record of a stream shard: its sequence number and its data (parsed JSON, or the raw text). */
export interface CabinetRecord {
  readonly sequenceNumber: string;
  readonly data: unknown;
}

export interface CabinetBatchResult {
  /** The first record to deliver again, when a cabinet's state moved under the batch. */
  readonly retryFrom?: string;
  readonly counted: number;
  readonly rejected: number;
  readonly old: number;
}

/** Wh a cabinet may meter per hour: its subscribed power (kVA, power factor at most 1). */
const ratedWOf = (cabinet: Cabinet): number => cabinet.subscribedKva * 1000;

/**
 * The cabinets' energy ledger: records of one stream shard, in order. Each reading is checked
 * (schema, clock, known cabinet; a bad one goes to the rejects store as a luminaire's report would),
 * each cabinet's readings are folded through its meter state, and the state and the nights'
 * energy are written in one conditional transaction. A crash before it leaves the state unchanged
 * (the redelivered readings compute the same), after it they are old and add nothing.
 */
export function makeCabinetLedger(deps: CabinetLedgerDeps) {
  const reject = makeRejecter(deps);

  return async function ingestBatch(records: readonly CabinetRecord[]): Promise<CabinetBatchResult> {
    const rejections: Promise<unknown>[] = [];
    const byCabinet = new Map<
      string,
      { cabinet: Cabinet; readings: (NightReading & { record: CabinetRecord })[] }
    >();
    const timezone = await deps.timezone();
    for (const record of records) {
      const parsed = CabinetMeterEvent.safeParse(record.data);
      if (!parsed.success) {
        rejections.push(
          reject(record.data, {
            thing: thingOf(record.data),
            receivedAt: Math.round(deps.now() * 1000),
            reason: 'invalid',
            detail: InvalidInput.fromZod('cabinet meter event', parsed.error).message,
          }),
        );
        continue;
      }
      const event = parsed.data;
      const clockFault = timestampReject(event);
      const cabinet = clockFault === undefined ? await deps.cabinetOf(event.thing) : undefined;
      if (clockFault !== undefined || cabinet === undefined) {
        rejections.push(
          reject(event, {
            thing: event.thing,
            receivedAt: event.receivedAt,
            reason: clockFault ?? 'unknown-cabinet',
            detail:
              clockFault === undefined
                ? 'not a cabinet of the inventory'
                : `ts ${event.ts} is outside the accepted skew of the receive time ${event.receivedAt} ms`,
          }),
        );
        continue;
      }
      const group = byCabinet.get(cabinet.id) ?? { cabinet, readings: [] };
      group.readings.push({ record, event, night: nightOf(timezone, event.ts) });
      byCabinet.set(cabinet.id, group);
    }

    let counted = 0;
    let old = 0;
    const stale: string[] = [];
    for (const { cabinet, readings } of byCabinet.values()) {
      const previous = await deps.meters.meterState(cabinet.id);
      const advance = foldCabinetReadings(previous, readings, ratedWOf(cabinet));
      advance.outcomes.forEach((outcome, i) => {
        const { event } = readings[i] as NightReading;
        if (outcome.kind === 'old') old++;
        else if (outcome.kind !== 'rejected') counted++;
        else
          rejections.push(
            reject(event, {
              thing: event.thing,
              receivedAt: event.receivedAt,
              reason: outcome.reason,
              detail:
                outcome.reason === 'counter-decrease'
                  ? 'total lower than the last accepted reading with the same counterId; held until the next reading'
                  : `total rose more than ${cabinet.subscribedKva} kVA (+${PLAUSIBILITY.powerMargin * 100} %) can meter since the last accepted reading; held until the next reading`,
              luminaireId: cabinet.id,
            }),
          );
      });
      if (advance.next === undefined) continue;
      const written = await deps.meters.advance(cabinet.id, previous, advance.next, advance.nights);
      if (written === 'stale') stale.push((readings[0] as { record: CabinetRecord }).record.sequenceNumber);
    }
    await Promise.all(rejections);
    const retryFrom = stale.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))[0];
    return {
      ...(retryFrom === undefined ? {} : { retryFrom }),
      counted,
      old,
      rejected: records.length - counted - old,
    };
  };
}

/** The thing a record that failed its schema names, if it names one. */
function thingOf(data: unknown): string {
  const thing =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>).thing : undefined;
  return typeof thing === 'string' && thing.length > 0 ? thing.slice(0, 128) : '-';
}
