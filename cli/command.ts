/** A `lighting` subcommand: parses its own argv (validated with zod) and returns the exit code. */
export interface Command {
  readonly summary: string;
  run(argv: readonly string[]): Promise<number>;
}
