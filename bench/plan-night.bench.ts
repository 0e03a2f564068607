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
  type Luminaire,
  maxFieldError,
  nightWindow,
  planNight,
  SunField,
  ZoneClock,
} from '../schedules/index.ts';

const COUNT = 200_000;
const RUNS = 7;
const NIGHT = '2026-06-21';
const CENTRE = { lat: 48.8566, lon: 2.3522 };
/** Half the box: 10 km north-south and east-west. */
const HALF_LAT = 10 / 111.2;
const HALF_LON = 10 / (111.2 * Math.cos((CENTRE.lat * Math.PI) / 180));

/** mulberry32: a small deterministic generator, so every run plans the same city. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Metres per degree of latitude, and of longitude at the centre. */
const M_LAT = 111_200;
const M_LON = 111_200 * Math.cos((CENTRE.lat * Math.PI) / 180);

/**
 * A city as an inventory lists it: street after street, a luminaire every 25-35 m along streets of
 * 150 m to 1.5 km in every direction, one fixture type per street; zones are a 5 x 4 grid of
 * districts (by where the street starts).
 */
function city(): Luminaire[] {
  const next = random(20260621);
  const luminaires: Luminaire[] = [];
  for (let s = 0; luminaires.length < COUNT; s++) {
    let lat = CENTRE.lat + (next() * 2 - 1) * HALF_LAT;
    let lon = CENTRE.lon + (next() * 2 - 1) * HALF_LON;
    const heading = next() * 2 * Math.PI;
    const length = 150 + next() * 1350;
    const zone = `z${Math.floor(((lat - CENTRE.lat + HALF_LAT) / (2 * HALF_LAT)) * 5)}-${Math.floor(((lon - CENTRE.lon + HALF_LON) / (2 * HALF_LON)) * 4)}`;
    const ledWatts = [25, 40, 60, 90][s % 4] as number;
    const minLevel = [0, 10, 20][s % 3] as number;
    for (let along = 0; along <= length && luminaires.length < COUNT; ) {
      const id = `L-${luminaires.length}`;
      luminaires.push({
        id,
        lat,
        lon,
        street: `street-${s}`,
        zone,
        ledWatts,
        baselineWatts: ledWatts * 2.5,
        minLevel,
        thingName: id,
      });
      const spacing = 25 + next() * 10;
      along += spacing;
      lat += (spacing * Math.cos(heading)) / M_LAT;
      lon += (spacing * Math.sin(heading)) / M_LON;
    }
  }
  return luminaires;
}

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
const luminaires = city();
const rates: number[] = [];
let lit = 0;
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
for (let run = 0; run < RUNS; run++) {
  collectGarbage();
  const start = process.cpuUsage();
  const plan = planNight(parsed, luminaires, NIGHT);
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
