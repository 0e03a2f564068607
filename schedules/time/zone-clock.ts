import type { LocalDate } from '../config/schema.ts';
import { epochDayOf, localDateOfEpochDay } from './local-date.ts';

const DAY_SECONDS = 86_400;
/** Offsets are cached per 15-minute bucket: every real-world offset change falls on such a boundary. */
const BUCKET_SECONDS = 900;

/**
 * Wall-clock arithmetic for one IANA time zone, with Intl as the only source of zone rules.
 * UTC offsets are cached per 15-minute bucket, so formatting thousands of instants of one night calls
 * Intl a handful of times.
 */
export class ZoneClock {
  private static readonly clocks = new Map<string, ZoneClock>();

  static of(timeZone: string): ZoneClock {
    let clock = ZoneClock.clocks.get(timeZone);
    if (clock === undefined) {
      clock = new ZoneClock(timeZone);
      ZoneClock.clocks.set(timeZone, clock);
    }
    return clock;
  }

  private readonly formatter: Intl.DateTimeFormat;
  private readonly offsetByBucket = new Map<number, number>();

  private constructor(readonly timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Seconds to add to UTC to get local wall-clock time at `epochSeconds`. */
  offsetAt(epochSeconds: number): number {
    const bucket = Math.floor(epochSeconds / BUCKET_SECONDS);
    const cached = this.offsetByBucket.get(bucket);
    if (cached !== undefined) return cached;
    const start = bucket * BUCKET_SECONDS;
    const offset = this.intlOffsetAt(start);
    // A bucket with a change inside it (historic local mean time offsets) is never cached.
    if (this.intlOffsetAt(start + BUCKET_SECONDS - 1) !== offset) return this.intlOffsetAt(epochSeconds);
    this.offsetByBucket.set(bucket, offset);
    return offset;
  }

  /**
   * The instant of a local wall-clock time, by the "compatible" rule: a time skipped by a
   * spring-forward gap moves forward by the gap's length; a repeated autumn time takes its first
   * occurrence.
   */
  toEpoch(date: LocalDate, secondsOfDay: number): number {
    const wall = epochDayOf(date) * DAY_SECONDS + secondsOfDay;
    const offsetBefore = this.offsetAt(wall - DAY_SECONDS);
    const offsetAfter = this.offsetAt(wall + DAY_SECONDS);
    const early = wall - offsetBefore;
    const late = wall - offsetAfter;
    const earlyValid = this.offsetAt(early) === offsetBefore;
    const lateValid = this.offsetAt(late) === offsetAfter;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    // In the gap: read the wall time with the offset in force before it, which lands after the gap.
    return early;
  }

  /** The local calendar date at an instant. */
  dateAt(epochSeconds: number): LocalDate {
    const local = Math.floor(epochSeconds) + this.offsetAt(epochSeconds);
    return localDateOfEpochDay(Math.floor(local / DAY_SECONDS));
  }

  /** ISO 8601 with the local offset, to the second: `2026-06-21T21:58:00+02:00`. */
  format(epochSeconds: number): string {
    const whole = Math.floor(epochSeconds);
    const offset = this.offsetAt(whole);
    const local = whole + offset;
    const day = Math.floor(local / DAY_SECONDS);
    const secondOfDay = local - day * DAY_SECONDS;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const offsetText = `${sign}${pad2(Math.floor(abs / 3600))}:${pad2(Math.floor((abs % 3600) / 60))}`;
    return (
      `${localDateOfEpochDay(day)}T${pad2(Math.floor(secondOfDay / 3600))}:` +
      `${pad2(Math.floor((secondOfDay % 3600) / 60))}:${pad2(secondOfDay % 60)}${offsetText}`
    );
  }

  private intlOffsetAt(epochSeconds: number): number {
    const parts = this.formatter.formatToParts(new Date(epochSeconds * 1000));
    const field = (type: Intl.DateTimeFormatPartTypes): number =>
      Number(parts.find((part) => part.type === type)?.value);
    const wall =
      Date.UTC(
        field('year'),
        field('month') - 1,
        field('day'),
        field('hour'),
        field('minute'),
        field('second'),
      ) / 1000;
    return wall - epochSeconds;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
