import { z } from 'zod';
import { LocalDate } from '../../../schedules/index.ts';

/** `?dryRun=true` previews a change; `?night=YYYY-MM-DD` picks the night to preview or plan. */
export const ChangeQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  night: LocalDate.optional(),
});
