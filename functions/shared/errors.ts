import type { z } from 'zod';
import { jsonPath } from '#schedules/problem.ts';

/**
 * Expected failures of the functions, as typed errors a handler maps in one place (a log line, a
 * failed batch item, or problem+json in the API). Unexpected failures stay plain errors.
 */
export class DomainError extends Error {
  constructor(
    readonly code: 'invalid-input' | 'not-configured' | 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** An outside input (event, message, env) failed its schema; the message names every bad field. */
export class InvalidInput extends DomainError {
  constructor(
    readonly source: string,
    readonly fields: readonly { path: string; message: string }[],
  ) {
    super(
      'invalid-input',
      `${source}: ${fields.map((f) => `${f.path || '(root)'}: ${f.message}`).join('; ')}`,
    );
    this.name = 'InvalidInput';
  }

  static fromZod(source: string, error: z.ZodError): InvalidInput {
    return new InvalidInput(
      source,
      error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message })),
    );
  }
}

/** The site has no configuration (or no settings item) in the table yet. */
export class SiteNotConfigured extends DomainError {
  constructor(readonly site: string) {
    super('not-configured', `site ${site} has no configuration in the table`);
    this.name = 'SiteNotConfigured';
  }
}

export class NotFound extends DomainError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super('not-found', `${kind} ${id} not found`);
    this.name = 'NotFound';
  }
}

/** Parses with a schema and throws InvalidInput naming the source and every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, source: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw InvalidInput.fromZod(source, result.error);
  return result.data;
}
