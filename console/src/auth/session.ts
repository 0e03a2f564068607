import { Claims, type Principal, principalFromClaims } from '#protocol/principal.ts';

/** The claims of a JWT, unverified: the console only shapes its UI with them, the API verifies. */
function payloadOf(token: string): unknown {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** Who the token names (roles, zones), or undefined for a token the console cannot read. */
export function principalOf(token: string): Principal | undefined {
  const parsed = Claims.safeParse(payloadOf(token));
  return parsed.success ? principalFromClaims(parsed.data) : undefined;
}

/** Epoch seconds at which the token expires, or undefined when it says nothing. */
export function expiryOf(token: string): number | undefined {
  const exp = (payloadOf(token) as { exp?: unknown } | undefined)?.exp;
  return typeof exp === 'number' ? exp : undefined;
}
