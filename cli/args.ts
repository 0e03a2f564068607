import { parseArgs } from 'node:util';
import type { z } from 'zod';
import type { Command } from './command.ts';

/**
 * Parses CLI flags with node's parseArgs, then validates them with a zod schema so a bad flag gets
 * an error naming it. Returns the parsed value, or the lines to print. With `positional`, one
 * argument that is not a flag (`lighting config diff FILE`) is validated as that key of the schema.
 */
export function parseFlags<S extends z.ZodType>(
  argv: readonly string[],
  options: FlagOptions,
  schema: S,
  positional?: string,
): { ok: true; value: z.output<S> } | { ok: false; errors: string[] } {
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options,
      allowPositionals: positional !== undefined,
      strict: true,
    });
    if (parsed.positionals.length > 1)
      return { ok: false, errors: [`unexpected argument ${JSON.stringify(parsed.positionals[1])}`] };
    values =
      positional === undefined ? parsed.values : { ...parsed.values, [positional]: parsed.positionals[0] };
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] };
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, value: result.data };
  const name = (key: string) => (key === positional ? key.toUpperCase() : `--${key || '?'}`);
  return {
    ok: false,
    errors: result.error.issues.map((issue) => `${name(issue.path.join('.'))}: ${issue.message}`),
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
  /** The schema key that takes the one argument that is not a flag, if the command has one. */
  readonly positional?: string;
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
      const parsed = parseFlags(argv, definition.options, definition.flags, definition.positional);
      if (!parsed.ok) {
        const lines = parsed.errors.map((error) => `lighting ${definition.name}: ${error}`);
        process.stderr.write(`${lines.join('\n')}\n\n${definition.usage}\n`);
        return 2;
      }
      return definition.run(parsed.value);
    },
  };
}
