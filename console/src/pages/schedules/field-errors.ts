import type { z } from 'zod';
import { leafIssues } from '#schedules/config/issues.ts';
import { jsonPointer } from '#schedules/index.ts';

/** One thing wrong with a form, where the API would point: `/steps/0/level`; `` is the whole form. */
export interface FieldError {
  readonly pointer: string;
  readonly message: string;
}

/** Words a zod issue in the reader's language; undefined keeps the schema's own message. */
export type IssueWording = (issue: z.core.$ZodIssue) => string | undefined;

/**
 * A form's zod issues (from the API's own schemas) as field errors, pointed as the API points
 * them: the same union resolution (leafIssues) and the same pointer encoding.
 */
export function issueErrors(
  issues: readonly z.core.$ZodIssue[],
  word: IssueWording = () => undefined,
): FieldError[] {
  return leafIssues(issues).map(({ path, message, issue }) => ({
    pointer: jsonPointer(path),
    message: word(issue) ?? message,
  }));
}

/** The field errors of an API problem: its `errors[].pointer`s; an error without a pointer is the form's. */
export function problemErrors(problem: {
  readonly detail?: string;
  readonly errors?: readonly { readonly pointer?: string; readonly name?: string; readonly detail: string }[];
}): FieldError[] {
  const errors = problem.errors ?? [];
  if (errors.length === 0)
    return problem.detail === undefined ? [] : [{ pointer: '', message: problem.detail }];
  return errors.map((error) => ({
    pointer: error.pointer ?? '',
    message: error.name === undefined ? error.detail : `${error.name}: ${error.detail}`,
  }));
}

const isWithin = (pointer: string, field: string): boolean =>
  field === '' || pointer === field || pointer.startsWith(`${field}/`);

/**
 * Each error on the field it is about: the form's field whose pointer is the longest prefix of the
 * error's (an error on `/on/offsetMinutes` shows at that input; one on `/steps/3` with no such row
 * at the steps list; anything else at the form's head, ``).
 */
export function errorsByField(
  errors: readonly FieldError[],
  fields: readonly string[],
): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  for (const error of errors) {
    let best = '';
    for (const field of fields)
      if (field.length > best.length && isWithin(error.pointer, field)) best = field;
    const list = placed.get(best);
    if (list === undefined) placed.set(best, [error.message]);
    else if (!list.includes(error.message)) list.push(error.message);
  }
  return placed;
}
