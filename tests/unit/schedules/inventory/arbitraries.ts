import fc from 'fast-check';
import type { Cabinet, Luminaire } from '#schedules/inventory/index.ts';

/** Text with the characters CSV must quote: separators, quotes, line breaks, and any Unicode grapheme. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', ';', '"', '\n', '\r\n', '\r', ' ', 'é', 'œ'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 20,
});
const thingName = fc.stringMatching(/^[a-zA-Z0-9:_-]{1,64}$/);
/** -0 is not a coordinate anyone means; both formats write it as 0. */
const number = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((x) => x + 0);
const positive = (max: number) => fc.double({ min: Number.MIN_VALUE, max, noNaN: true });

/** The cabinets the luminaires of `inventory` may name. */
export const CABINET_IDS: ReadonlySet<string> = new Set(['C-1', 'C 2']);

const luminaire: fc.Arbitrary<Luminaire> = fc
  .record(
    {
      id: text.filter((s) => s.length <= 64),
      lat: number(-90, 90),
      lon: number(-180, 180),
      street: text,
      zone: text,
      ledWatts: positive(1000),
      baselineWatts: positive(2000),
      minLevel: fc.integer({ min: 0, max: 100 }),
      thingName,
      cabinet: fc.constantFrom(...CABINET_IDS),
      controller: fc.constantFrom('node' as const, 'none' as const),
    },
    {
      requiredKeys: [
        'id',
        'lat',
        'lon',
        'street',
        'zone',
        'ledWatts',
        'baselineWatts',
        'minLevel',
        'thingName',
      ],
    },
  )
  // Only a luminaire that names its cabinet can do without its own controller.
  .map(({ controller, ...l }) =>
    controller === 'none' && l.cabinet === undefined ? l : { ...l, controller },
  );

const cabinet: fc.Arbitrary<Cabinet> = fc.record(
  {
    id: text.filter((s) => s.length <= 64),
    lat: number(-90, 90),
    lon: number(-180, 180),
    zone: text,
    commune: text,
    deliveryPointId: fc.stringMatching(/^\d{14}$/),
    subscribedKva: positive(250),
    tariffOption: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
    controller: fc.constantFrom('none' as const, 'clock' as const, 'connected' as const),
    thingName,
    lineLossPercent: number(0, 20),
  },
  {
    requiredKeys: [
      'id',
      'lat',
      'lon',
      'zone',
      'deliveryPointId',
      'subscribedKva',
      'tariffOption',
      'controller',
      'thingName',
      'lineLossPercent',
    ],
  },
);

/** Valid cabinets: ids, devices and meters unique. */
export const cabinets = fc.uniqueArray(cabinet, {
  comparator: (a, b) =>
    a.id === b.id || a.thingName === b.thingName || a.deliveryPointId === b.deliveryPointId,
  maxLength: 20,
});

/** A valid inventory: ids and thing names (devices) unique. */
export const inventory = fc.uniqueArray(luminaire, {
  comparator: (a, b) => a.id === b.id || a.thingName === b.thingName,
  maxLength: 30,
});
