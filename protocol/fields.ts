import { z } from 'zod';

/** Field schemas shared by the shadow documents (shadows.ts) and the device messages (messages/). */

export const Level = z.number().int().min(0).max(100);
export const EpochSeconds = z.number().int().min(0).max(4_102_444_800);

export const FAULTS = [
  'lampFailure',
  'driverFailure',
  'supplyLoss',
  'dayBurning',
  'powerHigh',
  'powerLow',
] as const;
export const Fault = z.enum(FAULTS);
export type Fault = z.infer<typeof Fault>;
