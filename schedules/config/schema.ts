import { z } from 'zod';

/**
 * The site configuration, as technicians write it (JSON). These schemas are the single source of
 * truth for the domain types: every other module imports the inferred types from here.
 */

export const HHMM = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local wall-clock time "HH:MM" (00:00 to 23:59)');

export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date "YYYY-MM-DD"')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'not a calendar date',
    },
  );
export type LocalDate = z.infer<typeof LocalDate>;

export const SUN_EVENTS = [
  'sunset',
  'sunrise',
  'civilDusk',
  'civilDawn',
  'nauticalDusk',
  'nauticalDawn',
] as const;
export const SunEvent = z.enum(SUN_EVENTS);
export type SunEvent = z.infer<typeof SunEvent>;

export const EventTime = z.strictObject({
  event: SunEvent,
  offsetMinutes: z.number().int().min(-720).max(720).default(0),
});

/** A switch point: a local wall clock "HH:MM" or an astronomical event with an offset. */
export const TimeSpec = z.union([HHMM, EventTime]);
export type TimeSpec = z.infer<typeof TimeSpec>;

export const Level = z.number().int().min(0, 'level must be 0..100').max(100, 'level must be 0..100');

export const Step = z.strictObject({ at: TimeSpec, level: Level });

export const Profile = z.strictObject({
  description: z.string().optional(),
  on: TimeSpec,
  off: TimeSpec,
  onLevel: Level.default(100),
  steps: z.array(Step).default([]),
  /** Ramp time the controller uses between levels (TALQ "ramp"); informative for the energy model. */
  fadeSeconds: z.number().int().min(0).max(600).default(0),
  /** Where the sun does not rise that night (polar night): lit for the whole window or not. */
  polarNight: z.enum(['lit', 'off']).default('lit'),
});
export type Profile = z.infer<typeof Profile>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** A date that repeats every year, "MM-DD"; "02-29" is a real date, so it selects leap years only. */
export const MonthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, { message: 'expected a yearly date "MM-DD"', abort: true })
  .refine((s) => LocalDate.safeParse(`2000-${s}`).success, {
    message: 'not a day of the year (01-01 to 12-31; 02-29 selects leap years only)',
  });
export type MonthDay = z.infer<typeof MonthDay>;

/** The French public holidays (Code du travail L3133-1), and the two Alsace-Moselle adds. */
export const FRENCH_HOLIDAYS = [
  'newYear',
  'goodFriday',
  'easterMonday',
  'labourDay',
  'victoryDay',
  'ascension',
  'whitMonday',
  'nationalDay',
  'assumption',
  'allSaints',
  'armistice',
  'christmas',
  'stStephen',
] as const;
export type FrenchHoliday = (typeof FRENCH_HOLIDAYS)[number];

/** Groups of holidays: `fr` the 11 national ones; `fr-alsace-moselle` those plus Good Friday and 26 December. */
export const HOLIDAY_GROUPS = ['fr', 'fr-alsace-moselle'] as const;
export type HolidayGroup = (typeof HOLIDAY_GROUPS)[number];
export const HolidaySelector = z.enum([...HOLIDAY_GROUPS, ...FRENCH_HOLIDAYS]);
export type HolidaySelector = z.infer<typeof HolidaySelector>;

export const CalendarRule = z.strictObject({
  id: z.string().min(1).max(64).optional(),
  profile: z.string().min(1),
  priority: z.number().int().min(0).max(1000).default(0),
  zones: z.array(z.string().min(1)).min(1).optional(),
  streets: z.array(z.string().min(1)).min(1).optional(),
  luminaires: z.array(z.string().min(1)).min(1).optional(),
  weekdays: z.array(Weekday).min(1).optional(),
  dates: z.array(LocalDate).min(1).optional(),
  /** Every year's night starting on these dates. `dates`, `yearly` and `holidays` add up. */
  yearly: z.array(MonthDay).min(1).max(366).optional(),
  /** The nights starting on these public holidays (computed per year, Easter included). */
  holidays: z
    .array(HolidaySelector)
    .min(1)
    .max(HOLIDAY_GROUPS.length + FRENCH_HOLIDAYS.length)
    .optional(),
  /** Inclusive range of nights, by the date the night starts. */
  from: LocalDate.optional(),
  to: LocalDate.optional(),
});
export type CalendarRule = z.infer<typeof CalendarRule>;

const IsoInstant = z.iso.datetime({ offset: true });

export const OverrideTarget = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({
    zones: z.array(z.string().min(1)).min(1).optional(),
    streets: z.array(z.string().min(1)).min(1).optional(),
    luminaires: z.array(z.string().min(1)).min(1).optional(),
  }),
]);

/** A manual command with a start and an expiry; it beats every calendar rule while it lasts. */
export const Override = z
  .strictObject({
    id: z.string().min(1).max(64),
    target: OverrideTarget,
    level: Level,
    from: IsoInstant,
    until: IsoInstant,
    reason: z.string().min(1).max(500),
  })
  .refine((o) => Date.parse(o.until) > Date.parse(o.from), {
    message: 'until must be after from',
    path: ['until'],
  });
export type Override = z.infer<typeof Override>;

export const PresencePolicy = z.strictObject({
  /** Luminaires within this distance of the sensor boost. */
  radiusMeters: z.number().min(0).max(1000).default(60),
  /** Also boost luminaires of the sensor's street within `streetRadiusMeters` (a corridor of light). */
  sameStreet: z.boolean().default(true),
  streetRadiusMeters: z.number().min(0).max(2000).default(150),
  level: Level.default(100),
  holdSeconds: z.number().int().min(5).max(3600).default(120),
  fadeSeconds: z.number().int().min(0).max(600).default(3),
  /** During extinction (planned level 0): re-light on presence or leave the street dark. */
  duringExtinction: z.enum(['relight', 'ignore']).default('relight'),
});
export type PresencePolicy = z.infer<typeof PresencePolicy>;

const IanaTimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'unknown IANA time zone' },
);

export const Site = z.strictObject({
  name: z.string().min(1),
  timezone: IanaTimeZone,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  tariffEurPerKwh: z.number().min(0).max(10),
  co2KgPerKwh: z.number().min(0).max(2),
  /** Power a dimmed-to-zero or switched-off controller still draws (node + driver standby). */
  standbyWatts: z.number().min(0).max(10).default(0.5),
  currency: z.string().length(3).default('EUR'),
});
export type Site = z.infer<typeof Site>;

export const Config = z.strictObject({
  site: Site,
  profiles: z.record(z.string().min(1), Profile),
  calendar: z.array(CalendarRule).min(1),
  overrides: z.array(Override).default([]),
  presence: PresencePolicy.default(PresencePolicy.parse({})),
  /** How many nights each push covers, so a controller cut off from the network keeps lighting. */
  planNights: z.number().int().min(1).max(14).default(8),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
