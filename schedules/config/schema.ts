import { z } from 'zod';
import { LuminaireId, PlaceName } from '../inventory/schema.ts';
import { coverageIssues, slotMinutes, validityOverlaps } from '../tariff/periods.ts';

/**
 * The site configuration, as technicians write it (JSON). These schemas are the single source of
 * truth for the domain types: every other module imports the inferred types from here.
 */

/**
 * Names that become object keys or item ids (profile names, rule and override ids) must not be the
 * names `Object.prototype` gives every object (`__proto__`, `constructor`, `toString` ...) nor
 * `prototype`: as a key they reach or replace the prototype instead of storing an item.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

export const RESERVED_NAME_MESSAGE =
  'reserved name (__proto__, constructor, prototype and the other Object.prototype members)';

/** The longest profile name, rule id or override id: it is part of a DynamoDB sort key and of paths. */
export const MAX_NAME_LENGTH = 64;

/** A profile name, calendar rule id or override id: the one rule for every name used as a key or id. */
export const Name = z
  .string()
  .min(1, 'a name must not be empty')
  .max(MAX_NAME_LENGTH, `a name must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((name) => !RESERVED_NAMES.has(name), { message: RESERVED_NAME_MESSAGE });

/** Bounds on lists and texts, so an oversize input is a validation error and not a failed write. */
export const LIMITS = {
  descriptionChars: 1000,
  steps: 48,
  zones: 200,
  streets: 200,
  luminaires: 2000,
  dates: 366,
  profiles: 200,
  calendarRules: 500,
  overrides: 1000,
} as const;

const atMost = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item).min(1).max(max, `at most ${max} ${what}`);

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
  description: z
    .string()
    .max(LIMITS.descriptionChars, `a description must be at most ${LIMITS.descriptionChars} characters`)
    .optional(),
  on: TimeSpec,
  off: TimeSpec,
  onLevel: Level.default(100),
  steps: z.array(Step).max(LIMITS.steps, `at most ${LIMITS.steps} steps`).default([]),
  /** Ramp time the controller uses between levels (TALQ "ramp"); informative for the energy model. */
  fadeSeconds: z.number().int().min(0).max(600).default(0),
  /** Where the sun does not rise that night (polar night): lit for the whole window or not. */
  polarNight: z.enum(['lit', 'off']).default('lit'),
});
export type Profile = z.infer<typeof Profile>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

/** Which luminaires a rule or an override selects (every list given must match). */
const SELECTORS = {
  zones: atMost(PlaceName, LIMITS.zones, 'zones').optional(),
  streets: atMost(PlaceName, LIMITS.streets, 'streets').optional(),
  luminaires: atMost(LuminaireId, LIMITS.luminaires, 'luminaires').optional(),
};

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
  id: Name.optional(),
  profile: Name,
  priority: z.number().int().min(0).max(1000).default(0),
  ...SELECTORS,
  weekdays: atMost(Weekday, WEEKDAYS.length, 'weekdays').optional(),
  dates: atMost(LocalDate, LIMITS.dates, 'dates').optional(),
  /** Every year's night starting on these dates. `dates`, `yearly` and `holidays` add up. */
  yearly: atMost(MonthDay, LIMITS.dates, 'yearly dates').optional(),
  /** The nights starting on these public holidays (computed per year, Easter included). */
  holidays: atMost(HolidaySelector, HOLIDAY_GROUPS.length + FRENCH_HOLIDAYS.length, 'holidays').optional(),
  /** Inclusive range of nights, by the date the night starts. */
  from: LocalDate.optional(),
  to: LocalDate.optional(),
});
export type CalendarRule = z.infer<typeof CalendarRule>;

const IsoInstant = z.iso.datetime({ offset: true });

export const OverrideTarget = z.union([z.strictObject({ all: z.literal(true) }), z.strictObject(SELECTORS)]);

/** A manual command with a start and an expiry; it beats every calendar rule while it lasts. */
export const Override = z
  .strictObject({
    id: Name,
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

/** When the cloud raises per-luminaire alarms of its own (not-reporting). */
export const AlarmPolicy = z.strictObject({
  /** The controllers' report interval (device-sim and the protocol default: 15 minutes). */
  reportIntervalSeconds: z.number().int().min(60).max(86_400).default(900),
  /** A luminaire that has not reported for this many intervals gets a `not-reporting` alarm. */
  silentAfterIntervals: z.number().int().min(2).max(96).default(3),
});
export type AlarmPolicy = z.infer<typeof AlarmPolicy>;

/**
 * Electricity tariffs as dated data: the energy price by time period (hours of the week, by
 * season), the fixed subscription part per kVA and month, and the taxes as lines. Gaps and
 * overlaps of the periods, and tariffs valid on the same night, are config errors
 * (schedules/tariff/periods.ts).
 */
/** A slot's bounds: "HH:MM", and "24:00" for the end of the day. */
const SlotTime = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a local time "HH:MM" (00:00 to 24:00)');

/** Local wall-clock hours of some weekdays, `from` inclusive, `to` exclusive (a night slot is two slots). */
export const TariffSlot = z
  .strictObject({
    days: z
      .array(Weekday)
      .min(1)
      .max(WEEKDAYS.length)
      .default([...WEEKDAYS]),
    from: SlotTime,
    to: SlotTime,
  })
  .refine((slot) => slotMinutes(slot.to) > slotMinutes(slot.from), {
    message:
      'to must be after from (split a slot that crosses midnight into two: 22:00-24:00 and 00:00-06:00)',
    path: ['to'],
  });
export type TariffSlot = z.infer<typeof TariffSlot>;

/** A time period of a tariff (heures creuses, heures pleines, base...) and its energy price, taxes excluded. */
export const TariffPeriod = z.strictObject({
  name: Name,
  eurPerKwh: z.number().min(0).max(10),
  slots: z.array(TariffSlot).min(1).max(50, 'at most 50 slots'),
});
export type TariffPeriod = z.infer<typeof TariffPeriod>;

export const TariffSeason = z.strictObject({
  name: Name,
  /** Months of the year (1 = January) the season's periods apply to, by the local date. */
  months: z.array(z.number().int().min(1).max(12)).min(1).max(12),
  periods: z.array(TariffPeriod).min(1).max(12, 'at most 12 periods'),
});
export type TariffSeason = z.infer<typeof TariffSeason>;

/**
 * A tax line, applied in order: `per-kwh` on the energy consumed (the excise on electricity,
 * formerly CSPE); `percent` of the energy part, of the subscription part, or of the subtotal of
 * everything before the line (VAT).
 */
export const TaxLine = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('per-kwh'),
    name: z.string().min(1).max(64),
    eurPerKwh: z.number().min(0).max(1),
  }),
  z.strictObject({
    kind: z.literal('percent'),
    name: z.string().min(1).max(64),
    percent: z.number().min(0).max(100),
    of: z.enum(['energy', 'subscription', 'subtotal']),
  }),
]);
export type TaxLine = z.infer<typeof TaxLine>;

/** A delivery point's contract option, e.g. `ep-c5`: what cabinets name as their `tariffOption`. */
export const TariffOption = z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1-40 characters of [a-z0-9-]');

export const Tariff = z
  .strictObject({
    id: Name,
    /**
     * The option this tariff prices (cabinets name it); tariffs of different options may be valid on
     * the same night. Without it, the tariff is the site's one.
     */
    option: TariffOption.optional(),
    /** What the report prints, e.g. "EDF Éclairage public, heures pleines / creuses". */
    label: z.string().min(1).max(200),
    /** Nights from `validFrom` to `validTo` (inclusive, by the date the night starts); open-ended without `validTo`. */
    validFrom: LocalDate,
    validTo: LocalDate.optional(),
    /** Where the figures come from (contract, price list and its date). */
    source: z.string().max(500).optional(),
    subscriptionEurPerKvaMonth: z.number().min(0).max(100).default(0),
    seasons: z.array(TariffSeason).min(1).max(12),
    taxes: z.array(TaxLine).max(20).default([]),
  })
  .refine((t) => t.validTo === undefined || t.validTo >= t.validFrom, {
    message: 'validTo must not be before validFrom',
    path: ['validTo'],
  })
  .superRefine((tariff, ctx) => {
    for (const issue of coverageIssues(tariff)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type Tariff = z.infer<typeof Tariff>;

/** The dated tariffs of a site: validity ranges must not overlap. */
export const Tariffs = z
  .array(Tariff)
  .max(50, 'at most 50 tariffs')
  .superRefine((tariffs, ctx) => {
    tariffs.forEach((tariff, i) => {
      const other = tariffs.findIndex(
        (t, j) => j < i && t.option === tariff.option && validityOverlaps(t, tariff),
      );
      if (other >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'validFrom'],
          message: `validity overlaps tariff "${tariffs[other]?.id}" (at most one tariff of an option per night)`,
        });
      }
    });
  });

/** The targets of an energy-performance contract, checked by the report's KPIs. */
export const PerformanceContract = z.strictObject({
  /** Guaranteed savings against the baseline (0.66 = 66 %). */
  guaranteedSavingsShare: z.number().min(0).max(1),
  /** Largest failure rate the contract allows (0.01 = 1 % of luminaires with a fault alarm in the period). */
  maxFailureRate: z.number().min(0).max(1).optional(),
});
export type PerformanceContract = z.infer<typeof PerformanceContract>;

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

/**
 * What the light-nuisance order needs to know of a zone of the inventory: whether it is in a built-up
 * area (en agglomération, which sets some limits), its commune, and the time its site or activity
 * closes (parks, heritage sites, car parks of activity areas must be off a set time after it).
 */
export const ZoneFacts = z.strictObject({
  inBuiltUpArea: z.boolean({ error: 'inBuiltUpArea must be true or false' }),
  commune: z
    .string()
    .min(1, 'commune must not be empty')
    .max(128, 'commune must be at most 128 characters')
    .optional(),
  closesAt: HHMM.optional(),
});
export type ZoneFacts = z.infer<typeof ZoneFacts>;

export const Site = z.strictObject({
  name: z.string().min(1).max(128),
  timezone: IanaTimeZone,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** The flat energy price: the tariff of a site without `tariffs`, and of nights no tariff is valid on. */
  tariffEurPerKwh: z.number().min(0).max(10),
  tariffs: Tariffs.default([]),
  /** What a performance contract guarantees, for the report's KPIs. */
  contract: PerformanceContract.optional(),
  co2KgPerKwh: z.number().min(0).max(2),
  /** Power a dimmed-to-zero or switched-off controller still draws (node + driver standby). */
  standbyWatts: z.number().min(0).max(10).default(0.5),
  currency: z.string().length(3).default('EUR'),
  /** Who publishes the open data (the DCAT catalogue's publisher); the site name when absent. */
  publisher: z
    .strictObject({ name: z.string().min(1).max(200), url: z.url().max(500).optional() })
    .optional(),
  /** Per zone name of the inventory; a zone left out has none of these facts known. */
  zones: z
    .record(PlaceName, ZoneFacts)
    .refine((zones) => Object.keys(zones).length <= LIMITS.zones, {
      message: `at most ${LIMITS.zones} zones`,
    })
    .optional(),
});
export type Site = z.infer<typeof Site>;

export const Config = z.strictObject({
  site: Site,
  profiles: z.record(Name, Profile).refine((profiles) => Object.keys(profiles).length <= LIMITS.profiles, {
    message: `at most ${LIMITS.profiles} profiles`,
  }),
  calendar: z.array(CalendarRule).min(1).max(LIMITS.calendarRules, `at most ${LIMITS.calendarRules} rules`),
  overrides: z.array(Override).max(LIMITS.overrides, `at most ${LIMITS.overrides} overrides`).default([]),
  presence: PresencePolicy.default(PresencePolicy.parse({})),
  alarms: AlarmPolicy.default(AlarmPolicy.parse({})),
  /** How many nights each push covers, so a controller cut off from the network keeps lighting. */
  planNights: z.number().int().min(1).max(14).default(8),
});
export type Config = z.infer<typeof Config>;
export type ConfigInput = z.input<typeof Config>;
