import type { z } from 'zod';
import { leafIssues } from '#schedules/config/issues.ts';
import { jsonPointer } from '#schedules/problem.ts';
import { DomainError, InvalidInput } from '../shared/errors.ts';

/**
 * RFC 9457 problem details. `errors` lists every bad field: `pointer` (RFC 6901) into a JSON body,
 * or `name` for a query parameter, header or a location in an uploaded file (CSV row/column).
 */
export interface FieldError {
  readonly pointer?: string;
  readonly name?: string;
  readonly detail: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly FieldError[];
  /** Extension members (RFC 9457 section 3.2), e.g. a 412's `current` and `etag`. */
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const PROBLEM_TYPES = {
  'bad-request': { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Content too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'validation-failed': { status: 422, title: 'Validation failed' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;
export type ProblemKind = keyof typeof PROBLEM_TYPES;

/**
 * An expected failure of a request, raised by a route and turned into problem+json by the router
 * (the one place that maps failures to HTTP status).
 */
export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    readonly errors: readonly FieldError[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
    /** RFC 9457 extension members of the document (a 412's `current` item and its `etag`). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

export function problemDocument(
  kind: ProblemKind,
  detail?: string,
  errors: readonly FieldError[] = [],
  extensions: Readonly<Record<string, unknown>> = {},
): ProblemDocument {
  const { status, title } = PROBLEM_TYPES[kind];
  return {
    ...extensions,
    type: `urn:lumen-city:problem:${kind}`,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(errors.length === 0 ? {} : { errors }),
  };
}

/**
 * Zod issues as field errors: pointers into the body (`/steps/0/level`), or names for query and path
 * parameters. A union names the fields of the branch the input meant (`/target/luminaires`).
 */
export function fieldErrors(
  issues: readonly z.core.$ZodIssue[],
  location: 'body' | 'query',
  base: readonly PropertyKey[] = [],
): FieldError[] {
  return leafIssues(issues).map((issue) => {
    const path = [...base, ...issue.path];
    return location === 'body'
      ? { pointer: jsonPointer(path), detail: issue.message }
      : { name: path.map(String).join('.'), detail: issue.message };
  });
}

/**
 * A location such as `features[3].properties.ledWatts` (a parser's JSON path) as a JSON pointer;
 * the empty path is the whole document; anything else (a CSV `row 12, column lat`) is kept as a name.
 */
export function fieldErrorAt(path: string, detail: string): FieldError {
  if (path === '') return { pointer: '', detail };
  if (/^[A-Za-z_$][\w$]*(\[\d+\]|\.[A-Za-z_$][\w$]*)*$/.test(path)) {
    return { pointer: jsonPointer(path.split(/[.[\]]+/).filter((s) => s.length > 0)), detail };
  }
  return { name: path, detail };
}

const DOMAIN_PROBLEMS: Readonly<Record<DomainError['code'], ProblemKind>> = {
  'invalid-input': 'bad-request',
  'not-configured': 'conflict',
  'not-found': 'not-found',
  conflict: 'conflict',
};

/**
 * The one mapping from failures to problems: an ApiProblem as raised, a typed domain error by its
 * code, anything else null (an unexpected error: 500, logged).
 */
export function problemOf(error: unknown): ApiProblem | null {
  if (error instanceof ApiProblem) return error;
  if (error instanceof InvalidInput) {
    return new ApiProblem(
      DOMAIN_PROBLEMS[error.code],
      error.message,
      error.fields.map((field) => ({ name: `${error.source}: ${field.path}`, detail: field.message })),
    );
  }
  if (error instanceof DomainError) return new ApiProblem(DOMAIN_PROBLEMS[error.code], error.message);
  return null;
}
