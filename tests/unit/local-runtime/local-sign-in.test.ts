import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ISSUER, type LocalSigningKey, loadOrCreateSigningKey } from '#functions/auth/local-issuer.ts';
import { localSignIn, MAX_SIGN_IN_ZONES } from '#local-runtime/local-sign-in.ts';
import { Claims, principalFromClaims } from '#protocol/principal.ts';

let dir = '';
let key: LocalSigningKey;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sign-in-'));
  key = await loadOrCreateSigningKey(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const signIn = () => localSignIn({ key: key, zones: async () => ['bastide', 'cite', 'trebes'] });
const post = (body: unknown) => signIn()('POST', typeof body === 'string' ? body : JSON.stringify(body));

async function principalOf(body: string | Buffer) {
  const { token } = JSON.parse(String(body)) as { token: string };
  const { payload } = await jwtVerify(token, await importJWK(key.publicJwk, 'RS256'), {
    issuer: LOCAL_ISSUER,
  });
  return principalFromClaims(Claims.parse(payload));
}

describe('local sign-in (npm start only)', () => {
  it("lists the inventory's zones for the form", async () => {
    const answer = await signIn()('GET', '');
    expect(JSON.parse(String(answer.body))).toEqual({ zones: ['bastide', 'cite', 'trebes'] });
  });

  it('signs a token with the local issuer for the role and zones chosen', async () => {
    const answer = await post({ role: 'technician', zones: ['trebes', 'cite'] });
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(await principalOf(answer.body)).toMatchObject({
      roles: ['technician'],
      zones: ['trebes', 'cite'],
    });
    expect(await principalOf((await post({ role: 'finance' })).body)).toMatchObject({
      roles: ['finance'],
      zones: 'all',
    });
  });

  it('refuses an unknown role, an unknown zone, zones for a non-technician and too many zones, naming the field', async () => {
    const refused = async (body: unknown) => {
      const answer = await post(body);
      return { status: answer.status, errors: JSON.parse(String(answer.body)).errors };
    };
    expect(await refused({ role: 'mayor' })).toMatchObject({ status: 422, errors: [{ pointer: '/role' }] });
    expect(await refused({ role: 'technician', zones: ['trebes', 'atlantis'] })).toMatchObject({
      status: 422,
      errors: [{ pointer: '/zones/1', detail: 'no zone atlantis in the inventory' }],
    });
    expect(await refused({ role: 'finance', zones: ['trebes'] })).toMatchObject({
      status: 422,
      errors: [{ pointer: '/zones' }],
    });
    const many = Array.from({ length: MAX_SIGN_IN_ZONES + 1 }, () => 'trebes');
    expect(await refused({ role: 'technician', zones: many })).toMatchObject({
      status: 422,
      errors: [{ pointer: '/zones' }],
    });
    expect(await refused({ role: 'admin', extra: true })).toMatchObject({ status: 422 });
    expect((await post('{"role":')).status).toBe(400);
    expect((await signIn()('DELETE', '')).status).toBe(405);
  });
});
