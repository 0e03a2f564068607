import { SavingsQuery } from '#schedules/report/query.ts';
import { renderSavingsReport } from '../../reports/render.ts';
import { heldOpenNights, loadSavingsReport } from '../../reports/savings-report.ts';
import type { ApiDeps } from '../deps.ts';
import { parseQuery, type Route } from '../router.ts';

/** The savings report for finance: JSON, CSV or printable HTML. */
export function reportRoutes(deps: ApiDeps): Route[] {
  // A report's grouping or format asked again shares the nights not closed yet it closed.
  const openNights = heldOpenNights(deps.now);
  return [
    {
      method: 'GET',
      path: '/reports/savings',
      roles: ['finance', 'admin'],
      async handle(request) {
        const query = parseQuery(request, SavingsQuery);
        const report = await loadSavingsReport({ ...deps, openNights }, query);
        const generatedAt = new Date(deps.now() * 1000).toISOString();
        const rendered = renderSavingsReport(report, query.format, generatedAt, query.csv);
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
