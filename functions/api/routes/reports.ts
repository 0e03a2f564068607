import { z } from 'zod';
import { LocalDate } from '../../../schedules/index.ts';
import { REPORT_GROUPINGS } from '../../../schedules/report/savings.ts';
import { REPORT_FORMATS, renderSavingsReport } from '../../reports/render.ts';
import { loadSavingsReport } from '../../reports/savings-report.ts';
import type { ApiDeps } from '../deps.ts';
import { parseQuery, type Route } from '../router.ts';

/** A report covers at most a few years: the rollups of longer periods are better exported. */
const MAX_REPORT_DAYS = 3 * 366;

const SavingsQuery = z
  .object({
    from: LocalDate,
    to: LocalDate,
    groupBy: z.enum(REPORT_GROUPINGS).default('zone'),
    format: z.enum(REPORT_FORMATS).default('json'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_DAYS, {
    message: `a report covers at most ${MAX_REPORT_DAYS} nights`,
    path: ['to'],
  });

/** The savings report for finance: JSON, CSV or printable HTML. */
export function reportRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/reports/savings',
      roles: ['finance', 'admin'],
      async handle(request) {
        const query = parseQuery(request, SavingsQuery);
        const report = await loadSavingsReport(deps, query);
        const rendered = renderSavingsReport(report, query.format, new Date(deps.now() * 1000).toISOString());
        return {
          status: 200,
          headers: {
            'content-type': rendered.contentType,
            'content-disposition': `${query.format === 'html' ? 'inline' : 'attachment'}; filename="${rendered.fileName}"`,
          },
          body: rendered.body,
        };
      },
    },
  ];
}
