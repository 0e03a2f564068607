import { SignJWT } from 'jose';
import { LOCAL_ISSUER, type LocalSigningKey } from '#functions/auth/local-issuer.ts';

/**
 * A token with exactly the claims given, signed by the local issuer's key: what a misconfigured
 * pool or a forger with a leaked key could send (no `exp`, a blank zone claim), which signToken
 * never writes. `ttl` sets `exp` when given.
 */
export function signRawToken(
  key: LocalSigningKey,
  claims: Record<string, unknown>,
  ttl?: string,
): Promise<string> {
  const jwt = new SignJWT({ token_use: 'id', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject('raw')
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt();
  if (ttl !== undefined) jwt.setExpirationTime(ttl);
  return jwt.sign(key.privateKey);
}
