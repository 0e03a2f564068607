import { parseArgs } from 'node:util';
import type { z } from 'zod';

/**
 * Parses CLI flags with node's parseArgs, then validates them with a zod schema so a bad flag gets
 * an error naming it. Returns the parsed value, or the lines to print.
 */
export function parseFlags<S extends z.ZodType>(
  argv: readonly string[],
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>,
  schema: S,
): { ok: true; value: z.output<S> } | { ok: false; errors: string[] } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] };
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => `--${issue.path.join('.') || '?'}: ${issue.message}`),
  };
}
