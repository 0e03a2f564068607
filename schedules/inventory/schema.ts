import { z } from 'zod';

const ThingName = z
  .string()
  .regex(/^[a-zA-Z0-9:_-]{1,128}$/, 'thing name must be 1-128 characters of [a-zA-Z0-9:_-]');

/** A luminaire id: part of DynamoDB keys and of paths, hence bounded. */
export const LuminaireId = z
  .string()
  .min(1, 'id must not be empty')
  .max(64, 'id must be at most 64 characters');

/** A zone or street name, as the inventory and the schedule selectors write it. */
export const PlaceName = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/** The categories of installations of the light-nuisance order of 27 December 2018 (art. 1, a to g). */
export const USAGES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'] as const;
export type Usage = (typeof USAGES)[number];

/**
 * What the light-nuisance order asks the manager to hold per installation (category, colour
 * temperature, flux, upward light ratio, installation date). All optional: an inventory imported
 * before they were known stays valid, and the compliance check names what is missing.
 */
const LampFields = z.object({
  usage: z
    .enum(USAGES, { error: 'usage must be one of a, b, c, d, e, f, g (category of the order, art. 1)' })
    .optional(),
  /** Correlated colour temperature of the source, as rated. */
  colourTemperatureK: z
    .number()
    .int('colourTemperatureK must be a whole number')
    .min(1000, 'colourTemperatureK must be 1000..10000 K')
    .max(10_000, 'colourTemperatureK must be 1000..10000 K')
    .optional(),
  /** Rated luminous flux leaving the luminaire at 100 %. */
  fluxLm: z
    .number()
    .positive('fluxLm must be > 0 lm')
    .max(200_000, 'fluxLm must be at most 200000 lm')
    .optional(),
  /** Share of the luminaire's flux emitted above the horizontal, as installed (ULOR), in %. */
  upwardLightRatioPercent: z
    .number()
    .min(0, 'upwardLightRatioPercent must be 0..100')
    .max(100, 'upwardLightRatioPercent must be 0..100')
    .optional(),
  /** Date the luminaire was installed: which version of the order's rules applies to it. */
  installedOn: z.iso
    .date('installedOn must be a calendar date "YYYY-MM-DD"')
    .refine(
      (date) => date >= '1900-01-01' && date <= '2100-12-31',
      'installedOn must be 1900-01-01..2100-12-31',
    )
    .optional(),
});

/** The lamp fields of the order, optional on every luminaire. */
export const LAMP_FIELDS = Object.keys(LampFields.shape) as (keyof typeof LampFields.shape)[];

const LuminaireFields = z.strictObject({
  id: LuminaireId,
  lat: z.number().min(-90, 'latitude must be -90..90').max(90, 'latitude must be -90..90'),
  lon: z.number().min(-180, 'longitude must be -180..180').max(180, 'longitude must be -180..180'),
  street: PlaceName,
  zone: PlaceName,
  /** Rated power of the LED luminaire at 100 %. */
  ledWatts: z.number().positive('ledWatts must be > 0 W').max(1000, 'ledWatts must be at most 1000 W'),
  /** System power of the luminaire it replaced (e.g. 150 W HPS + ballast), for the baseline. */
  baselineWatts: z
    .number()
    .positive('baselineWatts must be > 0 W')
    .max(2000, 'baselineWatts must be at most 2000 W'),
  /** Lowest level the driver can hold when lit (TALQ "minimum light output"). */
  minLevel: z
    .number()
    .int('minLevel must be a whole number')
    .min(0, 'minLevel must be 0..100')
    .max(100, 'minLevel must be 0..100')
    .default(0),
  thingName: ThingName.optional(),
  /** The cabinet (armoire de commande) whose contactor feeds the luminaire. */
  cabinet: LuminaireId.optional(),
  /**
   * `node` (absent means node): the luminaire has its own controller and plan; `none`: it is switched
   * (and dimmed) only by its cabinet, so it has no device of its own.
   */
  controller: z.enum(['node', 'none'], { error: 'controller must be node or none' }).optional(),
  ...LampFields.shape,
});

/** Each luminaire field's schema. */
export const LuminaireShape = LuminaireFields.shape;

/** The field names of a luminaire record, as GeoJSON properties (plus lat/lon) and CSV columns use them. */
export const LUMINAIRE_FIELDS = Object.keys(LuminaireFields.shape) as (keyof typeof LuminaireFields.shape)[];
export type LuminaireField = (typeof LUMINAIRE_FIELDS)[number];

/**
 * One light point of the inventory, as imported from GeoJSON or CSV. Without a thing name, the
 * device is named after the id, other characters replaced by `_`. That mapping is not injective
 * (`A/1` and `A_1` both give `A_1`): a clash is refused, in a file by validateRecords and against
 * the stored inventory by the import, rather than renaming devices already provisioned.
 */
export const Luminaire = LuminaireFields.refine((l) => l.controller !== 'none' || l.cabinet !== undefined, {
  path: ['controller'],
  message: 'a luminaire without its own controller (controller none) must name its cabinet',
}).transform((l) => ({ ...l, thingName: l.thingName ?? defaultThingName(l.id) }));
export type Luminaire = z.output<typeof Luminaire>;
export type LuminaireInput = z.input<typeof Luminaire>;

const defaultThingName = (id: string): string => id.replace(/[^a-zA-Z0-9:_-]/g, '_');

/** Whether the luminaire has its own controller (a device with its plan), or only its cabinet's contactor. */
export const hasOwnController = (luminaire: Pick<Luminaire, 'controller'>): boolean =>
  luminaire.controller !== 'none';

const NIGHT_CUT = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/** Minutes from the noon a night starts at to a wall-clock "HH:MM" of that night. */
export function nightMinutes(hhmm: string): number {
  const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return (minutes + 12 * 60) % (24 * 60);
}

const CabinetFields = z.strictObject({
  id: LuminaireId,
  lat: LuminaireFields.shape.lat,
  lon: LuminaireFields.shape.lon,
  zone: PlaceName,
  commune: PlaceName.optional(),
  /** The utility's delivery point (PDL / PRM) on which the commune is billed. */
  deliveryPointId: z.string().regex(/^\d{14}$/, 'deliveryPointId must be 14 digits (PDL/PRM)'),
  subscribedKva: z
    .number()
    .positive('subscribedKva must be > 0 kVA')
    .max(250, 'subscribedKva must be at most 250 kVA'),
  /** The id of a tariff option of the config (finance prices the delivery point's energy by it). */
  tariffOption: z.string().regex(/^[a-z0-9-]{1,40}$/, 'tariffOption must be 1-40 characters of [a-z0-9-]'),
  /** `none`: a plain contactor; `clock`: an astronomical clock set by hand; `connected`: a device we plan. */
  controller: z.enum(['none', 'clock', 'connected'], {
    error: 'controller must be none, clock or connected',
  }),
  thingName: ThingName.optional(),
  /** The share of the luminaires' energy lost in the cables between the meter and the luminaires. */
  lineLossPercent: z
    .number()
    .min(0, 'lineLossPercent must be 0..20')
    .max(20, 'lineLossPercent must be 0..20')
    .default(3),
  /**
   * A `clock` cabinet's night cut (extinction en cœur de nuit), "HH:MM-HH:MM" site time: its contactor
   * opens at the first time and closes again at the second, within the night (noon to noon).
   */
  nightCut: z
    .string()
    .regex(NIGHT_CUT, 'nightCut must be "HH:MM-HH:MM", site time (e.g. 23:00-05:00)')
    .refine(
      // A malformed cut has its own message above.
      (cut) => !NIGHT_CUT.test(cut) || nightMinutes(cut.slice(0, 5)) < nightMinutes(cut.slice(6)),
      'nightCut must open before it closes within the night (noon to noon), e.g. 23:00-05:00',
    )
    .optional(),
});

/** Each cabinet field's schema. */
export const CabinetShape = CabinetFields.shape;

/** The field names of a cabinet record, as GeoJSON properties (plus lat/lon) and CSV columns use them. */
export const CABINET_FIELDS = Object.keys(CabinetFields.shape) as (keyof typeof CabinetFields.shape)[];
export type CabinetField = (typeof CABINET_FIELDS)[number];

/**
 * A cabinet (armoire de commande): the contactor, and the utility meter, of the luminaires that
 * name it. Its device (a connected controller) is named as a luminaire's is.
 */
export const Cabinet = CabinetFields.refine((c) => c.nightCut === undefined || c.controller === 'clock', {
  path: ['nightCut'],
  message:
    'only a clock cabinet has a night cut: a connected one follows its plan, a plain one its luminaires',
}).transform((c) => ({
  ...c,
  thingName: c.thingName ?? defaultThingName(c.id),
}));
export type Cabinet = z.output<typeof Cabinet>;
export type CabinetInput = z.input<typeof Cabinet>;

/**
 * A presence sensor of the example sites. Its id names its MQTT topic
 * (`lighting/sensors/{id}/presence`), hence the same character set as thing names.
 */
export const PresenceSensor = z.strictObject({
  id: z.string().regex(/^[a-zA-Z0-9:_-]{1,64}$/, 'sensor id must be 1-64 characters of [a-zA-Z0-9:_-]'),
  lat: LuminaireFields.shape.lat,
  lon: LuminaireFields.shape.lon,
  street: LuminaireFields.shape.street,
  zone: LuminaireFields.shape.zone,
});
export type PresenceSensor = z.infer<typeof PresenceSensor>;
