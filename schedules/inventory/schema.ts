import { z } from 'zod';

const ThingName = z
  .string()
  .regex(/^[a-zA-Z0-9:_-]{1,128}$/, 'thing name must be 1-128 characters of [a-zA-Z0-9:_-]');

/** One light point of the inventory, as imported from GeoJSON or CSV. */
export const Luminaire = z
  .strictObject({
    id: z.string().min(1).max(64),
    lat: z.number().min(-90, 'latitude must be -90..90').max(90, 'latitude must be -90..90'),
    lon: z.number().min(-180, 'longitude must be -180..180').max(180, 'longitude must be -180..180'),
    street: z.string().min(1),
    zone: z.string().min(1),
    /** Rated power of the LED luminaire at 100 %. */
    ledWatts: z.number().positive().max(1000),
    /** System power of the luminaire it replaced (e.g. 150 W HPS + ballast), for the baseline. */
    baselineWatts: z.number().positive().max(2000),
    /** Lowest level the driver can hold when lit (TALQ "minimum light output"). */
    minLevel: z.number().int().min(0).max(100).default(0),
    thingName: ThingName.optional(),
  })
  .transform((l) => ({ ...l, thingName: l.thingName ?? l.id.replace(/[^a-zA-Z0-9:_-]/g, '_') }));
export type Luminaire = z.output<typeof Luminaire>;
export type LuminaireInput = z.input<typeof Luminaire>;
