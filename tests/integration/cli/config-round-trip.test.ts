import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '#cli/commands/config.ts';
import { runCommand } from '#tests/support/cli/run-command.ts';
import { twoRuleConfig } from '#tests/support/functions/api/fixtures.ts';
import { testLuminaires } from '#tests/support/functions/shared/fixtures.ts';
import { localApi } from '../functions/api-site.ts';
import { uniqueName } from '../local-clients.ts';

const NOW = Date.parse('2026-06-21T11:00:00Z') / 1000;

let api: Awaited<ReturnType<typeof localApi>>;
let token: string;
let file: string;

const config = (...argv: string[]) => runCommand(command, ...argv, '--api', api.url, '--token', token);

beforeAll(async () => {
  api = await localApi(twoRuleConfig(), testLuminaires(4, uniqueName('CLI')), NOW);
  token = await api.token(['technician']);
  file = join(await mkdtemp(join(tmpdir(), 'cli-round-trip-')), 'config.json');
  // The site settings come from this file: pull keeps them when the API serves none.
  await writeFile(file, JSON.stringify(twoRuleConfig()));
});
afterAll(() => api.stop());

describe('lighting config against the real API over the local cloud', () => {
  it('pull, edit, diff, apply: the live configuration becomes the file', async () => {
    expect((await config('pull', '--out', file)).code).toBe(0);
    const raw = JSON.parse(await readFile(file, 'utf8'));
    raw.profiles.residential.steps = [{ at: '22:00', level: 50 }];
    raw.profiles.late = { on: '19:00', off: '23:30' };
    raw.calendar.push({
      id: 'late',
      profile: 'late',
      zones: ['bastide'],
      priority: 20,
      dates: ['2026-06-21'],
    });
    await writeFile(file, JSON.stringify(raw, null, 2));

    const diff = await config('diff', file, '--night', '2026-06-21');
    expect(diff.stderr).toBe('');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(
      '~ profile residential: 4 luminaire(s) affected, 2 changed on the night of 2026-06-21',
    );
    expect(diff.stdout).toContain('+ profile late: 0 luminaire(s) affected');
    // Checked against the live configuration alone, the rule's profile is not there yet.
    expect(diff.stdout).toContain('+ rule late: no preview');

    const applied = await config('apply', file, '--yes', '--night', '2026-06-21');
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('3 change(s) applied');
    const live = await api.stores.config.load();
    expect(live.profiles.residential?.steps).toEqual([{ at: '22:00', level: 50 }]);
    expect(live.calendar.map((rule) => rule.id)).toEqual(['default', 'cite', 'late']);

    const again = await config('diff', file);
    expect(again.stdout).toContain('no change');
  });
});
