import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { z } from 'zod';
import { Config, LocalDate, Site } from '#schedules/config/schema.ts';
import { formatProblem } from '#schedules/problem.ts';
import { defineCommand } from '../args.ts';
import type { Command } from '../command.ts';
import { type ApiAnswer, ApiClient, ApiUnreachable, problemSummary } from '../config/api-client.ts';
import { type Change, planChanges } from '../config/changes.ts';
import { etagsPathOf, readEtags, writeConfigFiles } from '../config/config-file.ts';
import {
  ApiRefused,
  previewOf,
  pushOf,
  readEtagsOf,
  readLive,
  readSettings,
  send,
} from '../config/remote.ts';
import { loadConfig } from '../load-site.ts';

const API_FLAGS = `  --api      the API's base URL (default: $LIGHTING_API, else http://127.0.0.1:3000/api, npm start's)
  --token    bearer token (default: $LIGHTING_TOKEN; \`lighting token --role technician\` makes one)`;

const Connection = {
  api: z.url({ error: 'expected the API base URL, http(s)://host[:port]/api' }).optional(),
  token: z.string().min(1).optional(),
};
const CONNECTION_OPTIONS = { api: { type: 'string' }, token: { type: 'string' } } as const;

/** The API client from the flags and the environment, or the usage error to print (exit 2). */
function connect(
  name: string,
  flags: { api?: string | undefined; token?: string | undefined },
): ApiClient | string {
  const token = flags.token ?? process.env.LIGHTING_TOKEN;
  if (token === undefined || token === '')
    return `lighting config ${name}: --token: required (or set LIGHTING_TOKEN)`;
  return new ApiClient(flags.api ?? process.env.LIGHTING_API ?? 'http://127.0.0.1:3000/api', token);
}

/** Runs the body, turning API failures into one printed line and exit 1. */
async function talking(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ApiUnreachable || error instanceof ApiRefused) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

const PULL_USAGE = `usage: lighting config pull [--api URL] [--token T] [--out FILE]

Writes the live configuration (profiles, calendar rules, overrides, and the site settings when the API
serves GET /settings) to FILE (default config.json), in the format \`lighting plan --config\` reads, keys
in a stable order, one setting per line; and the ETag of every item to FILE.etags.json, which
\`config diff\` and \`config apply\` need. Settings the API does not serve are kept from FILE if it exists.
  --out      the config file to write (default config.json)
${API_FLAGS}
Exit code: 0 written, 1 the API refused or the result is not a valid config, 2 bad usage.`;

const pull = defineCommand({
  name: 'config pull',
  summary: 'write the live configuration to a file (and its ETags next to it)',
  usage: PULL_USAGE,
  options: { ...CONNECTION_OPTIONS, out: { type: 'string' } },
  flags: z.strictObject({ ...Connection, out: z.string().min(1).default('config.json') }),
  async run(flags) {
    const api = connect('pull', flags);
    if (typeof api === 'string') return usageError(api, PULL_USAGE);
    return talking(async () => {
      const live = await readLive(api);
      const names = Object.keys(live.profiles).sort();
      const ruleIds = live.calendar.flatMap((rule) => (rule.id === undefined ? [] : [rule.id]));
      const [profiles, calendar, overrides, settings, kept] = await Promise.all([
        readEtagsOf(api, '/profiles', names),
        readEtagsOf(api, '/calendar/rules', ruleIds),
        readEtagsOf(
          api,
          '/overrides',
          live.overrides.map((o) => o.id),
        ),
        readSettings(api),
        readJsonObject(flags.out),
      ]);
      const raw = {
        ...settingsOf(kept, settings),
        profiles: Object.fromEntries(names.map((name) => [name, live.profiles[name]])),
        calendar: live.calendar,
        overrides: live.overrides,
      };
      const config = Config.safeParse(raw);
      if (!config.success) {
        const lines = config.error.issues.map(
          (i) => `${flags.out}: ${i.path.join('.') || '(root)'}: ${i.message}`,
        );
        const hint =
          'site' in raw
            ? ''
            : `\nthe API serves no site settings (GET /settings): pull into an existing config file, whose site section is kept`;
        process.stderr.write(`${lines.join('\n')}${hint}\n`);
        return 1;
      }
      const pulledAt = new Date().toISOString();
      await writeConfigFiles(flags.out, config.data, {
        api: api.baseUrl,
        pulledAt,
        profiles,
        calendar,
        overrides,
      });
      process.stdout.write(
        `${flags.out}: ${names.length} profiles, ${ruleIds.length} calendar rules, ${live.overrides.length} overrides` +
          `${settings === undefined ? ' (site settings kept from the file: the API serves none)' : ''}; ETags in ${etagsPathOf(flags.out)}\n`,
      );
      return 0;
    });
  },
});

const SETTINGS_KEYS = ['site', 'presence', 'planNights'] as const;

/**
 * The settings sections: those of the existing file, replaced by what GET /settings answers (its
 * `site`, `presence`, `planNights`, or flat site fields such as `tariffEurPerKwh`).
 */
function settingsOf(
  kept: Record<string, unknown> | undefined,
  served: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const sections: Record<string, unknown> = {};
  for (const key of SETTINGS_KEYS) if (kept?.[key] !== undefined) sections[key] = kept[key];
  if (served === undefined) return sections;
  const flatSite = Object.fromEntries(Object.entries(served).filter(([key]) => key in Site.shape));
  const site = {
    ...(sections.site as object | undefined),
    ...flatSite,
    ...(served.site as object | undefined),
  };
  if (Object.keys(site).length > 0) sections.site = site;
  for (const key of ['presence', 'planNights'] as const)
    if (served[key] !== undefined) sections[key] = served[key];
  return sections;
}

async function readJsonObject(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const FileFlags = z.strictObject({
  ...Connection,
  file: z
    .string({ error: 'required: the config file to compare (written by `lighting config pull`)' })
    .min(1),
  night: LocalDate.optional(),
});
const FILE_OPTIONS = { ...CONNECTION_OPTIONS, night: { type: 'string' } } as const;

const DIFF_USAGE = `usage: lighting config diff FILE [--night YYYY-MM-DD] [--api URL] [--token T]

Lists what applying FILE would change, item by item (+ added, ~ changed, - removed: profiles, calendar
rules, overrides), and for each the server's dry run: how many luminaires it reaches on the night and
how many of their plans change. Nothing is stored.
  --night    the night to preview (default: the coming night, site time)
${API_FLAGS}
Exit code: 0 previewed, 1 FILE invalid, out of date or a change refused, 2 bad usage.`;

const diff = defineCommand({
  name: 'config diff',
  summary: 'preview what applying a config file changes',
  usage: DIFF_USAGE,
  options: FILE_OPTIONS,
  positional: 'file',
  flags: FileFlags,
  async run(flags) {
    const api = connect('diff', flags);
    if (typeof api === 'string') return usageError(api, DIFF_USAGE);
    return talking(async () => {
      const prepared = await prepare(api, flags.file, flags.night);
      return typeof prepared === 'number' ? prepared : 0;
    });
  },
});

const APPLY_USAGE = `usage: lighting config apply FILE [--yes] [--night YYYY-MM-DD] [--api URL] [--token T]

Validates FILE offline (one line per problem), dry-runs every change (as \`config diff\`), asks for
confirmation, then sends each change with If-Match: the ETag \`config pull\` read. An item changed on the
server since the pull is refused (412): apply stops there and names it; pull again and redo the edit.
Overrides are created with an Idempotency-Key derived from their content: a retried apply does not
create them twice. Removing an override ends it now (its history is kept).
  --yes      apply without asking (required when stdin is not a terminal, as in CI)
  --night    the night to preview (default: the coming night, site time)
${API_FLAGS}
Exit code: 0 applied (or nothing to do), 1 FILE invalid or a change refused, 2 bad usage.`;

const apply = defineCommand({
  name: 'config apply',
  summary: 'apply a config file through the API (dry run, confirmation, If-Match)',
  usage: APPLY_USAGE,
  options: { ...FILE_OPTIONS, yes: { type: 'boolean' } },
  positional: 'file',
  flags: FileFlags.extend({ yes: z.boolean().default(false) }),
  async run(flags) {
    const api = connect('apply', flags);
    if (typeof api === 'string') return usageError(api, APPLY_USAGE);
    if (!flags.yes && !process.stdin.isTTY)
      return usageError('lighting config apply: --yes: required when stdin is not a terminal', APPLY_USAGE);
    return talking(async () => {
      const changes = await prepare(api, flags.file, flags.night);
      if (typeof changes === 'number') return changes;
      if (changes.length === 0) return 0;
      if (!flags.yes && !(await confirm(`apply ${changes.length} change(s)? [y/N] `))) {
        process.stdout.write('nothing applied\n');
        return 1;
      }
      for (const [i, change] of changes.entries()) {
        const answer = await send(api, change, { dryRun: false, night: flags.night });
        if (answer.status >= 200 && answer.status < 300) {
          process.stdout.write(`applied ${describe(change)}${pushSummary(answer)}\n`);
          continue;
        }
        const done = `${i} of ${changes.length} change(s) applied`;
        process.stderr.write(
          answer.status === 412
            ? `stopped: ${label(change)} changed on the server since the pull; run \`lighting config pull\` again and redo the edit (${done})\n`
            : `stopped: ${label(change)} refused: ${problemSummary(answer)} (${done})\n`,
        );
        return 1;
      }
      process.stdout.write(`${changes.length} change(s) applied\n`);
      return 0;
    });
  },
});

/**
 * Validates the file, plans its changes against the live configuration and dry-runs each, printing
 * the summary. Returns the changes to apply, or the exit code when there is nothing to go on with.
 */
async function prepare(
  api: ApiClient,
  file: string,
  night: string | undefined,
): Promise<readonly Change[] | number> {
  const config = await loadConfig(file);
  if (!config.ok) {
    process.stderr.write(`${config.problems.map(formatProblem).join('\n')}\n`);
    return 1;
  }
  const etags = await readEtags(file);
  if (typeof etags === 'string') {
    process.stderr.write(`${etags}\n`);
    return 1;
  }
  const plan = planChanges(config.value, await readLive(api), etags, Date.now());
  for (const note of plan.notes) process.stdout.write(`note: ${note}\n`);
  if (plan.problems.length > 0) {
    process.stderr.write(`${plan.problems.map((p) => `${file}: ${p}`).join('\n')}\n`);
    return 1;
  }
  if (plan.changes.length === 0) {
    process.stdout.write(`${file}: no change\n`);
    return [];
  }
  let refused = 0;
  for (const change of plan.changes) {
    const answer = await send(api, change, { dryRun: true, night });
    const preview = previewOf(answer);
    if (answer.status >= 200 && answer.status < 300 && preview !== undefined) {
      process.stdout.write(
        `${describe(change)}: ${preview.affected} luminaire(s) affected, ${preview.changed} changed on the night of ${preview.night}\n`,
      );
    } else if (answer.status === 412) {
      refused++;
      process.stdout.write(
        `${describe(change)}: changed on the server since the pull; run \`lighting config pull\` again\n`,
      );
    } else if (answer.status === 422) {
      // Dry runs are each checked against the live configuration alone: a rule using a profile this
      // file adds is refused until the profile is there. The apply sends them in order.
      process.stdout.write(
        `${describe(change)}: no preview (${problemSummary(answer)}); it may need an earlier change of this file\n`,
      );
    } else {
      refused++;
      process.stdout.write(`${describe(change)}: refused: ${problemSummary(answer)}\n`);
    }
  }
  return refused > 0 ? 1 : plan.changes;
}

const SIGN = { add: '+', change: '~', remove: '-' } as const;
const label = (change: Change) => `${change.kind} ${change.id}`;
const describe = (change: Change) =>
  `${SIGN[change.op]} ${label(change)}${change.op === 'remove' && change.kind === 'override' ? ' (ends now)' : ''}`;

function pushSummary(answer: ApiAnswer): string {
  const push = pushOf(answer);
  if (push === undefined) return '';
  const parts = Object.entries(push)
    .filter(([key, value]) => key !== 'night' && typeof value !== 'object')
    .map(([key, value]) => `${key} ${value}`);
  return `: pushed for the night of ${String(push.night)}: ${parts.join(', ')}`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function usageError(line: string, usage: string): number {
  process.stderr.write(`${line}\n\n${usage}\n`);
  return 2;
}

const SUBCOMMANDS: Record<string, Command> = { pull, diff, apply };

const USAGE = `usage: lighting config pull|diff|apply ...

  pull   ${pull.summary}
  diff   ${diff.summary}
  apply  ${apply.summary}
Run \`lighting config <subcommand> --help\` for its options.`;

export const command: Command = {
  summary: 'pull, diff and apply the site configuration as a file, through the API',
  async run(argv) {
    const [name, ...rest] = argv;
    if (name === '--help' || name === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    // Own keys only: `toString` is not a subcommand.
    const sub = name !== undefined && Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    if (sub === undefined) {
      return usageError(
        name === undefined
          ? 'lighting config: a subcommand is required'
          : `lighting config: unknown subcommand "${name}"`,
        USAGE,
      );
    }
    return sub.run(rest);
  },
};
