import type { Cabinet, Luminaire } from '#schedules/index.ts';

/** The benches' synthetic city: streets of luminaires in a 20 km box around Paris, the same every run. */
export const CENTRE = { lat: 48.8566, lon: 2.3522 };
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
export function city(count: number): Luminaire[] {
  const next = random(20260621);
  const luminaires: Luminaire[] = [];
  for (let s = 0; luminaires.length < count; s++) {
    let lat = CENTRE.lat + (next() * 2 - 1) * HALF_LAT;
    let lon = CENTRE.lon + (next() * 2 - 1) * HALF_LON;
    const heading = next() * 2 * Math.PI;
    const length = 150 + next() * 1350;
    const zone = `z${Math.floor(((lat - CENTRE.lat + HALF_LAT) / (2 * HALF_LAT)) * 5)}-${Math.floor(((lon - CENTRE.lon + HALF_LON) / (2 * HALF_LON)) * 4)}`;
    const ledWatts = [25, 40, 60, 90][s % 4] as number;
    const minLevel = [0, 10, 20][s % 3] as number;
    for (let along = 0; along <= length && luminaires.length < count; ) {
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

/** A city's luminaires wired to cabinets, and the cabinets. */
export interface CabledCity {
  readonly luminaires: Luminaire[];
  readonly cabinets: Cabinet[];
}

/** The tariff options the cabinets are billed on, in turn. */
export const CABINET_OPTIONS = ['ep-c5', 'ep-c4'] as const;

/**
 * The city's luminaires behind cabinets, as the example site is wired: a cabinet every 50–70
 * luminaires in inventory order (street after street, never across zones), 45 % of them connected,
 * 35 % astronomical clocks (every other one with a night cut), 20 % plain contactors, billed on the
 * tariff options in turn. One connected cabinet in three drives luminaires that have no controller
 * of their own (`controller: none`): metered by nothing but stipulated from the cabinet's plan.
 */
export function withCabinets(luminaires: readonly Luminaire[]): CabledCity {
  const next = random(20261130);
  const cabinets: Cabinet[] = [];
  const wired: Luminaire[] = [];
  let size = 0;
  let cabinet: Cabinet | undefined;
  for (const luminaire of luminaires) {
    if (cabinet === undefined || size === 0 || cabinet.zone !== luminaire.zone) {
      const n = cabinets.length;
      const draw = next();
      const controller = draw < 0.45 ? 'connected' : draw < 0.8 ? 'clock' : 'none';
      cabinet = {
        id: `CAB-${String(n).padStart(5, '0')}`,
        lat: luminaire.lat,
        lon: luminaire.lon,
        zone: luminaire.zone,
        deliveryPointId: String(20_000_000_000_000 + n),
        subscribedKva: 12,
        tariffOption: CABINET_OPTIONS[n % CABINET_OPTIONS.length] as string,
        controller,
        thingName: `CAB-${String(n).padStart(5, '0')}`,
        lineLossPercent: 3,
        ...(controller === 'clock' && n % 2 === 0 ? { nightCut: '23:30-05:30' } : {}),
      };
      cabinets.push(cabinet);
      size = 50 + Math.floor(next() * 21);
    }
    const cabinetOnly = cabinet.controller === 'connected' && Number(cabinet.id.slice(4)) % 3 === 0;
    wired.push({
      ...luminaire,
      cabinet: cabinet.id,
      ...(cabinetOnly ? { controller: 'none' as const } : {}),
    });
    size--;
  }
  return { luminaires: wired, cabinets };
}
