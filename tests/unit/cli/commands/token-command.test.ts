import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '#cli/commands/token.ts';
import { startLocalIssuer } from '#functions/auth/local-issuer.ts';
import { createTokenVerifier } from '#functions/auth/verifier.ts';

const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const code = await command.run(argv);
  vi.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

describe('lighting token', () => {
  it('prints a token the local API accepts, with the role and zone limit asked for', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'token-'));
    dirs.push(dataDir);
    const { code, out } = await run([
      '--role',
      'technician',
      '--zones',
      'trebes,berriac',
      '--data-dir',
      dataDir,
    ]);
    expect(code).toBe(0);
    const issuer = await startLocalIssuer(dataDir);
    try {
      const verify = createTokenVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer });
      expect(await verify(out.trim())).toEqual({
        ok: true,
        principal: {
          sub: 'local-user',
          username: 'local-user',
          roles: ['technician'],
          zones: ['trebes', 'berriac'],
        },
      });
    } finally {
      await issuer.close();
    }
  });

  it('names a bad flag and exits 2', async () => {
    const { code, err } = await run(['--role', 'mayor', '--ttl', 'forever']);
    expect(code).toBe(2);
    expect(err).toContain('--role');
    expect(err).toContain('--ttl: expected a duration like 30m, 8h or 2d');
  });
});
