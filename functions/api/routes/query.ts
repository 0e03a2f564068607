import { z } from 'zod';
import { LocalDate } from '#schedules/index.ts';
import type { ChangeContext } from '../change/run-change.ts';
import { type ApiRequest, parseQuery } from '../router.ts';

/** `?dryRun=true` previews a change; `?night=YYYY-MM-DD` picks the night to preview or plan. */
export const ChangeQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  night: LocalDate.optional(),
});

/** The context of a configuration change a request asks for: who, which request, dry run, night. */
export function changeContextOf(request: ApiRequest): ChangeContext {
  const { dryRun, night } = parseQuery(request, ChangeQuery);
  return { principal: request.principal, requestId: request.requestId, dryRun, night };
}
