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
    const key = timesKey(rowOf(night, street));
    const entry = counts.get(key);
    counts.set(key, { count: (entry?.count ?? 0) + 1, street: entry?.street ?? street });
  }
  return rowOf(night, [...counts.values()].sort((a, b) => b.count - a.count)[0]?.street);
}

const rowOf = (night: string, street: StreetNight | undefined): TimetableRow => ({
  night,
  switchOn: street?.switchOn ?? null,
  switchOff: street?.switchOff ?? null,
  extinctions: (street?.extinctions ?? []).map((span) => `${span.from}–${span.to}`).join(', '),
});

const timesKey = (row: TimetableRow): string =>
  JSON.stringify([row.switchOn, row.switchOff, row.extinctions]);

/** A table of the printed timetable: the streets (or the zone) it is for, one line a night. */
export interface TimetableGroup {
  /** Set when the group is a zone whose streets differ some nights (its lines are its most common times). */
  readonly zone?: string;
  readonly streets: readonly string[];
  readonly rows: readonly TimetableRow[];
}

/**
 * More tables than this make a bulletin page unreadable: the commune is then printed per zone,
 * each with the times most of its streets follow.
 */
export const MAX_TIMETABLE_GROUPS = 6;

/**
 * A commune's month for the printed timetable: its streets grouped by identical times every night
 * of the month (one table each), or per zone when the streets differ too much for that.
 */
export function communeTimetable(
  nights: readonly string[],
  streets: readonly StreetNight[],
): TimetableGroup[] {
  const byStreet = new Map<string, { name: string; zone: string; nights: Map<string, StreetNight> }>();
  for (const street of streets) {
    const key = `${street.zone}\u0000${street.street}`;
    const entry = byStreet.get(key) ?? { name: street.street, zone: street.zone, nights: new Map() };
    entry.nights.set(street.night, street);
    byStreet.set(key, entry);
  }
  const groups = new Map<string, { streets: string[]; rows: TimetableRow[] }>();
  for (const street of byStreet.values()) {
    const rows = nights.map((night) => rowOf(night, street.nights.get(night)));
    const key = rows.map(timesKey).join('|');
    const group = groups.get(key) ?? { streets: [], rows };
    group.streets.push(street.name);
    groups.set(key, group);
  }
  if (groups.size <= MAX_TIMETABLE_GROUPS) {
    return [...groups.values()].map((group) => ({
      ...group,
      streets: [...new Set(group.streets)].sort(byName),
    }));
  }
  const zones = [...new Set(streets.map((street) => street.zone))].sort(byName);
  return zones.map((zone) => {
    const ofZone = streets.filter((street) => street.zone === zone);
    return {
      zone,
      streets: [...new Set(ofZone.map((street) => street.street))].sort(byName),
      rows: nights.map((night) =>
        timetableRow(
          night,
          ofZone.filter((street) => street.night === night),
        ),
      ),
    };
  });
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'fr');
