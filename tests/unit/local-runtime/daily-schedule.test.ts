import { describe, expect, it } from 'vitest';
import { ManualClock } from '#device-sim/clock.ts';
import { startDailySchedule, startRateSchedule } from '#local-runtime/daily-schedule.ts';
import { ZoneClock } from '#schedules/index.ts';

const paris = ZoneClock.of('Europe/Paris');

describe('local daily schedule (EventBridge Scheduler cron in the site zone)', () => {
  it('fires every day at the local wall-clock time, across the spring DST change', () => {
    const clock = new ManualClock(paris.toEpoch('2026-03-27', 14 * 3600));
    const fired: string[] = [];
    const cancel = startDailySchedule(clock, 'Europe/Paris', '13:00', (due) => fired.push(paris.format(due)));
    clock.advance(4 * 86_400);
    cancel();
    expect(fired).toEqual([
      '2026-03-28T13:00:00+01:00',
      '2026-03-29T13:00:00+02:00',
      '2026-03-30T13:00:00+02:00',
      '2026-03-31T13:00:00+02:00',
    ]);
  });

  it('fires no more once cancelled', () => {
    const clock = new ManualClock(paris.toEpoch('2026-06-21', 12 * 3600));
    let fired = 0;
    const cancel = startDailySchedule(clock, 'Europe/Paris', '13:00', () => {
      fired += 1;
    });
    clock.advance(3600 + 1);
    cancel();
    clock.advance(3 * 86_400);
    expect(fired).toBe(1);
  });
});

describe('local rate schedule (EventBridge Scheduler rate)', () => {
  it('fires every interval from its start with the due instant, and no more once cancelled', () => {
    const start = paris.toEpoch('2026-06-21', 12 * 3600);
    const clock = new ManualClock(start);
    const fired: number[] = [];
    const cancel = startRateSchedule(clock, 900, (due) => fired.push(due - start));
    clock.advance(3 * 900 + 10);
    cancel();
    clock.advance(3600);
    expect(fired).toEqual([900, 1800, 2700]);
  });
});
