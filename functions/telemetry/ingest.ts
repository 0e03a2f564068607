import type { TelemetryMessage } from '../../protocol/messages.ts';
import { type Config, type Luminaire, nightOf } from '../../schedules/index.ts';
import { type BackoffOptions, withBackoff } from '../shared/backoff.ts';
import type { AlarmStore, CommitResult, TelemetryStore } from '../store/index.ts';
import { isDayBurning } from './day-burning.ts';
import { type MeterReading, readMeter } from './meter-reading.ts';

export interface IngestDeps {
  readonly config: () => Promise<Config>;
  /** The luminaire a thing name belongs to (cached lookups are fine: inventory changes are rare). */
  readonly luminaireOf: (thingName: string) => Promise<Luminaire | undefined>;
  readonly telemetry: TelemetryStore;
  readonly alarms: Pick<AlarmStore, 'open' | 'clear'>;
  readonly backoff?: BackoffOptions;
}

export type IngestResult =
  | { readonly status: 'unknown-thing'; readonly thing: string }
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
  | {
      readonly outcome: CommitResult;
      readonly reading: Exclude<MeterReading, { kind: 'old' }>;
      readonly previousFaults: readonly string[];
    };

/** Re-reads after a lost race on the meter state, and retries rollup transaction conflicts. */
const COMMIT_BACKOFF: BackoffOptions = { maxAttempts: 8, baseMs: 20, capMs: 1_000 };

export function makeIngest(deps: IngestDeps) {
  return async function ingest(message: TelemetryMessage): Promise<IngestResult> {
    const luminaire = await deps.luminaireOf(message.thing);
    if (luminaire === undefined) return { status: 'unknown-thing', thing: message.thing };
    const config = await deps.config();
    const night = nightOf(config.site.timezone, message.ts);
    const faults = isDayBurning(config, luminaire, night, message.ts, message.level)
      ? [...new Set([...message.faults, 'dayBurning'])]
      : message.faults;

    const { result: attempt } = await withBackoff(
      async (): Promise<Attempt> => {
        const previous = await deps.telemetry.meterState(luminaire.id);
        const reading = readMeter(previous, message, night, faults);
        if (reading.kind === 'old') return { outcome: 'old' };
        const outcome = await deps.telemetry.commit({ luminaire, message, previous, ...reading });
        return { outcome, reading, previousFaults: previous?.faults ?? [] };
      },
      ({ outcome }) => outcome === 'stale' || outcome === 'conflict',
      deps.backoff ?? COMMIT_BACKOFF,
    );
    if (attempt.outcome === 'old') {
      const stored = await deps.telemetry.storeRaw(luminaire.id, message);
      return { status: stored === 'duplicate' ? 'duplicate' : 'old', id: luminaire.id };
    }
    if (attempt.outcome === 'duplicate') return { status: 'duplicate', id: luminaire.id };
    if (attempt.outcome !== 'committed') {
      throw new Error(`telemetry of ${luminaire.id} not committed after retries: ${attempt.outcome}`);
    }
    const { reading, previousFaults } = attempt;

    const opened = faults.filter((fault) => !previousFaults.includes(fault));
    const cleared = previousFaults.filter((fault) => !faults.includes(fault));
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
