import {
  CloseStatementBody,
  closeStatement,
  readStatement,
  StatementMonth,
  StatementQuery,
} from '../../reports/statements.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { json, parseBody, parseQuery, type Route } from '../router.ts';

const CONTENT_TYPES = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8; header=present',
  html: 'text/html; charset=utf-8',
} as const;

const month = { month: StatementMonth };

/**
 * Monthly statements for finance: closing a month freezes its report (a new version only when the
 * figures differ, and then with a reason); reading returns the frozen bytes with their SHA-256.
 */
export function statementRoutes(deps: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/statements/{month}/close',
      roles: ['finance', 'admin'],
      params: month,
      maxBodyBytes: 4 * 1024,
      async handle(request) {
        const body =
          request.body === undefined || request.body.trim() === ''
            ? {}
            : parseBody(request, CloseStatementBody);
        const outcome = await closeStatement(
          deps,
          request.params.month as string,
          body.reason,
          request.principal.username,
        );
        return json(outcome.kind === 'created' ? 201 : 200, outcome);
      },
    },
    {
      method: 'GET',
      path: '/statements/{month}',
      roles: ['finance', 'admin'],
      params: month,
      async handle(request) {
        const name = request.params.month as string;
        const query = parseQuery(request, StatementQuery);
        if (query.format === undefined) {
          const versions = await deps.statements.versions(name);
          if (versions.length === 0) throw new ApiProblem('not-found', `month ${name} has no statement`);
          return json(200, { month: name, versions });
        }
        const file = await readStatement(deps, name, { ...query, format: query.format });
        if (file === undefined) {
          throw new ApiProblem(
            'not-found',
            `month ${name} has no statement${query.version === undefined ? '' : ` version ${query.version}`}`,
          );
        }
        const { statement, bytes } = file;
        const extension = query.format === 'csv' ? 'csv' : query.format;
        return {
          status: 200,
          headers: {
            'content-type': CONTENT_TYPES[query.format],
            'content-disposition': `${query.format === 'html' ? 'inline' : 'attachment'}; filename="statement-${name}-v${statement.version}.${extension}"`,
            // RFC 9530: the SHA-256 of the bytes sent, as recorded when the month was closed.
            'repr-digest': `sha-256=:${Buffer.from(statement.sha256[file.document], 'hex').toString('base64')}:`,
            'statement-version': String(statement.version),
            // A version never changes; "the latest" does when a correction is made.
            'cache-control':
              query.version === undefined ? 'private, no-cache' : 'private, max-age=31536000, immutable',
          },
          body: bytes.toString('utf8'),
        };
      },
    },
  ];
}
