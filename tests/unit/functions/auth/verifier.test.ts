import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type JwksServer,
  LOCAL_ISSUER,
  type LocalSigningKey,
  loadOrCreateSigningKey,
  signToken,
  startLocalIssuer,
} from '#functions/auth/local-issuer.ts';
import { createTokenVerifier, type TokenVerifier } from '#functions/auth/verifier.ts';
import { signRawToken } from '#tests/support/functions/auth/raw-token.ts';

let dataDir: string;
let key: LocalSigningKey;
let jwks: JwksServer;
let verify: TokenVerifier;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'auth-'));
  const issuer = await startLocalIssuer(dataDir);
  ({ key } = issuer);
  jwks = issuer;
  verify = createTokenVerifier({ jwksUrl: issuer.jwksUrl, issuer: issuer.issuer });
});

afterAll(async () => {
  await jwks.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('token verification (local issuer, same path as Cognito)', () => {
  it('turns a technician token with a zone limit into a principal', async () => {
    const token = await signToken(key, {
      subject: 'alice',
      roles: ['technician'],
      zones: ['trebes', 'cite'],
      ttl: '1h',
    });
    expect(await verify(token)).toEqual({
      ok: true,
      principal: { sub: 'alice', username: 'alice', roles: ['technician'], zones: ['trebes', 'cite'] },
    });
  });

  it('reads no zone claim as every zone', async () => {
    const token = await signToken(key, { subject: 'bob', roles: ['finance'], zones: [], ttl: '1h' });
    const result = await verify(token);
    expect(result.ok && result.principal.zones).toBe('all');
  });

  it('keeps a token without any of our groups valid but role-less', async () => {
    const token = await signToken(key, { subject: 'carol', roles: [], zones: [], ttl: '1h' });
    const result = await verify(token);
    expect(result.ok && result.principal.roles).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const token = await signToken(key, { subject: 'alice', roles: ['admin'], zones: [], ttl: '-1m' });
    expect(await verify(token)).toEqual({ ok: false, reason: 'token expired' });
  });

  it('refuses a token without an expiry, naming the claim', async () => {
    const token = await signRawToken(key, { 'cognito:groups': ['admin'] });
    expect(await verify(token)).toEqual({ ok: false, reason: 'token claim "exp" rejected: missing' });
    expect((await verify(await signRawToken(key, { 'cognito:groups': ['admin'] }, '1h'))).ok).toBe(true);
  });

  it('refuses a zone claim that is present but names no zone, rather than reading it as every zone', async () => {
    for (const blank of ['', ' ', ', ,']) {
      const token = await signRawToken(
        key,
        { 'cognito:groups': ['technician'], 'custom:zones': blank },
        '1h',
      );
      expect(await verify(token)).toEqual({
        ok: false,
        reason: 'token claim "custom:zones" rejected: present but lists no zone',
      });
    }
  });

  it('refuses a token from another issuer', async () => {
    const token = await signToken(key, {
      subject: 'alice',
      roles: ['admin'],
      zones: [],
      ttl: '1h',
      issuer: 'https://cognito-idp.eu-west-3.amazonaws.com/other',
    });
    const result = await verify(token);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('"iss"') });
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'auth-other-'));
    const otherKey = await loadOrCreateSigningKey(otherDir);
    const token = await signToken(
      { ...otherKey, kid: key.kid },
      { subject: 'mallory', roles: ['admin'], zones: [], ttl: '1h' },
    );
    expect(await verify(token)).toEqual({ ok: false, reason: 'token signature invalid' });
    await rm(otherDir, { recursive: true, force: true });
  });

  it('checks the audience when one or several are configured', async () => {
    const strict = createTokenVerifier({
      jwksUrl: jwks.jwksUrl,
      issuer: LOCAL_ISSUER,
      audience: 'api-client',
    });
    const wrong = await signToken(key, {
      subject: 'a',
      roles: ['admin'],
      zones: [],
      ttl: '1h',
      audience: 'other',
    });
    const right = await signToken(key, {
      subject: 'a',
      roles: ['admin'],
      zones: [],
      ttl: '1h',
      audience: 'api-client',
    });
    expect((await strict(wrong)).ok).toBe(false);
    expect((await strict(right)).ok).toBe(true);
    const either = createTokenVerifier({
      jwksUrl: jwks.jwksUrl,
      issuer: LOCAL_ISSUER,
      audience: ['console-client', 'api-client'],
    });
    expect((await either(right)).ok).toBe(true);
    expect((await either(wrong)).ok).toBe(false);
  });

  it('refuses garbage', async () => {
    expect(await verify('not.a.jwt')).toEqual({ ok: false, reason: 'token malformed' });
  });
});

describe('local signing key', () => {
  it('is created once and reused, so tokens survive a restart', async () => {
    const again = await loadOrCreateSigningKey(dataDir);
    expect(again.kid).toBe(key.kid);
    expect(again.publicJwk).toEqual(key.publicJwk);
  });
});
