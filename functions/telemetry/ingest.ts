import type { TelemetryEvent } from '../../protocol/messages.ts';
import { type Config, type Luminaire, nightOf } from '../../schedules/index.ts';
import { NOT_REPORTING } from '../alarms/kinds.ts';
import { silenceBoundSeconds } from '../alarms/silence.ts';
import { type BackoffOptions, withBackoff } from '../shared/backoff.ts';
import type { AlarmStore, CommitResult, TelemetryStore } from '../store/index.ts';
import { isDayBurning } from './day-burning.ts';
import { type MeterReading, PLAUSIBILITY, readMeter, timestampReject } from './meter-reading.ts';
import { makeRejecter, type RejectDeps, type Rejected } from './rejects.ts';

export interface IngestDeps extends RejectDeps {
  readonly config: () => Promise<Config>;
  /** The luminaire a thing name belongs to (cached lookups are fine: inventory changes are rare). */
  readonly luminaireOf: (thingName: string) => Promise<Luminaire | undefined>;
  readonly telemetry: TelemetryStore;
  readonly alarms: Pick<AlarmStore, 'open' | 'clear'>;
  readonly backoff?: BackoffOptions;
}

export type IngestResult =
  | Rejected
  | { readonly status: 'duplicate' | 'old'; readonly id: string }
  | {
      readonly status: 'baseline' | 'counted';
      readonly id: string;
      readonly wh: number;
      readonly alarmsOpened: readonly string[];
      readonly alarmsCleared: readonly string[];
    };

type Attempt =
  | { readonly outcome: 'old' }
  | { readonly outcome: 'rejected'; readonly reading: Extract<MeterReading, { kind: 'rejected' }> }
  | { readonly outcome: 'stale' }
  | {
      readonly outcome: CommitResult;
      readonly reading: Extract<MeterReading, { kind: 'baseline' | 'counted' }>;
      readonly previousFaults: readonly string[];
      readonly previousTs: number | undefined;
    };

/** Re-reads after a lost race on the meter state, and retries rollup transaction conflicts. */
const COMMIT_BACKOFF: BackoffOptions = { maxAttempts: 8, baseMs: 20, capMs: 1_000 };

export function makeIngest(deps: IngestDeps) {
  const reject = makeRejecter(deps);
  return async function ingest(message: TelemetryEvent): Promise<IngestResult> {
    const { thing, receivedAt } = message;
    const clockFault = timestampReject(message);
    if (clockFault !== undefined) {
      const detail = `ts ${message.ts} is outside the accepted skew of the receive time ${receivedAt} ms`;
      return reject(message, { thing, receivedAt, reason: clockFault, detail });
    }
    const luminaire = await deps.luminaireOf(thing);
    if (luminaire === undefined) {
      return reject(message, {
        thing,
        receivedAt,
        reason: 'unknown-luminaire',
        detail: 'not in the inventory',
      });
    }
    const config = await deps.config();
    const night = nightOf(config.site.timezone, message.ts);
    const faults = isDayBurning(config, luminaire, night, message.ts, message.level)
      ? [...new Set([...message.faults, 'dayBurning'])]
      : message.faults;

    const { result: attempt } = await withBackoff(
      async (): Promise<Attempt> => {
        const previous = await deps.telemetry.meterState(luminaire.id);
        const reading = readMeter(previous, message, { night, faults, ratedW: luminaire.ledWatts });
        if (reading.kind === 'old') return { outcome: 'old' };
        if (reading.kind === 'rejected') {
          // Holding the reading changes the meter state: only if no other delivery changed it first.
          const held =
            reading.next === undefined || previous === undefined
              ? 'committed'
              : await deps.telemetry.hold(luminaire.id, previous, reading.next);
          return held === 'committed' ? { outcome: 'rejected', reading } : { outcome: 'stale' };
        }
        // The meter state keeps the reported plan hash (the alarm sweep compares it with the pushed one)
        // and level (the live-state snapshot shows it).
        const next = { ...reading.next, planHash: message.planHash, level: message.level };
        const outcome = await deps.telemetry.commit({ luminaire, message, previous, ...reading, next });
        return { outcome, reading, previousFaults: previous?.faults ?? [], previousTs: previous?.ts };
      },
      ({ outcome }) => outcome === 'stale' || outcome === 'conflict',
      deps.backoff ?? COMMIT_BACKOFF,
    );
    if (attempt.outcome === 'old') {
      const stored = await deps.telemetry.storeRaw(luminaire.id, message);
      return { status: stored === 'duplicate' ? 'duplicate' : 'old', id: luminaire.id };
    }
    if (attempt.outcome === 'rejected') {
      const detail =
        attempt.reading.reason === 'counter-decrease'
          ? 'counter lower than the last accepted reading with the same counterId; held until the next reading'
          : `counter rose more than ${luminaire.ledWatts} W (+${PLAUSIBILITY.powerMargin * 100} %, +${PLAUSIBILITY.allowanceWh} Wh) can meter since the last accepted reading; held until the next reading`;
      return reject(message, {
        thing,
        receivedAt,
        reason: attempt.reading.reason,
        detail,
        luminaireId: luminaire.id,
      });
    }
    if (attempt.outcome === 'duplicate') return { status: 'duplicate', id: luminaire.id };
    if (attempt.outcome !== 'committed') {
      throw new Error(`telemetry of ${luminaire.id} not committed after retries: ${attempt.outcome}`);
    }
    const { reading, previousFaults, previousTs } = attempt;

    const opened = faults.filter((fault) => !previousFaults.includes(fault));
    const cleared = previousFaults.filter((fault) => !faults.includes(fault));
    // Only a gap the sweep can have seen as silence costs a write here; the sweep clears the rest.
    if (previousTs !== undefined && message.ts - previousTs > silenceBoundSeconds(config.alarms)) {
      cleared.push(NOT_REPORTING);
    }
    const at = new Date(message.ts * 1000).toISOString();
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
    return {
      status: reading.kind,
      id: luminaire.id,
      wh: reading.wh,
      alarmsOpened: opened,
      alarmsCleared: cleared,
    };
  };
}
