import * as SunCalc from 'suncalc';

/**
 * The controller's own astronomical clock, the safety net when it has no valid plan: night runs
 * from sunset to sunrise at the luminaire's position. It needs no network and no time zone.
 */

const DAY = 86_400;

interface SunEvent {
  readonly at: number;
  readonly night: boolean;
}

export class AstroClock {
  /** Sun events of a few solar days around the last query (suncalc costs ~9 µs a call). */
  private events: SunEvent[] = [];
  private day = Number.NaN;

  constructor(
    private readonly lat: number,
    private readonly lon: number,
  ) {}

  /** Whether the sun is below the horizon at `t` (epoch seconds). */
  isNight(t: number): boolean {
    let last: SunEvent | undefined;
    for (const event of this.around(t)) {
      if (event.at > t) break;
      last = event;
    }
    if (last !== undefined) return last.night;
    return SunCalc.getPosition(new Date(t * 1000), this.lat, this.lon).altitude < 0;
  }

  /** The next sunset or sunrise strictly after `t`, or +Infinity when the sun neither sets nor rises. */
  nextChange(t: number): number {
    for (const event of this.around(t)) if (event.at > t) return event.at;
    const later = this.around(t + 2 * DAY).find((event) => event.at > t);
    return later?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Events of the solar days before, of and after `t`, sorted. */
  private around(t: number): readonly SunEvent[] {
    const day = this.solarDay(t);
    if (day !== this.day) {
      this.day = day;
      this.events = [day - 1, day, day + 1].flatMap((d) => this.eventsOf(d)).sort((a, b) => a.at - b.at);
    }
    return this.events;
  }

  private solarDay(t: number): number {
    return Math.floor((t + (this.lon / 15) * 3600) / DAY);
  }

  private eventsOf(day: number): SunEvent[] {
    // suncalc answers for the solar day of the instant given: pass the local solar noon.
    const noon = day * DAY + DAY / 2 - (this.lon / 15) * 3600;
    const times = SunCalc.getTimes(new Date(noon * 1000), this.lat, this.lon);
    const events: SunEvent[] = [];
    if (times.sunrise !== null) events.push({ at: times.sunrise.getTime() / 1000, night: false });
    if (times.sunset !== null) events.push({ at: times.sunset.getTime() / 1000, night: true });
    return events;
  }
}
