import { z } from 'zod';
import { describe } from '../luminaire/shadow-messages.ts';

/**
 * A presence sensor of the installation (PIR or radar on a pole): where it is and how far it sees.
 * Extra fields in the file are allowed so the inventory can carry more about each sensor.
 */
export const PresenceSensor = z.object({
  id: z.string().regex(/^[a-zA-Z0-9:_-]{1,64}$/, 'sensor id must be 1-64 characters of [a-zA-Z0-9:_-]'),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** The street it watches; without it, every street passing within range. */
  street: z.string().min(1).optional(),
  rangeMeters: z.number().positive().max(200).default(20),
});
export type PresenceSensor = z.output<typeof PresenceSensor>;

const SensorFile = z.union([z.array(PresenceSensor), z.object({ sensors: z.array(PresenceSensor) })]);

/** Reads a sensors file: an array of sensors or `{ "sensors": [...] }`. */
export function parseSensors(raw: unknown, source: string): PresenceSensor[] {
  const parsed = SensorFile.safeParse(raw);
  if (!parsed.success) throw new Error(`${source}: ${describe(parsed.error)}`);
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.sensors;
}
