import type { z } from 'zod';
import { jsonPath, type Problem } from '../problem.ts';

/**
 * zod issues as problems. A union (a time is "HH:MM" or an event object) reports the issues of
 * the branch the input was meant for, i.e. the one that did not fail on the input's type itself.
 */
export function problemsOfIssues(issues: readonly z.core.$ZodIssue[], source: string): Problem[] {
  const problems: Problem[] = [];
  const visit = (issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const meant = issue.errors.find(
        (branch) => !branch.every((i) => i.code === 'invalid_type' && i.path.length === 0),
      );
      if (meant !== undefined) {
        for (const inner of meant) visit(inner, path);
        return;
      }
    }
    problems.push({ source, path: jsonPath(path), message: issue.message });
  };
  for (const issue of issues) visit(issue, []);
  return problems;
}
