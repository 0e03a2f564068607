import type { StreetNight } from '#schedules/public/street-schedule.ts';

/** Lower case without accents or punctuation: "Rue Aimé-Ramond" is found by "aime ramond". */
export const searchable = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The streets whose name holds every word typed, at most `limit`, in the order given. */
export function findStreets(streets: readonly StreetNight[], typed: string, limit = 20): StreetNight[] {
  const words = searchable(typed)
    .split(' ')
    .filter((word) => word.length > 0);
  if (words.length === 0) return [];
  const found: StreetNight[] = [];
  for (const street of streets) {
    const name = searchable(`${street.street} ${street.zone}`);
    if (words.every((word) => name.includes(word))) found.push(street);
    if (found.length === limit) break;
  }
  return found;
}

export interface TimetableRow {
  readonly night: string;
  readonly switchOn: string | null;
  readonly switchOff: string | null;
  readonly extinctions: string;
}

/**
 * One line per night of a zone for the printed timetable: the times most of its streets follow
 * (a bulletin has room for one line a night; the streets that differ are told apart on the page).
 */
export function timetableRow(night: string, streets: readonly StreetNight[]): TimetableRow {
  const counts = new Map<string, { count: number; street: StreetNight }>();
  for (const street of streets) {
    const key = JSON.stringify([street.switchOn, street.switchOff, street.extinctions]);
    const entry = counts.get(key);
    counts.set(key, { count: (entry?.count ?? 0) + 1, street: entry?.street ?? street });
  }
  const common = [...counts.values()].sort((a, b) => b.count - a.count)[0]?.street;
  return {
    night,
    switchOn: common?.switchOn ?? null,
    switchOff: common?.switchOff ?? null,
    extinctions: (common?.extinctions ?? []).map((span) => `${span.from}–${span.to}`).join(', '),
  };
}

/** The nights of a month "YYYY-MM", as dates. */
export function nightsOfMonth(month: string): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}
