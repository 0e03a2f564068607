import type { z } from 'zod';
import { jsonPath, type Problem } from '../problem.ts';

/** One thing wrong with an input: where (path from the input's root) and what. */
export interface LeafIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The zod issue itself, for its code and bounds (the console words its messages from them). */
  readonly issue: z.core.$ZodIssue;
}

/** A union branch the input was not meant for: it failed on the input's type or its set of keys. */
const failsOnShape = (branch: readonly z.core.$ZodIssue[]): boolean =>
  branch.some(
    (issue) =>
      issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'unrecognized_keys'),
  );

/**
 * zod issues down to the fields they are about. A union (a time is "HH:MM" or an event object; an
 * override target is `{all: true}` or selector lists) reports the issues of the branch the input
 * was meant for, i.e. the one that did not fail on the input's shape itself; a refused record key
 * reports why the key was refused.
 */
export function leafIssues(issues: readonly z.core.$ZodIssue[]): LeafIssue[] {
  const leaves: LeafIssue[] = [];
  const visit = (issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union') {
      const meant = issue.errors.find((branch) => !failsOnShape(branch));
      if (meant !== undefined) {
        for (const inner of meant) visit(inner, path);
        return;
      }
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      for (const inner of issue.issues) visit(inner, path);
      return;
    }
    leaves.push({ path, message: issue.message, issue });
  };
  for (const issue of issues) visit(issue, []);
  return leaves;
}

/** zod issues as problems of `source`, one per field (see leafIssues). */
export const problemsOfIssues = (issues: readonly z.core.$ZodIssue[], source: string): Problem[] =>
  leafIssues(issues).map(({ path, message }) => ({ source, path: jsonPath(path), message }));
