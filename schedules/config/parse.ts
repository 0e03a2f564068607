import { planBudgetProblems } from '../plan/budget.ts';
import type { Parsed } from '../problem.ts';
import { crossCheckConfig } from './cross-checks.ts';
import { problemsOfIssues } from './issues.ts';
import { Config } from './schema.ts';

/**
 * Validates a config read from `source` (a file name, or "request body"): the schema first, then the
 * cross checks and the shadow budget (plan/budget.ts). Every problem is returned, each with its JSON
 * path; nothing is thrown.
 */
export function parseConfig(raw: unknown, source: string): Parsed<Config> {
  const result = Config.safeParse(raw);
  if (!result.success) return { ok: false, problems: problemsOfIssues(result.error.issues, source) };
  const problems = [...crossCheckConfig(result.data, source), ...planBudgetProblems(result.data, source)];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: result.data };
}
