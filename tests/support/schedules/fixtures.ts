import { Cabinet, Config, type ConfigInput, Luminaire, type LuminaireInput } from '#schedules/index.ts';

/** The example config (Carcassonne), extended with a festival profile. */
export const carcassonne: ConfigInput = {
  site: {
    name: 'Carcassonne',
    timezone: 'Europe/Paris',
    latitude: 43.213,
    longitude: 2.3491,
    tariffEurPerKwh: 0.2,
    co2KgPerKwh: 0.053,
  },
  profiles: {
    residential: {
      on: { event: 'sunset', offsetMinutes: 10 },
      off: { event: 'sunrise', offsetMinutes: -10 },
      onLevel: 100,
      steps: [
        { at: '22:30', level: 70 },
        { at: '00:30', level: 0 },
        { at: '05:00', level: 70 },
      ],
    },
    festival: { on: { event: 'sunset' }, off: { event: 'sunrise' } },
  },
  calendar: [
    { profile: 'residential', priority: 0 },
    { profile: 'festival', zones: ['cite'], dates: ['2026-07-14'], priority: 10 },
  ],
};

export function config(overrides: Partial<ConfigInput> = {}): Config {
  return Config.parse({ ...carcassonne, ...overrides });
}

/** The example config with the residential profile ramping over `fadeSeconds` between lit levels. */
export function withResidentialFade(fadeSeconds: number, overrides: Partial<ConfigInput> = {}): Config {
  const profiles = carcassonne.profiles;
  return config({
    profiles: {
      ...profiles,
      residential: { ...profiles.residential, fadeSeconds },
    } as ConfigInput['profiles'],
    ...overrides,
  });
}

let next = 0;
export function luminaire(fields: Partial<LuminaireInput> = {}): Luminaire {
  next++;
  return Luminaire.parse({
    id: `L-${String(next).padStart(4, '0')}`,
    lat: 43.213,
    lon: 2.3491,
    street: 'Rue de Verdun',
    zone: 'bastide',
    ledWatts: 40,
    baselineWatts: 150,
    ...fields,
  });
}

/** A profile lit 18:00 to 08:00 with `count` half-hourly steps from 18:30, each changing the level. */
/** Cabinet CAB-1 in the bastide, switching by `controller`, cut at night by `nightCut` (a clock's). */
export const cabinet = (controller: 'none' | 'clock' | 'connected', nightCut?: string): Cabinet =>
  Cabinet.parse({
    id: 'CAB-1',
    lat: 43.214,
    lon: 2.35,
    zone: 'bastide',
    deliveryPointId: '12345678901234',
    subscribedKva: 9,
    tariffOption: 'base',
    controller,
    ...(nightCut === undefined ? {} : { nightCut }),
  });

export function halfHourlyProfile(count: number): NonNullable<ConfigInput['profiles']>[string] {
  const at = (i: number) => {
    const minutes = (18 * 60 + 30 * (i + 1)) % (24 * 60);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  return {
    on: '18:00',
    off: '08:00',
    steps: Array.from({ length: count }, (_, i) => ({ at: at(i), level: i % 2 === 0 ? 50 : 80 })),
  };
}

/**
 * An example tariff shaped like a French public-lighting offer: off-peak hours (heures creuses)
 * 22:00-06:00 every night, a fixed part per kVA, the excise, CTA and VAT as lines. The rates are
 * examples, not a price list in force.
 */
export const offPeakTariff = {
  id: 'ep-hphc-2026',
  label: 'Éclairage public, heures pleines / creuses (example rates)',
  validFrom: '2026-01-01',
  subscriptionEurPerKvaMonth: 1.5,
  seasons: [
    {
      name: 'all-year',
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      periods: [
        {
          name: 'HC',
          eurPerKwh: 0.12,
          slots: [
            { from: '00:00', to: '06:00' },
            { from: '22:00', to: '24:00' },
          ],
        },
        { name: 'HP', eurPerKwh: 0.18, slots: [{ from: '06:00', to: '22:00' }] },
      ],
    },
  ],
  taxes: [
    { kind: 'per-kwh', name: 'Accise sur l’électricité', eurPerKwh: 0.0225 },
    { kind: 'percent', name: 'CTA', percent: 21.93, of: 'subscription' },
    { kind: 'percent', name: 'TVA', percent: 20, of: 'subtotal' },
  ],
} as const;
