import { z } from 'zod/mini';
import { LIVE_STATES } from './live-state.ts';

/**
 * An array of numbers from `min` to `max` (integers when `integer`), checked in one loop: a schema
 * per entry made checking the map's 200,000 luminaires the larger part of its worker's time.
 */
function numberColumn(min: number, max: number, integer: boolean) {
  const isEntry = (n: unknown) =>
    typeof n === 'number' && n >= min && n <= max && (!integer || Number.isInteger(n));
  const range = max === Number.POSITIVE_INFINITY ? `at least ${min}` : `from ${min} to ${max}`;
  return z.custom<number[]>(
    (value) => {
      if (!Array.isArray(value)) return false;
      for (const n of value) if (!isEntry(n)) return false;
      return true;
    },
    `must be an array of ${integer ? 'integers' : 'numbers'} ${range}`,
  );
}

const Coordinate = numberColumn(-180, 180, false);
const Index = numberColumn(0, Number.POSITIVE_INFINITY, true);

/**
 * `GET /luminaires/state`: one page of the site's live state in columns (the i-th entry of every
 * column is the i-th luminaire), so 200,000 luminaires travel as a few arrays of numbers rather
 * than as objects. `zone` and `street` index into `zones` and `streets`; `state` into LIVE_STATES;
 * `age` is the seconds between the luminaire's last report and `at` (-1: it never reported).
 * Written with zod/mini, which keeps small the scripts of API clients that check pages in the
 * browser (classic zod would add some 25 KB gzip). A module of its own: the console reads the
 * binary format (live-state-binary.ts), and its map's scripts do not carry this schema.
 */
export const LiveStatePage = z.object({
  /** When the sweep took the snapshot (ISO 8601); null before the first sweep. */
  at: z.nullable(z.string()),
  reportIntervalSeconds: z.int().check(z.minimum(1)),
  zones: z.array(z.string()),
  streets: z.array(z.string()),
  ids: z.array(z.string()),
  lon: Coordinate,
  lat: Coordinate,
  zone: Index,
  street: Index,
  state: numberColumn(0, LIVE_STATES.length - 1, true),
  level: numberColumn(0, 100, true),
  age: numberColumn(-1, Number.POSITIVE_INFINITY, true),
  /** The `after` of the next page, when there is one. */
  next: z.optional(z.string()),
});
export type LiveStatePage = z.infer<typeof LiveStatePage>;

/** What a page says besides its columns, in either of its formats. */
export type LiveStatePageHead = Pick<
  LiveStatePage,
  'at' | 'reportIntervalSeconds' | 'zones' | 'streets' | 'next'
>;
