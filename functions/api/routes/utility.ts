import { importUtilityReadings } from '../../utility/import-readings.ts';
import { loadReconciliation, ReconciliationQuery, reconciliationCsv } from '../../utility/reconciliation.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { json, parseQuery, type Route } from '../router.ts';
import { attachment, IMPORT_MAX_BODY_BYTES, importedOrRefused } from './luminaires.ts';

/**
 * Utility reconciliation for finance (ADR 0012): the utility's load-curve export imported, and per
 * delivery point what was billed, metered and planned. Bills span zones, so zone-limited
 * technicians have no access.
 */
export function utilityRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/utility-readings',
      roles: ['finance', 'admin'],
      maxBodyBytes: IMPORT_MAX_BODY_BYTES,
      async handle(request) {
        const type = request.headers['content-type'] ?? '';
        if (!/^text\/csv\s*(;|$)/i.test(type)) {
          throw new ApiProblem('unsupported-media-type', 'send the utility export as text/csv');
        }
        if (request.body === undefined || request.body.trim() === '') {
          throw new ApiProblem('bad-request', 'the utility export (CSV) is required as the body');
        }
        const outcome = await importUtilityReadings(
          deps,
          new TextEncoder().encode(request.body),
          'the utility export',
        );
        return json(200, importedOrRefused(outcome, 'the utility export'));
      },
    },
    {
      method: 'GET',
      path: '/reconciliation',
      roles: ['finance', 'admin'],
      async handle(request) {
        const query = parseQuery(request, ReconciliationQuery);
        const reconciliation = await loadReconciliation(deps, query);
        if (query.format === 'json') return json(200, reconciliation);
        return attachment(
          reconciliationCsv(reconciliation),
          'text/csv; charset=utf-8; header=present',
          `reconciliation-${query.from}-${query.to}.csv`,
        );
      },
    },
  ];
}
