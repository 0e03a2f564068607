import type { z } from 'zod';
import { planBudgetProblems } from '../plan/budget.ts';
import { jsonPath, type Parsed, type Problem } from '../problem.ts';
import { type ConfigParts, crossCheckConfig, crossCheckParts, type Indexed } from './cross-checks.ts';
import { problemsOfIssues } from './issues.ts';
import { CalendarRule, Config, LIMITS, Name, Override, Profile, RESERVED_NAME_MESSAGE } from './schema.ts';

/**
 * Validates a config read from `source` (a file name, or "request body"): the schema, the cross
 * checks and the shadow budget (plan/budget.ts). Every problem is returned at once, each with its
 * JSON path; nothing is thrown. When the schema fails, the cross checks still run on the profiles,
 * rules and overrides that pass it (a bad step and a rule naming an unknown profile are both
 * reported); the shadow budget needs the whole config valid.
 */
export function parseConfig(raw: unknown, source: string): Parsed<Config> {
  const result = Config.safeParse(raw);
  const dropped = protoProfile(raw, source);
  if (!result.success) {
    return {
      ok: false,
      problems: [
        ...dropped,
        ...problemsOfIssues(result.error.issues, source),
        ...crossCheckParts(validParts(raw), source),
      ],
    };
  }
  const problems = [
    ...dropped,
    ...crossCheckConfig(result.data, source),
    ...planBudgetProblems(result.data, source),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: result.data };
}

/**
 * The items of a config that pass the schema on their own, each list's with its index in the input.
 * A list longer than the schema allows is left out (its length is the problem, and the pairwise
 * checks of an unbounded list would cost quadratic time).
 */
function validParts(raw: unknown): ConfigParts {
  const { profiles, calendar, overrides } = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<
    string,
    unknown
  >;
  const entries = typeof profiles === 'object' && profiles !== null ? Object.entries(profiles) : [];
  const profileEntries = (entries.length > LIMITS.profiles ? [] : entries).filter(
    ([name]) => Name.safeParse(name).success,
  );
  const valid: Record<string, Profile> = {};
  for (const [name, profile] of profileEntries) {
    const parsed = Profile.safeParse(profile);
    if (parsed.success) valid[name] = parsed.data;
  }
  return {
    profiles: valid,
    profileNames: profileEntries.map(([name]) => name),
    rules: validItems(calendar, CalendarRule, LIMITS.calendarRules),
    overrides: validItems(overrides, Override, LIMITS.overrides),
  };
}

function validItems<S extends z.ZodType>(list: unknown, schema: S, max: number): Indexed<z.output<S>>[] {
  if (!Array.isArray(list) || list.length > max) return [];
  return list.flatMap((item, i) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [[i, parsed.data] as const] : [];
  });
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
