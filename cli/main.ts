import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from './command.ts';

/**
 * Dispatches `lighting <command> ...` to cli/commands/<command>.ts. Each command module exports a
 * `command` (see ./command.ts), so adding a command is adding a file.
 */
// Node 20 is this project's supported runtime; the SDK's notice about its future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The CLI never runs in Lambda, yet the handlers it runs in process (`start`) load the Tracer and
// with it the X-Ray SDK, whose automatic mode puts an async hook with destroy tracking on every
// promise: a tenth of `lighting start`'s CPU in its profile, for trace segments nothing takes.
// Set before any command module, hence the SDK, is loaded.
process.env.AWS_XRAY_MANUAL_MODE ??= 'true';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
const available = readdirSync(commandsDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

async function load(name: string): Promise<Command> {
  const module = (await import(pathToFileURL(join(commandsDir, `${name}.ts`)).href)) as { command: Command };
  return module.command;
}

async function usage(): Promise<string> {
  const lines = ['usage: lighting <command> [options]', '', 'commands:'];
  for (const name of available) lines.push(`  ${name.padEnd(12)} ${(await load(name)).summary}`);
  lines.push('', 'Run `lighting <command> --help` for its options.');
  return lines.join('\n');
}

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(`${await usage()}\n`);
  process.exit(name === undefined ? 2 : 0);
}
if (!available.includes(name)) {
  process.stderr.write(`lighting: unknown command "${name}"\n\n${await usage()}\n`);
  process.exit(2);
}
process.exitCode = await (await load(name)).run(args);
