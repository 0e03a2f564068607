import { TelemetryEvent } from '#protocol/messages/telemetry.ts';
import { type Config, type Luminaire, nightOf } from '#schedules/index.ts';
import { NOT_REPORTING } from '../alarms/kinds.ts';
import { silenceBoundSeconds } from '../alarms/silence.ts';
import { mapBounded } from '../shared/backoff.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { AlarmStore, MeterState, RollupWriter, TelemetryStore } from '../store/index.ts';
import { isDayBurning } from './day-burning.ts';
import {
  advanceMeter,
  type MeterAdvance,
  type PlacedReading,
  rollupUpdates,
  splitHomeNights,
  streamPosition,
} from './ledger-batch.ts';
import { PLAUSIBILITY, timestampReject } from './meter-reading.ts';
import { makeRejecter, type RejectDeps } from './rejects.ts';

export interface LedgerDeps extends RejectDeps {
  readonly config: () => Promise<Config>;
  /**
   * The luminaires these thing names belong to, in one lookup per batch (cached lookups are fine:
   * inventory changes are rare); a name of no luminaire is simply not among them.
   */
  readonly luminairesOf: (thingNames: readonly string[]) => Promise<readonly Luminaire[]>;
  readonly meters: Pick<TelemetryStore, 'meterStates' | 'advance'>;
  readonly rollups: RollupWriter;
  readonly alarms: Pick<AlarmStore, 'open' | 'clear'>;
  /** The broker's clock (epoch seconds): the receive time of a record that has none. */
  readonly now: () => number;
  /** Writes in flight at once. */
  readonly concurrency?: number;
}

/** One record of a stream shard: its sequence number and its data (parsed JSON, or the raw text). */
export interface StreamRecord {
  readonly sequenceNumber: string;
  readonly data: unknown;
}

export interface BatchResult {
  /** The first record to deliver again (Kinesis resumes the shard there), if any failed. */
  readonly retryFrom?: string;
  readonly counted: number;
  readonly rejected: number;
  readonly old: number;
}

const WRITE_CONCURRENCY = 16;

interface Valid {
  readonly record: StreamRecord;
  readonly event: TelemetryEvent;
}

/**
 * The batched energy ledger (ADR 0008). Records of one stream shard, in order:
 * 1. each report is checked (schema, clock, known luminaire); a bad one goes to the rejects store
 *    and the batch goes on;
 * 2. each luminaire's readings are folded through its meter state (one consistent BatchGetItem of
 *    the night items of the luminaires' latest reports, more rounds only at a night boundary);
 * 3. the accepted readings' contributions to a night other than that of the luminaire's new state
 *    (a batch straddling noon) are added to that luminaire-night item once, guarded by the item's
 *    high-water mark for this shard;
 * 4. alarms follow the faults of the last accepted reading;
 * 5. only then each luminaire's meter state advances, conditionally, in one write with its
 *    contributions to that night (a move to a later night costs a mark and a pointer first).
 * A crash anywhere leaves a state that the redelivered records finish exactly: before step 5 the
 * meter states are unchanged, so the same contributions are computed again and the marks skip
 * what was added; after it a luminaire's readings are old and add nothing. The ledger writes only
 * the luminaire's own items: zone and street figures are the night close's (ADR 0009).
 */
export function makeLedger(deps: LedgerDeps) {
  const reject = makeRejecter(deps);
  const concurrency = deps.concurrency ?? WRITE_CONCURRENCY;

  return async function ingestBatch(shard: string, records: readonly StreamRecord[]): Promise<BatchResult> {
    const valid: Valid[] = [];
    const rejections: Promise<unknown>[] = [];
    for (const record of records) {
      const parsed = TelemetryEvent.safeParse(record.data);
      if (!parsed.success) {
        rejections.push(
          reject(record.data, {
            thing: fieldOf(record.data, 'thing', (v) => typeof v === 'string' && v.length > 0, '-').slice(
              0,
              128,
            ),
            receivedAt: fieldOf(
              record.data,
              'receivedAt',
              Number.isSafeInteger,
              Math.round(deps.now() * 1000),
            ),
            reason: 'invalid',
            detail: InvalidInput.fromZod('telemetry event', parsed.error).message,
          }),
        );
        continue;
      }
      const event = parsed.data;
      const clockFault = timestampReject(event);
      if (clockFault !== undefined) {
        const detail = `ts ${event.ts} is outside the accepted skew of the receive time ${event.receivedAt} ms`;
        rejections.push(
          reject(event, { thing: event.thing, receivedAt: event.receivedAt, reason: clockFault, detail }),
        );
        continue;
      }
      valid.push({ record, event });
    }

    const things = [...new Set(valid.map(({ event }) => event.thing))];
    const found = new Map((await deps.luminairesOf(things)).map((l) => [l.thingName, l] as const));
    const byLuminaire = new Map<string, { luminaire: Luminaire; readings: Valid[] }>();
    for (const reading of valid) {
      const luminaire = found.get(reading.event.thing);
      if (luminaire === undefined) {
        const { thing, receivedAt } = reading.event;
        rejections.push(
          reject(reading.event, {
            thing,
            receivedAt,
            reason: 'unknown-luminaire',
            detail: 'not in the inventory',
          }),
        );
        continue;
      }
      const group = byLuminaire.get(luminaire.id) ?? { luminaire, readings: [] };
      group.readings.push(reading);
      byLuminaire.set(luminaire.id, group);
    }

    const config = await deps.config();
    const nightOfReading = ({ event }: Valid) => nightOf(config.site.timezone, event.ts);
    const states = await deps.meters.meterStates(
      [...byLuminaire].map(([luminaireId, { readings }]) => ({
        luminaireId,
        night: nightOfReading(readings[readings.length - 1] as Valid),
      })),
    );
    const advances = [...byLuminaire.values()].map(({ luminaire, readings }) => {
      const placed: PlacedReading[] = readings.map((reading) => {
        const { record, event } = reading;
        const night = nightOfReading(reading);
        const faults = isDayBurning(config, luminaire, night, event.ts, event.level)
          ? [...new Set([...event.faults, 'dayBurning'])]
          : event.faults;
        return {
          position: streamPosition(record.sequenceNumber),
          message: event,
          context: { night, faults, ratedW: luminaire.ledWatts },
        };
      });
      const stored = states.get(luminaire.id);
      return {
        luminaire,
        readings,
        stored,
        previous: stored?.state,
        advance: advanceMeter(luminaire.id, stored?.state, placed),
      };
    });

    let counted = 0;
    let old = 0;
    for (const { luminaire, readings, advance } of advances) {
      advance.outcomes.forEach((outcome, i) => {
        const { event } = readings[i] as Valid;
        if (outcome.kind === 'old') old++;
        else if (outcome.kind !== 'rejected') counted++;
        else {
          const detail =
            outcome.reason === 'counter-decrease'
              ? 'counter lower than the last accepted reading with the same counterId; held until the next reading'
              : `counter rose more than ${luminaire.ledWatts} W (+${PLAUSIBILITY.powerMargin * 100} %, +${PLAUSIBILITY.allowanceWh} Wh) can meter since the last accepted reading; held until the next reading`;
          rejections.push(
            reject(event, {
              thing: event.thing,
              receivedAt: event.receivedAt,
              reason: outcome.reason,
              detail,
              luminaireId: luminaire.id,
            }),
          );
        }
      });
    }

    const { carried, others } = splitHomeNights(
      rollupUpdates(advances.flatMap(({ advance }) => advance.contributions)),
      new Map(
        advances.flatMap(({ luminaire, advance }) =>
          advance.next ? [[luminaire.id, advance.next.night]] : [],
        ),
      ),
    );
    await Promise.all([
      ...rejections,
      mapBounded(others, concurrency, (update) => deps.rollups.apply(update, shard)),
    ]);
    await mapBounded(advances, concurrency, ({ luminaire, previous, advance }) =>
      followFaults(deps, config, luminaire, previous, advance),
    );

    const stale = await mapBounded(
      advances,
      concurrency,
      async ({ luminaire, readings, stored, advance }) => {
        if (advance.next === undefined) return undefined;
        const written = await deps.meters.advance(
          luminaire.id,
          stored,
          advance.next,
          carried.get(luminaire.id) ?? [],
          shard,
        );
        return written === 'committed' ? undefined : (readings[0] as Valid).record.sequenceNumber;
      },
    );
    const retryFrom = stale
      .filter((s): s is string => s !== undefined)
      .sort((a, b) => (streamPosition(a) < streamPosition(b) ? -1 : 1))[0];
    return {
      ...(retryFrom === undefined ? {} : { retryFrom }),
      counted,
      old,
      rejected: records.length - counted - old,
    };
  };
}

/**
 * Opens an alarm for each fault the last accepted reading has and the state before the batch did
 * not, clears the ones it no longer has, and clears `not-reporting` after a gap the sweep can have
 * seen as silence. Alarm writes are idempotent, so a redelivered batch repeats them harmlessly.
 */
async function followFaults(
  deps: Pick<LedgerDeps, 'alarms'>,
  config: Config,
  luminaire: Luminaire,
  previous: MeterState | undefined,
  advance: MeterAdvance,
): Promise<void> {
  const first = advance.contributions[0];
  if (advance.next === undefined || first === undefined) return;
  const previousFaults = previous?.faults ?? [];
  const faults = advance.next.faults;
  const opened = faults.filter((fault) => !previousFaults.includes(fault));
  const cleared = previousFaults.filter((fault) => !faults.includes(fault));
  if (previous !== undefined && first.contribution.ts - previous.ts > silenceBoundSeconds(config.alarms)) {
    cleared.push(NOT_REPORTING);
  }
  const at = new Date(advance.next.ts * 1000).toISOString();
  await Promise.all([
    ...opened.map((kind) =>
      deps.alarms.open({
        luminaireId: luminaire.id,
        kind,
        zone: luminaire.zone,
        street: luminaire.street,
        openedAt: at,
      }),
    ),
    ...cleared.map((kind) => deps.alarms.clear(luminaire.id, kind, at)),
  ]);
}

/** A field of a record that failed its schema, if it has the expected form. */
function fieldOf<T>(data: unknown, key: string, valid: (value: unknown) => boolean, fallback: T): T {
  const value =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  return valid(value) ? (value as T) : fallback;
}
