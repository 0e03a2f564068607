import { z } from 'zod';
import { fieldErrors, type ProblemKind, problemDocument } from '#functions/api/problem.ts';
import { type LocalSigningKey, signToken } from '#functions/auth/local-issuer.ts';
import { Role } from '#protocol/principal.ts';
import { PlaceName } from '#schedules/inventory/schema.ts';
import type { LocalAnswer } from './static-files.ts';

/** The path the console's local sign-in form calls (console/src/auth/local.ts). */
export const LOCAL_SIGN_IN_PATH = '/local/sign-in';

/** As many zones as a calendar rule may name: more than any site has, few enough to check fast. */
export const MAX_SIGN_IN_ZONES = 200;
export const MAX_SIGN_IN_BODY_BYTES = 16 * 1024;

/** How long a console session lasts before the console asks to sign in again. */
const SESSION_TTL = '8h';

const SignInBody = z.strictObject({
  role: Role,
  zones: z.array(PlaceName).max(MAX_SIGN_IN_ZONES).default([]),
});

const json = (status: number, value: unknown): LocalAnswer => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(value),
});

const problem = (kind: ProblemKind, detail: string, errors: { pointer: string; detail: string }[] = []) => {
  const document = problemDocument(kind, detail, errors);
  return {
    status: document.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify(document),
  };
};

/**
 * `npm start`'s stand-in for Cognito's managed login, behind the local gateway only (nothing in
 * functions/ or infra/ knows it): GET lists the site's zones for the form, POST signs a token for the
 * role and zone limit chosen, with the local issuer `npx lighting token` uses. Anyone who can reach
 * 127.0.0.1 may be anyone here; that is what a local site is for.
 */
export function localSignIn(deps: {
  readonly key: LocalSigningKey;
  readonly zones: () => Promise<string[]>;
}) {
  return async (method: string, body: string): Promise<LocalAnswer> => {
    if (method === 'GET') return json(200, { zones: await deps.zones() });
    if (method !== 'POST') return problem('method-not-allowed', `${method} is not allowed here`);
    if (Buffer.byteLength(body) > MAX_SIGN_IN_BODY_BYTES) {
      return problem('payload-too-large', `the body takes at most ${MAX_SIGN_IN_BODY_BYTES} bytes`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch (error) {
      return problem('bad-request', `request body is not JSON: ${(error as Error).message}`);
    }
    const parsed = SignInBody.safeParse(raw);
    if (!parsed.success) {
      return problem(
        'validation-failed',
        'the request body is invalid',
        fieldErrors(parsed.error.issues, 'body') as { pointer: string; detail: string }[],
      );
    }
    const { role, zones } = parsed.data;
    if (role !== 'technician' && zones.length > 0) {
      return problem('validation-failed', 'only a technician is limited to zones', [
        { pointer: '/zones', detail: `a ${role} is not limited to zones: send none` },
      ]);
    }
    const known = new Set(await deps.zones());
    const unknown = zones.flatMap((zone, i) => (known.has(zone) ? [] : [{ zone, i }]));
    if (unknown.length > 0) {
      return problem(
        'validation-failed',
        'unknown zones',
        unknown.map(({ zone, i }) => ({
          pointer: `/zones/${i}`,
          detail: `no zone ${zone} in the inventory`,
        })),
      );
    }
    const subject = `local-${role}`;
    const token = await signToken(deps.key, {
      subject,
      roles: [role],
      zones: [...new Set(zones)],
      ttl: SESSION_TTL,
    });
    return json(200, { token });
  };
}
