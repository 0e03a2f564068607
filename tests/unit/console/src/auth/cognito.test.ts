import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  authorizeUrl,
  base64Url,
  CognitoAuth,
  type CognitoEnvironment,
  type CognitoSettings,
  logoutUrl,
  PENDING_KEY,
  pkceChallenge,
  randomToken,
  redirectResult,
  refreshDelay,
  TokenResponse,
  tokenRequestBody,
} from '#console/src/auth/cognito.ts';
import { DraftStore } from '#console/src/drafts.ts';

const subtle = webcrypto.subtle as SubtleCrypto;
const settings: CognitoSettings = {
  kind: 'cognito',
  domain: 'https://lighting-test-carcassonne.auth.eu-west-3.amazoncognito.com',
  clientId: 'console-client',
  redirectUri: 'https://d111.cloudfront.net/',
  logoutUri: 'https://d111.cloudfront.net/',
};
const CONSOLE = 'https://d111.cloudfront.net/';

/** A syntactically valid JWT (the provider never reads its claims). */
const jwt = (name: string) => `${base64Url(new TextEncoder().encode(name))}.e30.sig`;

describe('PKCE and the sign-in addresses', () => {
  it('derives the S256 challenge of the RFC 7636 example verifier', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', subtle)).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('derives the same challenge as a SHA-256 computed another way, for any verifier', async () => {
    const verifier = randomToken((bytes) => webcrypto.getRandomValues(bytes));
    expect(await pkceChallenge(verifier, subtle)).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
  });

  it('makes 43-character URL-safe verifiers from 32 random bytes', () => {
    const token = randomToken((bytes) => bytes.fill(0xfb));
    expect(token).toHaveLength(43);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('asks the authorize endpoint for a code with the challenge, the state and the registered callback', () => {
    const url = new URL(authorizeUrl(settings, 'the-state', 'the-challenge'));
    expect(`${url.origin}${url.pathname}`).toBe(`${settings.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console-client',
      redirect_uri: CONSOLE,
      scope: 'openid email profile',
      state: 'the-state',
      code_challenge: 'the-challenge',
      code_challenge_method: 'S256',
    });
  });

  it('signs out at the logout endpoint, coming back to the console', () => {
    const url = new URL(logoutUrl(settings));
    expect(`${url.origin}${url.pathname}`).toBe(`${settings.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'console-client',
      logout_uri: CONSOLE,
    });
  });

  it('exchanges a code with its verifier, and renews with the refresh token, without a client secret', () => {
    expect(Object.fromEntries(tokenRequestBody(settings, { code: 'c', verifier: 'v' }))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'console-client',
      code: 'c',
      redirect_uri: CONSOLE,
      code_verifier: 'v',
    });
    expect(Object.fromEntries(tokenRequestBody(settings, { refreshToken: 'r' }))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'console-client',
      refresh_token: 'r',
    });
  });

  it('reads a code, an error or nothing from the address Cognito sends back to', () => {
    expect(redirectResult(`${CONSOLE}?code=abc&state=xyz#/map`)).toEqual({
      kind: 'code',
      code: 'abc',
      state: 'xyz',
    });
    expect(redirectResult(`${CONSOLE}?error=access_denied&error_description=no`)).toEqual({
      kind: 'error',
      message: 'no',
    });
    expect(redirectResult(`${CONSOLE}#/map`)).toEqual({ kind: 'none' });
    expect(redirectResult(`${CONSOLE}?code=abc`)).toEqual({ kind: 'none' });
  });

  it('renews a minute before expiry, at once when that moment has passed', () => {
    expect(refreshDelay(3_600_000, 0)).toBe(3_540_000);
    expect(refreshDelay(3_600_000, 3_590_000)).toBe(0);
  });

  it('accepts a token answer only with both tokens, a bearer type and a plausible lifetime', () => {
    const answer = { id_token: jwt('id'), access_token: jwt('a'), expires_in: 3600, token_type: 'Bearer' };
    expect(TokenResponse.safeParse(answer).success).toBe(true);
    expect(TokenResponse.safeParse({ ...answer, refresh_token: 'r' }).success).toBe(true);
    for (const bad of [
      { ...answer, id_token: undefined },
      { ...answer, id_token: 'not a jwt' },
      { ...answer, token_type: 'mac' },
      { ...answer, expires_in: 0 },
      { ...answer, expires_in: 10 ** 9 },
    ]) {
      expect(TokenResponse.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

/** A browser without a browser: the address, session storage, timers and the token endpoint. */
class FakeBrowser implements CognitoEnvironment {
  address = `${CONSOLE}#/profiles/residential`;
  navigations: string[] = [];
  clock = 1_000_000;
  stored = new Map<string, string>();
  timers: { run: () => void; at: number }[] = [];
  requests: URLSearchParams[] = [];
  answers: (() => Response)[] = [];
  readonly subtle = subtle;
  readonly storage = {
    getItem: (key: string) => this.stored.get(key) ?? null,
    setItem: (key: string, value: string) => void this.stored.set(key, value),
    removeItem: (key: string) => void this.stored.delete(key),
  };
  readonly fetcher = (async (input: string | URL | Request, init?: RequestInit) => {
    expect(String(input)).toBe(`${settings.domain}/oauth2/token`);
    this.requests.push(new URLSearchParams(String(init?.body)));
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error('no answer prepared');
    return answer();
  }) as typeof fetch;
  href = () => this.address;
  /** The forms' drafts, in the same tab storage as the pending sign-in. */
  readonly drafts = new DraftStore(this.storage);
  keepDrafts = () => this.drafts.stash();
  navigate = (url: string) => void this.navigations.push(url);
  replaceAddress = (url: string) => {
    this.address = url;
  };
  now = () => this.clock;
  random = (bytes: Uint8Array<ArrayBuffer>) => webcrypto.getRandomValues(bytes);
  setTimer = (run: () => void, ms: number) => this.timers.push({ run, at: this.clock + ms }) - 1;
  clearTimer = (timer: number) => {
    this.timers[timer] = { run: () => {}, at: Number.POSITIVE_INFINITY };
  };

  /** Advances the clock, running the timers that fall due. */
  async advance(ms: number): Promise<void> {
    this.clock += ms;
    for (const timer of this.timers) {
      if (timer.at <= this.clock) {
        timer.at = Number.POSITIVE_INFINITY;
        timer.run();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Follows the sign-in redirect: Cognito answers the callback with a code and the state it was given. */
  signedInAddress(): string {
    const authorize = new URL(this.navigations.at(-1) ?? '');
    return `${CONSOLE}?code=the-code&state=${authorize.searchParams.get('state')}`;
  }
}

const tokenAnswer = (id: string, refresh?: string) => () =>
  Response.json({
    id_token: jwt(id),
    access_token: jwt(`access-${id}`),
    ...(refresh === undefined ? {} : { refresh_token: refresh }),
    expires_in: 3600,
    token_type: 'Bearer',
  });

/** signIn never settles (the page leaves): wait for the redirect it asks for. */
async function startSignIn(auth: CognitoAuth, browser: FakeBrowser): Promise<void> {
  const before = browser.navigations.length;
  void auth.signIn();
  // After WebCrypto's hashing, off the event loop: vi.waitFor's default second is short on a loaded machine.
  await vi.waitFor(() => expect(browser.navigations.length).toBe(before + 1), { timeout: 30_000 });
}

async function signedIn(browser: FakeBrowser): Promise<CognitoAuth> {
  const auth = new CognitoAuth(settings, browser);
  await startSignIn(auth, browser);
  browser.address = browser.signedInAddress();
  browser.answers.push(tokenAnswer('first', 'refresh-1'));
  await auth.resume();
  return auth;
}

describe('Cognito sign-in', () => {
  it('redirects to the authorize endpoint with a challenge of the verifier it keeps for the return', async () => {
    const browser = new FakeBrowser();
    const auth = new CognitoAuth(settings, browser);
    await startSignIn(auth, browser);
    const pending = JSON.parse(browser.stored.get(PENDING_KEY) ?? '{}');
    const authorize = new URL(browser.navigations[0] ?? '');
    expect(authorize.searchParams.get('state')).toBe(pending.state);
    expect(authorize.searchParams.get('code_challenge')).toBe(await pkceChallenge(pending.verifier, subtle));
    expect(pending.route).toBe('#/profiles/residential');
  });

  it("keeps the forms' unsaved input before leaving, for them to take back once signed in", async () => {
    const browser = new FakeBrowser();
    const auth = new CognitoAuth(settings, browser);
    browser.drafts.register('profile:residential', () => ({ onLevel: '80' }));
    await startSignIn(auth, browser);
    browser.address = browser.signedInAddress();
    browser.answers.push(tokenAnswer('first'));
    await auth.resume();
    expect(new DraftStore(browser.storage).take('profile:residential')).toEqual({ onLevel: '80' });
  });

  it('redirects once when several callers ask to sign in at the same time', async () => {
    const browser = new FakeBrowser();
    const auth = new CognitoAuth(settings, browser);
    void auth.signIn();
    await startSignIn(auth, browser);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(browser.navigations).toHaveLength(1);
    const pending = JSON.parse(browser.stored.get(PENDING_KEY) ?? '{}');
    expect(new URL(browser.navigations[0] ?? '').searchParams.get('state')).toBe(pending.state);
  });

  it('exchanges the code with the verifier, keeps tokens in memory and restores the route without the code', async () => {
    const browser = new FakeBrowser();
    const auth = await signedIn(browser);
    expect(browser.requests[0]?.get('grant_type')).toBe('authorization_code');
    expect(browser.requests[0]?.get('code')).toBe('the-code');
    expect(browser.requests[0]?.get('code_verifier')).toMatch(/^[\w-]{43}$/);
    expect(await auth.token()).toBe(jwt('first'));
    expect(browser.address).toBe(`${CONSOLE}#/profiles/residential`);
    expect(browser.stored.size).toBe(0);
  });

  it('refuses a code whose state this page did not issue, without exchanging it', async () => {
    const browser = new FakeBrowser();
    const auth = new CognitoAuth(settings, browser);
    await startSignIn(auth, browser);
    browser.address = `${CONSOLE}?code=stolen&state=${'x'.repeat(43)}`;
    await expect(auth.resume()).rejects.toThrow(/does not match/);
    expect(browser.requests).toEqual([]);
    expect(await auth.token()).toBeUndefined();
    expect(browser.address).not.toContain('stolen');
  });

  it('reports a sign-in Cognito refused', async () => {
    const browser = new FakeBrowser();
    browser.address = `${CONSOLE}?error=access_denied&error_description=User%20is%20disabled`;
    await expect(new CognitoAuth(settings, browser).resume()).rejects.toThrow(
      'sign-in refused: User is disabled',
    );
  });

  it('does nothing at start without a redirect answer', async () => {
    const browser = new FakeBrowser();
    const auth = new CognitoAuth(settings, browser);
    await auth.resume();
    expect(await auth.token()).toBeUndefined();
    expect(browser.requests).toEqual([]);
  });

  it('refuses a malformed token answer', async () => {
    const browser = new FakeBrowser();
    const auth = new CognitoAuth(settings, browser);
    await startSignIn(auth, browser);
    browser.address = browser.signedInAddress();
    browser.answers.push(() => Response.json({ id_token: 'x', token_type: 'Bearer' }));
    await expect(auth.resume()).rejects.toThrow(/id_token.*access_token.*expires_in/);
    expect(await auth.token()).toBeUndefined();
  });
});

describe('Cognito session', () => {
  it('renews the tokens silently a minute before they expire, keeping the refresh token', async () => {
    const browser = new FakeBrowser();
    const auth = await signedIn(browser);
    let changes = 0;
    auth.subscribe(() => changes++);
    browser.answers.push(tokenAnswer('second'));
    await browser.advance(3_540_000);
    expect(browser.requests[1]?.get('grant_type')).toBe('refresh_token');
    expect(browser.requests[1]?.get('refresh_token')).toBe('refresh-1');
    expect(await auth.token()).toBe(jwt('second'));
    expect(changes).toBe(1);
    browser.answers.push(tokenAnswer('third'));
    await browser.advance(3_540_000);
    expect(browser.requests[2]?.get('refresh_token')).toBe('refresh-1');
    expect(await auth.token()).toBe(jwt('third'));
  });

  it('renews on demand when the timer was held back, with one request for concurrent callers', async () => {
    const browser = new FakeBrowser();
    const auth = await signedIn(browser);
    browser.timers.length = 0;
    browser.clock += 3_550_000;
    browser.answers.push(tokenAnswer('second'));
    expect(await Promise.all([auth.token(), auth.token()])).toEqual([jwt('second'), jwt('second')]);
    expect(browser.requests).toHaveLength(2);
  });

  it('ends the session when a renewal is refused', async () => {
    const browser = new FakeBrowser();
    const auth = await signedIn(browser);
    browser.answers.push(() => Response.json({ error: 'invalid_grant' }, { status: 400 }));
    await browser.advance(3_540_000);
    expect(await auth.token()).toBeUndefined();
  });

  it('signs out: forgets the tokens and leaves through the logout endpoint', async () => {
    const browser = new FakeBrowser();
    const auth = await signedIn(browser);
    await auth.signOut();
    expect(await auth.token()).toBeUndefined();
    expect(browser.navigations.at(-1)).toBe(logoutUrl(settings));
    await browser.advance(3_600_000);
    expect(browser.requests).toHaveLength(1);
  });
});
