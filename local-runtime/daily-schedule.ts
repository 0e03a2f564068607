import { addDays, type LocalDate, ZoneClock } from '#schedules/index.ts';

/** Clock the schedule fires on: real or simulated time, epoch seconds. */
export interface ScheduleClock {
  now(): number;
  at(t: number, fn: () => void): () => void;
}

/**
 * EventBridge Scheduler's `cron(mm hh * * ? *)` in a time zone, on a (possibly simulated) clock:
 * fires every day at the local wall-clock time, DST included, with the instant it was due.
 */
export function startDailySchedule(
  clock: ScheduleClock,
  timeZone: string,
  at: string,
  fire: (scheduledTime: number) => void,
): () => void {
  const zone = ZoneClock.of(timeZone);
  const [hours = 0, minutes = 0] = at.split(':').map(Number);
  const secondsOfDay = hours * 3600 + minutes * 60;
  let cancel: () => void = () => {};
  const arm = (from: LocalDate): void => {
    let date = from;
    while (zone.toEpoch(date, secondsOfDay) <= clock.now()) date = addDays(date, 1);
    const due = zone.toEpoch(date, secondsOfDay);
    cancel = clock.at(due, () => {
      fire(due);
      arm(addDays(date, 1));
    });
  };
  arm(zone.dateAt(clock.now()));
  return () => cancel();
}

/**
 * EventBridge Scheduler's `rate(n minutes)` on a (possibly simulated) clock: fires every
 * `everySeconds` from now, with the instant it was due.
 */
export function startRateSchedule(
  clock: ScheduleClock,
  everySeconds: number,
  fire: (scheduledTime: number) => void,
): () => void {
  let cancel: () => void = () => {};
  const arm = (due: number): void => {
    cancel = clock.at(due, () => {
      fire(due);
      arm(due + everySeconds);
    });
  };
  arm(clock.now() + everySeconds);
  return () => cancel();
}
