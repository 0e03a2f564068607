import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { Command } from './command.ts';

/**
 * Parses CLI flags with node's parseArgs, then validates them with a zod schema so a bad flag gets
 * an error naming it. Returns the parsed value, or the lines to print.
 */
export function parseFlags<S extends z.ZodType>(
  argv: readonly string[],
  options: FlagOptions,
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

export type FlagOptions = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * A subcommand whose flags are parsed and validated before `run` sees them: `--help` prints the
 * usage, a bad flag prints `lighting <name>: --flag: problem` and the usage, and exits 2.
 */
export function defineCommand<S extends z.ZodType>(definition: {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: FlagOptions;
  readonly flags: S;
  run(flags: z.output<S>): Promise<number>;
}): Command {
  return {
    summary: definition.summary,
    async run(argv) {
      if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(`${definition.usage}\n`);
        return 0;
      }
      const parsed = parseFlags(argv, definition.options, definition.flags);
      if (!parsed.ok) {
        const lines = parsed.errors.map((error) => `lighting ${definition.name}: ${error}`);
        process.stderr.write(`${lines.join('\n')}\n\n${definition.usage}\n`);
        return 2;
      }
      return definition.run(parsed.value);
    },
  };
}
