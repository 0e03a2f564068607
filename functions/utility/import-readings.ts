import type { Parsed } from '#schedules/problem.ts';
import { applyImport, curveMonths, curveSpan } from '#schedules/utility/curve-months.ts';
import { parseUtilityReadings } from '#schedules/utility/readings.ts';
import type { CabinetStore, ConfigStore, UtilityReadingsStore } from '../store/index.ts';
import { readInSlices } from './read-in-slices.ts';

export interface ImportReadingsDeps {
  readonly config: Pick<ConfigStore, 'load'>;
  readonly cabinets: Pick<CabinetStore, 'listAll'>;
  readonly utilityReadings: UtilityReadingsStore;
}

/** What an import stored: counts, and the span of the file (ISO 8601 instants). */
export interface ImportedReadings {
  readonly deliveryPoints: number;
  readonly months: number;
  readonly readings: number;
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * Stores a utility load-curve export, all or nothing: the whole file is read and checked (every
 * delivery point must be a stored cabinet's) before anything is written. Each point's months the
 * file touches are read, the file's span replaced in them, and written whole: the same file imported
 * twice leaves the same items, a later export of a period replaces that period only.
 */
export async function importUtilityReadings(
  deps: ImportReadingsDeps,
  file: Uint8Array,
  source: string,
): Promise<Parsed<ImportedReadings>> {
  const [config, cabinets] = await Promise.all([deps.config.load(), deps.cabinets.listAll()]);
  const parsed = parseUtilityReadings(file, source, {
    deliveryPoints: new Set(cabinets.map((cabinet) => cabinet.deliveryPointId)),
    timeZone: config.site.timezone,
  });
  if (!parsed.ok) return parsed;
  const readings = parsed.value;
  if (readings.kind !== 'load-curve') {
    const message = 'index readings are not stored: send the load curve (deliveryPointId,timestamp,powerW)';
    return { ok: false, problems: [{ source, path: '', message }] };
  }
  const { intervalSeconds } = readings;
  const points = [...readings.curves]
    .filter(([, curve]) => curve.starts.length > 0)
    .map(([point, curve]) => ({ point, curve, span: curveSpan(curve, intervalSeconds) }));
  const stored = await readInSlices(points, ({ point, span }) =>
    deps.utilityReadings.months(point, span.from, span.to),
  );
  const written = points.flatMap(({ point, curve, span }, i) =>
    applyImport(stored[i] ?? [], curveMonths(point, curve, intervalSeconds), span),
  );
  const from = Math.min(...points.map(({ span }) => span.from));
  const to = Math.max(...points.map(({ span }) => span.to));
  const count = points.reduce((sum, { curve }) => sum + curve.starts.length, 0);
  await deps.utilityReadings.put(written);
  const iso = (epoch: number) => (Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : null);
  return {
    ok: true,
    value: {
      deliveryPoints: new Set(written.map((m) => m.deliveryPointId)).size,
      months: written.length,
      readings: count,
      from: iso(from),
      to: iso(to),
    },
  };
}
