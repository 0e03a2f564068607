import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command } from '#cli/commands/config.ts';
import { etagOf } from '#functions/api/etag.ts';
import { parseConfig } from '#schedules/config/parse.ts';
import type { Profile } from '#schedules/config/schema.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';
import { FakeApi } from './fake-api.ts';

let api: FakeApi;
let url: string;
let file: string;

const config = (...argv: string[]) => runCommand(command, ...argv, '--api', url, '--token', 'test-token');

beforeEach(async () => {
  api = new FakeApi();
  url = await api.start();
  file = join(await mkdtemp(join(tmpdir(), 'lighting-config-')), 'config.json');
  await writeFile(file, await readFile('examples/carcassonne/config.json'));
});

afterEach(async () => {
  await api.stop();
});

/** Another technician changes profile `name` on the server. */
function changeOnServer(name: string, fields: Partial<Profile>): void {
  const profile = api.config.profiles[name];
  if (profile === undefined) throw new Error(`no profile ${name}`);
  api.config = { ...api.config, profiles: { ...api.config.profiles, [name]: { ...profile, ...fields } } };
}

/** Edits the config file as JSON, as a technician would in an editor. */
// biome-ignore lint/suspicious/noExplicitAny: the edits reach into the file's JSON by known paths
async function edit(change: (raw: Record<string, any>) => void): Promise<void> {
  const raw = JSON.parse(await readFile(file, 'utf8'));
  change(raw);
  await writeFile(file, JSON.stringify(raw, null, 2));
}

describe('lighting config pull', () => {
  it('writes a config lighting plan reads, and the ETag of every item next to it', async () => {
    const result = await config('pull', '--out', file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const written = parseConfig(JSON.parse(await readFile(file, 'utf8')), file);
    expect(written.ok && written.value).toEqual(api.config);
    const etags = JSON.parse(await readFile(`${file}.etags.json`, 'utf8'));
    expect(etags.profiles.residential).toBe(etagOf(api.config.profiles.residential));
    expect(Object.keys(etags.calendar)).toHaveLength(api.config.calendar.length);
    expect(etags.overrides['embrasement-2026']).toMatch(/^"[0-9a-f]{16}"$/);
  });

  it('writes the same bytes when pulled twice, profiles in name order and one setting per line', async () => {
    await config('pull', '--out', file);
    const first = await readFile(file, 'utf8');
    await config('pull', '--out', file);
    expect(await readFile(file, 'utf8')).toBe(first);
    const names = Object.keys(JSON.parse(first).profiles);
    expect(names).toEqual([...names].sort());
    expect(first).toContain('"on": { "event": "sunset", "offsetMinutes": 10 },\n');
  });

  it('takes the site settings from GET /settings when the API serves them', async () => {
    api.settings = { tariffEurPerKwh: 0.31, planNights: 5 };
    await config('pull', '--out', file);
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written.site.tariffEurPerKwh).toBe(0.31);
    expect(written.site.name).toBe('Carcassonne');
    expect(written.planNights).toBe(5);
  });

  it('refuses when neither the API nor an existing file gives the site settings', async () => {
    const result = await config('pull', '--out', join(tmpdir(), `absent-${Date.now()}.json`));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /settings');
  });

  it('names the refusal when the token is refused', async () => {
    const result = await runCommand(command, 'pull', '--out', file, '--api', url, '--token', 'wrong');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /profiles: 401 unauthenticated');
  });
});

describe('lighting config diff and apply', () => {
  beforeEach(async () => {
    expect((await config('pull', '--out', file)).code).toBe(0);
  });

  it('round trip: an edited file is previewed item by item, then applied with If-Match, then pulls back equal', async () => {
    await edit((raw) => {
      raw.profiles.residential.steps[0].level = 60;
      raw.profiles.late = { on: '19:00', off: '23:00' };
      raw.calendar.push({
        id: 'late-nights',
        profile: 'late',
        priority: 900,
        zones: ['cite'],
        dates: ['2026-12-31'],
      });
      raw.calendar = raw.calendar.filter((rule: { id: string }) => rule.id !== 'parks');
      raw.overrides.push({
        id: 'works-2026-12',
        target: { streets: ['Rue de Verdun'] },
        level: 100,
        from: '2026-12-01T17:00:00+01:00',
        until: '2026-12-02T07:00:00+01:00',
        reason: 'road works',
      });
    });
    const diff = await config('diff', file, '--night', '2026-12-01');
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(
      '~ profile residential: 12 luminaire(s) affected, 7 changed on the night of 2026-11-29',
    );
    expect(diff.stdout).toContain('+ profile late');
    expect(diff.stdout).toContain('+ rule late-nights');
    expect(diff.stdout).toContain('- rule parks');
    expect(diff.stdout).toContain('+ override works-2026-12');
    expect(api.writes()).toEqual([]);
    const dryRuns = api.requests.filter((r) => r.query.get('dryRun') === 'true');
    expect(dryRuns.every((r) => r.query.get('night') === '2026-12-01')).toBe(true);

    const applied = await config('apply', file, '--yes');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(
      'applied ~ profile residential: pushed for the night of 2026-11-29: planned 12, pushed 7',
    );
    expect(applied.stdout).toContain('5 change(s) applied');
    const writes = api.writes().map((w) => `${w.method} ${w.path}`);
    // What a later change may reference goes first, removals last.
    expect(writes).toEqual([
      'PUT /profiles/residential',
      'PUT /profiles/late',
      'PUT /calendar/rules/late-nights',
      'POST /overrides',
      'DELETE /calendar/rules/parks',
    ]);
    const residential = api.writes().find((w) => w.path === '/profiles/residential');
    expect(residential?.headers['if-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(api.writes().find((w) => w.path === '/profiles/late')?.headers['if-none-match']).toBe('*');
    expect(api.writes().find((w) => w.method === 'POST')?.headers['idempotency-key']).toMatch(
      /^lighting-config-/,
    );

    const local = parseConfig(JSON.parse(await readFile(file, 'utf8')), file);
    expect(local.ok && local.value).toEqual(api.config);
  });

  it('a retried apply of the same override does not create it twice', async () => {
    const override = {
      id: 'works',
      target: { all: true },
      level: 100,
      from: '2026-12-01T17:00:00+01:00',
      until: '2026-12-02T07:00:00+01:00',
      reason: 'road works',
    };
    await edit((raw) => raw.overrides.push(override));
    await config('apply', file, '--yes');
    api.config = { ...api.config, overrides: api.config.overrides.filter((o) => o.id !== 'works') };
    await config('apply', file, '--yes');
    const posts = api.writes().filter((w) => w.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]?.headers['idempotency-key']).toBe(posts[1]?.headers['idempotency-key']);
  });

  it('says there is nothing to do for an unchanged file and sends no change', async () => {
    const result = await config('apply', file, '--yes');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no change');
    expect(api.writes()).toEqual([]);
  });

  it('leaves expired overrides and items added on the server since the pull alone', async () => {
    await edit((raw) => {
      raw.overrides = [];
    });
    api.config = {
      ...api.config,
      profiles: {
        ...api.config.profiles,
        other: { on: '18:00', off: '23:00', onLevel: 100, steps: [], fadeSeconds: 0, polarNight: 'lit' },
      },
    };
    const result = await config('apply', file, '--yes');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('note: profile other: added on the server since the pull');
    expect(api.writes()).toEqual([]);
  });

  it('stops on 412 naming the item and telling to pull again, when the item changed since the pull', async () => {
    await edit((raw) => {
      raw.profiles.residential.onLevel = 90;
    });
    // Another technician changes the profile after our pull and before our dry run.
    changeOnServer('residential', { onLevel: 80 });
    const diff = await config('diff', file);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('~ profile residential: changed on the server since the pull');
    const applied = await config('apply', file, '--yes');
    expect(applied.code).toBe(1);
    expect(api.writes()).toEqual([]);
  });

  it('stops at the first change refused with 412 during the apply, saying how many were applied', async () => {
    await edit((raw) => {
      raw.profiles.residential.onLevel = 90;
      raw.profiles.park.onLevel = 70;
    });
    // The dry runs pass; between them and the apply, someone edits "residential".
    api.afterAnswer = (request) => {
      if (request.query.get('dryRun') !== 'true' || request.path !== '/profiles/residential') return;
      changeOnServer('residential', { onLevel: 80 });
    };
    const result = await config('apply', file, '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stopped: profile residential changed on the server since the pull');
    expect(result.stderr).toContain('lighting config pull');
    expect(result.stderr).toContain('1 of 2 change(s) applied');
  });

  it('refuses an edited override (the API cannot edit one) before sending anything', async () => {
    await edit((raw) => {
      raw.overrides[0].level = 50;
    });
    const result = await config('apply', file, '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('override embrasement-2026: an override cannot be edited');
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('validates the file offline first: one line per problem, exit 1, nothing sent', async () => {
    await edit((raw) => {
      raw.profiles.residential.onLevel = 140;
      raw.calendar[0].profile = 'nope';
    });
    const before = api.requests.length;
    const result = await config('apply', file, '--yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}: profiles.residential.onLevel: level must be 0..100`);
    expect(api.requests.length).toBe(before);
  });

  it('needs the ETags of a pull', async () => {
    const other = join(tmpdir(), `unpulled-${Date.now()}.json`);
    await writeFile(other, await readFile(file));
    const result = await config('diff', other);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lighting config pull');
  });
});

describe('lighting config usage', () => {
  it.each([
    [['diff'], 'FILE: required'],
    [['diff', 'a.json', 'b.json'], 'unexpected argument "b.json"'],
    [['diff', 'a.json', '--night', '2026-02-30'], '--night: not a calendar date'],
    [['apply', 'a.json', '--api', 'not a url'], '--api: expected the API base URL'],
    [['pull', '--bogus'], "Unknown option '--bogus'"],
    [['push'], 'unknown subcommand "push"'],
  ])('%j is a usage error naming the problem (exit 2)', async (argv, message) => {
    const result = await runCommand(command, ...argv, '--token', 'test-token');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('requires a token', async () => {
    const saved = process.env.LIGHTING_TOKEN;
    delete process.env.LIGHTING_TOKEN;
    const result = await runCommand(command, 'diff', 'a.json');
    if (saved !== undefined) process.env.LIGHTING_TOKEN = saved;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--token: required');
  });

  it('requires --yes when stdin is not a terminal', async () => {
    const result = await runCommand(command, 'apply', file, '--token', 'test-token', '--api', url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes: required when stdin is not a terminal');
  });
});
