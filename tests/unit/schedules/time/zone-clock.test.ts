import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, nightWindow, wallClockInNight, weekdayOf, ZoneClock } from '#schedules/index.ts';

const paris = ZoneClock.of('Europe/Paris');
const ZONES = [
  'Europe/Paris',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];
/** 2020-01-01 .. 2035-12-31, in epoch seconds. */
const instant = fc.integer({ min: 1_577_836_800, max: 2_082_758_399 });

describe('local wall clock in a time zone', () => {
  it('formats ISO 8601 with the local offset, to the second', () => {
    expect(paris.format(Date.UTC(2026, 5, 21, 19, 58, 0) / 1000)).toBe('2026-06-21T21:58:00+02:00');
    expect(paris.format(Date.UTC(2026, 0, 5, 6, 7, 8) / 1000)).toBe('2026-01-05T07:07:08+01:00');
    expect(ZoneClock.of('America/New_York').format(Date.UTC(2026, 0, 5, 6, 7, 8) / 1000)).toBe(
      '2026-01-05T01:07:08-05:00',
    );
    expect(ZoneClock.of('Asia/Kolkata').format(0)).toBe('1970-01-01T05:30:00+05:30');
  });

  it('formats an instant that Date.parse reads back exactly, in any zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (zone, t) => {
        expect(Date.parse(ZoneClock.of(zone).format(t)) / 1000).toBe(t);
      }),
    );
  });

  it('maps the local date and time of an instant back to that instant (first occurrence when repeated)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, (zone, t) => {
        const clock = ZoneClock.of(zone);
        const text = clock.format(t);
        const seconds =
          Number(text.slice(11, 13)) * 3600 + Number(text.slice(14, 16)) * 60 + Number(text.slice(17, 19));
        const back = clock.toEpoch(clock.dateAt(t), seconds);
        // Equal, or the first occurrence of a repeated (autumn) wall time: earlier, same wall time.
        expect(back <= t).toBe(true);
        expect(clock.format(back).slice(0, 19)).toBe(text.slice(0, 19));
        if (back < t) expect(t - back).toBeLessThanOrEqual(3600);
      }),
    );
  });

  it('moves a time in the spring-forward gap forward by the gap (Paris 02:30 -> 03:30 +02:00)', () => {
    expect(paris.format(paris.toEpoch('2026-03-29', 2.5 * 3600))).toBe('2026-03-29T03:30:00+02:00');
    const lordHowe = ZoneClock.of('Australia/Lord_Howe');
    // A 30-minute gap: 02:00 -> 02:30.
    expect(lordHowe.format(lordHowe.toEpoch('2026-10-04', 2.25 * 3600))).toBe('2026-10-04T02:45:00+11:00');
  });

  it('takes the first occurrence of a repeated autumn time (Paris 02:30 -> +02:00)', () => {
    expect(paris.format(paris.toEpoch('2026-10-25', 2.5 * 3600))).toBe('2026-10-25T02:30:00+02:00');
    const ny = ZoneClock.of('America/New_York');
    expect(ny.format(ny.toEpoch('2026-11-01', 1.5 * 3600))).toBe('2026-11-01T01:30:00-04:00');
  });
});

describe('the night of a date', () => {
  it('runs from D 12:00 to D+1 12:00 local time: 23 h across spring forward, 25 h across fall back', () => {
    const spring = nightWindow(paris, '2026-03-28');
    expect(paris.format(spring.start)).toBe('2026-03-28T12:00:00+01:00');
    expect(paris.format(spring.end)).toBe('2026-03-29T12:00:00+02:00');
    expect(spring.end - spring.start).toBe(23 * 3600);
    const autumn = nightWindow(paris, '2026-10-24');
    expect(autumn.end - autumn.start).toBe(25 * 3600);
    expect(nightWindow(paris, '2026-06-21').end - nightWindow(paris, '2026-06-21').start).toBe(24 * 3600);
  });

  it('places a wall-clock time at or after 12:00 on the evening of D and an earlier one on the morning after', () => {
    expect(paris.format(wallClockInNight(paris, '2026-06-21', 12 * 60))).toBe('2026-06-21T12:00:00+02:00');
    expect(paris.format(wallClockInNight(paris, '2026-06-21', 22 * 60 + 30))).toBe(
      '2026-06-21T22:30:00+02:00',
    );
    expect(paris.format(wallClockInNight(paris, '2026-06-21', 30))).toBe('2026-06-22T00:30:00+02:00');
    expect(paris.format(wallClockInNight(paris, '2026-06-21', 11 * 60 + 59))).toBe(
      '2026-06-22T11:59:00+02:00',
    );
  });

  it('tiles time: each night starts where the previous one ends', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 5000 }), (zone, days) => {
        const clock = ZoneClock.of(zone);
        const night = addDays('2020-01-01', days);
        expect(nightWindow(clock, night).end).toBe(nightWindow(clock, addDays(night, 1)).start);
      }),
    );
  });
});

describe('calendar dates', () => {
  it('knows weekdays and adds days across months and leap years', () => {
    expect(weekdayOf('2026-07-14')).toBe('tue');
    expect(weekdayOf('2026-06-21')).toBe('sun');
    expect(weekdayOf('1970-01-01')).toBe('thu');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
