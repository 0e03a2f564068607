/**
 * Plans one night for 200,000 luminaires along streets spread over a 20 km box around Paris and prints
 * `plan-night: <N> luminaire-nights/s, max sun error <E> s, peak <M> MB`.
 * - speed: the median of several runs, each timed by the CPU time the process used (not wall time,
 *   which other processes on a shared machine inflate);
 * - sun error: the sun field against suncalc called directly, at every luminaire and for every event;
 * - peak: the process's peak resident memory. Garbage is collected between runs, so the peak is
 *   the city plus one night's plan, not several runs' uncollected plans.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  boundsOf,
  Config,
  type ConfigInput,
  maxFieldError,
  NO_CIRCUITS,
  nightWindow,
  planNight,
  SunField,
  ZoneClock,
} from '#schedules/index.ts';
import { CENTRE, city } from './synthetic-city.ts';

const COUNT = 200_000;
const RUNS = 7;
const NIGHT = '2026-06-21';
const config: ConfigInput = {
  site: {
    name: 'Paris',
    timezone: 'Europe/Paris',
    latitude: CENTRE.lat,
    longitude: CENTRE.lon,
    tariffEurPerKwh: 0.2,
    co2KgPerKwh: 0.053,
  },
  profiles: {
    residential: {
      on: { event: 'sunset', offsetMinutes: 10 },
      off: { event: 'sunrise', offsetMinutes: -10 },
      steps: [
        { at: '22:30', level: 70 },
        { at: '00:30', level: 0 },
        { at: '05:00', level: 70 },
      ],
    },
    arterial: {
      on: { event: 'civilDusk', offsetMinutes: -20 },
      off: { event: 'civilDawn', offsetMinutes: 20 },
      steps: [
        { at: '23:00', level: 60 },
        { at: '05:30', level: 100 },
      ],
    },
    park: { on: { event: 'sunset' }, off: '01:00', onLevel: 80 },
  },
  calendar: [
    { profile: 'residential', priority: 0 },
    { profile: 'arterial', zones: ['z0-0', 'z1-1', 'z2-2', 'z3-3', 'z4-0'], priority: 10 },
    { profile: 'park', zones: ['z2-1'], weekdays: ['sat', 'sun'], priority: 20 },
  ],
  overrides: [
    {
      id: 'fete-de-la-musique',
      target: { zones: ['z2-2'] },
      level: 100,
      from: '2026-06-21T22:00:00+02:00',
      until: '2026-06-22T02:00:00+02:00',
      reason: 'Fête de la musique',
    },
  ],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const parsed = Config.parse(config);
const luminaires = city(COUNT);
const rates: number[] = [];
let lit = 0;
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
for (let run = 0; run < RUNS; run++) {
  collectGarbage();
  const start = process.cpuUsage();
  const plan = planNight(parsed, luminaires, NIGHT, NO_CIRCUITS);
  const used = process.cpuUsage(start);
  rates.push(COUNT / ((used.user + used.system) / 1e6));
  lit = plan.luminaires.filter((l) => l.on !== null).length;
}
if (lit !== COUNT) throw new Error(`expected every luminaire lit on ${NIGHT}, got ${lit}`);
const window = nightWindow(ZoneClock.of(parsed.site.timezone), NIGHT);
const sunError = maxFieldError(new SunField(window, boundsOf(luminaires)), window, luminaires);
const peakMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `plan-night: ${Math.round(median(rates))} luminaire-nights/s, max sun error ${sunError.toFixed(3)} s, peak ${Math.round(peakMb)} MB`,
);
