import type { Parsed } from '#schedules/problem.ts';
import {
  applyImport,
  type CurveMonth,
  curveMonths,
  curveSpan,
  monthOf,
  sameMonths,
} from '#schedules/utility/curve-months.ts';
import { parseUtilityReadings } from '#schedules/utility/readings.ts';
import { DomainError } from '../shared/errors.ts';
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
 * delivery point must be a stored cabinet's) before anything is written. Each point's months are
 * read at the committed head, the file's span replaced in them (a later export of a period replaces
 * that period only), and the points that change are stored as new versions switched in with one
 * conditional write of the head (see UtilityReadingsStore.replace). The same file imported again
 * changes no point and writes nothing; an import that another one overtook is refused (409) and
 * leaves no trace.
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
  const head = await deps.utilityReadings.head();
  // Every month of a point: its new version carries them all.
  const stored = await readInSlices(points, ({ point }) => deps.utilityReadings.months(head, point));
  const changed = new Map<string, CurveMonth[]>();
  let months = 0;
  points.forEach(({ point, curve, span }, i) => {
    const before = stored[i] ?? [];
    const after = applyImport(before, curveMonths(point, curve, intervalSeconds), span);
    months += after.filter((m) => m.month >= monthOf(span.from) && m.month <= monthOf(span.to - 1)).length;
    if (!sameMonths(before, after)) changed.set(point, after);
  });
  if (changed.size > 0 && (await deps.utilityReadings.replace(head, changed)) === 'conflict') {
    throw new DomainError(
      'conflict',
      'another import of utility readings was stored while this one ran; nothing of this one was: send the file again',
    );
  }
  const from = Math.min(...points.map(({ span }) => span.from));
  const to = Math.max(...points.map(({ span }) => span.to));
  const count = points.reduce((sum, { curve }) => sum + curve.starts.length, 0);
  const iso = (epoch: number) => (Number.isFinite(epoch) ? new Date(epoch * 1000).toISOString() : null);
  return {
    ok: true,
    value: { deliveryPoints: points.length, months, readings: count, from: iso(from), to: iso(to) },
  };
}
