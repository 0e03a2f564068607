import { planBudgetProblems } from '../plan/budget.ts';
import { jsonPath, type Parsed, type Problem } from '../problem.ts';
import { crossCheckConfig } from './cross-checks.ts';
import { problemsOfIssues } from './issues.ts';
import { Config, RESERVED_NAME_MESSAGE } from './schema.ts';

/**
 * Validates a config read from `source` (a file name, or "request body"): the schema first, then the
 * cross checks and the shadow budget (plan/budget.ts). Every problem is returned, each with its JSON
 * path; nothing is thrown.
 */
export function parseConfig(raw: unknown, source: string): Parsed<Config> {
  const result = Config.safeParse(raw);
  const dropped = protoProfile(raw, source);
  if (!result.success)
    return { ok: false, problems: [...dropped, ...problemsOfIssues(result.error.issues, source)] };
  const problems = [
    ...dropped,
    ...crossCheckConfig(result.data, source),
    ...planBudgetProblems(result.data, source),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: result.data };
}

/**
 * zod leaves a `__proto__` key out of a record without an issue (assigning it would replace the
 * prototype), so a profile named so would vanish silently: it is refused like the other reserved names.
 */
function protoProfile(raw: unknown, source: string): Problem[] {
  const profiles =
    typeof raw === 'object' && raw !== null ? (raw as { profiles?: unknown }).profiles : undefined;
  return typeof profiles === 'object' && profiles !== null && Object.hasOwn(profiles, '__proto__')
    ? [{ source, path: jsonPath(['profiles', '__proto__']), message: RESERVED_NAME_MESSAGE }]
    : [];
}
