import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { Claims, type Principal, principalFromClaims } from '#protocol/principal.ts';

export interface TokenVerifierSettings {
  /** Where the issuer publishes its public keys (Cognito: `<issuer>/.well-known/jwks.json`). */
  readonly jwksUrl: string;
  readonly issuer: string;
  /** Checked when set: one of these (Cognito ID tokens carry the app client id as `aud`). */
  readonly audience?: string | string[] | undefined;
}

export type VerifyResult =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string };

export type TokenVerifier = (token: string) => Promise<VerifyResult>;

/**
 * Verifies a bearer JWT against the issuer's JWKS and turns its claims into a Principal. One code
 * path for Cognito on AWS and for the local issuer (functions/auth/local-issuer.ts): only the
 * settings differ. Keys are fetched once and cached by jose; a token signed with an unknown key id
 * triggers a refetch (key rotation).
 */
export function createTokenVerifier(settings: TokenVerifierSettings): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        ...(settings.audience === undefined ? {} : { audience: settings.audience }),
        algorithms: ['RS256'],
        // A token without an expiry would be valid forever once leaked.
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      // Unreachable or broken key sets are an outage (500), not the caller's fault.
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
      if (error instanceof errors.JOSEError) return { ok: false, reason: describeJoseError(error) };
      throw error;
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      const reasons = claims.error.issues.map(
        (issue) => `token claim "${issue.path.join('.')}" rejected: ${issue.message}`,
      );
      return { ok: false, reason: reasons.join('; ') };
    }
    return { ok: true, principal: principalFromClaims(claims.data) };
  };
}

function describeJoseError(error: InstanceType<typeof errors.JOSEError>): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `token claim "${error.claim}" rejected: ${error.reason}`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  return 'token malformed';
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}
