import { z } from 'zod';
import { drafts } from '../drafts.ts';
import type { RuntimeConfig } from '../runtime-config.ts';
import type { AuthProvider } from './provider.ts';

export type CognitoSettings = Extract<RuntimeConfig['auth'], { kind: 'cognito' }>;

/** The ID token goes to the API: it names the app client (`aud`) and carries groups and zones. */
export const SCOPES = 'openid email profile';
/** Tokens are renewed this long before they expire, so no request leaves with a dying one. */
export const REFRESH_MARGIN_MS = 60_000;
/** Where the PKCE verifier and state wait during the redirect (the only thing kept outside memory). */
export const PENDING_KEY = 'lighting.cognito.pending';

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A PKCE verifier or state: 32 random bytes, 43 URL-safe characters (RFC 7636 §4.1). */
export function randomToken(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>): string {
  return base64Url(random(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(verifier)). */
export async function pkceChallenge(verifier: string, subtle: SubtleCrypto): Promise<string> {
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function authorizeUrl(settings: CognitoSettings, state: string, challenge: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: SCOPES,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${endpoint(settings, '/oauth2/authorize')}?${query}`;
}

export function logoutUrl(settings: CognitoSettings): string {
  const query = new URLSearchParams({ client_id: settings.clientId, logout_uri: settings.logoutUri });
  return `${endpoint(settings, '/logout')}?${query}`;
}

function endpoint(settings: CognitoSettings, path: string): string {
  return `${settings.domain.replace(/\/$/, '')}${path}`;
}

/** The form body of a token request: the code exchange after sign-in, or a refresh. */
export function tokenRequestBody(
  settings: CognitoSettings,
  grant: { code: string; verifier: string } | { refreshToken: string },
): URLSearchParams {
  return new URLSearchParams(
    'code' in grant
      ? {
          grant_type: 'authorization_code',
          client_id: settings.clientId,
          code: grant.code,
          redirect_uri: settings.redirectUri,
          code_verifier: grant.verifier,
        }
      : { grant_type: 'refresh_token', client_id: settings.clientId, refresh_token: grant.refreshToken },
  );
}

const Jwt = z
  .string()
  .min(1)
  .max(16_384)
  .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'a JWT');

/** Cognito's /oauth2/token answer; a refresh answers no new refresh token. */
export const TokenResponse = z.object({
  id_token: Jwt,
  access_token: Jwt,
  refresh_token: z.string().min(1).max(16_384).optional(),
  expires_in: z.number().int().min(60).max(86_400),
  token_type: z.literal('Bearer'),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

const Pending = z.object({
  state: z.string().min(43).max(43),
  verifier: z.string().min(43).max(43),
  /** The console's hash route when sign-in started, restored after it. */
  route: z.string().max(500),
});
type Pending = z.infer<typeof Pending>;

/** What the address says after Cognito redirected back: nothing, a code, or an error. */
export type RedirectResult =
  | { readonly kind: 'none' }
  | { readonly kind: 'code'; readonly code: string; readonly state: string }
  | { readonly kind: 'error'; readonly message: string };

export function redirectResult(href: string): RedirectResult {
  const query = new URL(href).searchParams;
  const error = query.get('error');
  if (error !== null) return { kind: 'error', message: query.get('error_description') ?? error };
  const code = query.get('code');
  const state = query.get('state');
  return code === null || state === null ? { kind: 'none' } : { kind: 'code', code, state };
}

/** Milliseconds to wait before renewing tokens that expire at `expiresAt` (epoch ms). */
export function refreshDelay(expiresAt: number, now: number, margin = REFRESH_MARGIN_MS): number {
  return Math.max(0, expiresAt - margin - now);
}

interface Tokens {
  readonly idToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** What the browser gives; tests pass their own. */
export interface CognitoEnvironment {
  readonly fetcher: typeof fetch;
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The current address. */
  href(): string;
  /** Leaves the page for another address (Cognito's sign-in or sign-out). */
  navigate(url: string): void;
  /** Rewrites the address without loading (removes `?code=` once used). */
  replaceAddress(url: string): void;
  now(): number;
  random(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>;
  readonly subtle: SubtleCrypto;
  setTimer(run: () => void, ms: number): number;
  clearTimer(timer: number): void;
  /** Just before leaving for the sign-in page: keep the forms' unsaved input for the way back. */
  keepDrafts(): void;
}

export function browserEnvironment(): CognitoEnvironment {
  return {
    fetcher: (input, init) => fetch(input, init),
    storage: sessionStorage,
    href: () => location.href,
    navigate: (url) => location.assign(url),
    replaceAddress: (url) => history.replaceState(history.state, '', url),
    now: () => Date.now(),
    random: (bytes) => crypto.getRandomValues(bytes),
    subtle: crypto.subtle,
    setTimer: (run, ms) => window.setTimeout(run, ms),
    clearTimer: (timer) => window.clearTimeout(timer),
    keepDrafts: () => drafts.stash(),
  };
}

/**
 * Cognito's managed login: authorization code flow with PKCE (S256) and a state check, tokens in
 * memory only (a reloaded page signs in again, which Cognito's session cookie makes a quick
 * redirect), renewed with the refresh token before they expire, sign-out through `/logout`.
 */
export class CognitoAuth implements AuthProvider {
  #tokens: Tokens | undefined;
  #refreshing: Promise<Tokens | undefined> | undefined;
  #timer: number | undefined;
  #listeners = new Set<() => void>();
  /** Set once the page started leaving for the sign-in page: one redirect, one pending state. */
  #leaving = false;

  constructor(
    private readonly settings: CognitoSettings,
    private readonly env: CognitoEnvironment = browserEnvironment(),
  ) {}

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async token(): Promise<string | undefined> {
    const tokens = this.#tokens;
    if (tokens === undefined) return undefined;
    if (refreshDelay(tokens.expiresAt, this.env.now()) > 0) return tokens.idToken;
    // A timer in a background tab may have been held back: renew now.
    return (await this.#refresh())?.idToken;
  }

  async signIn(): Promise<void> {
    // The page is leaving for the sign-in page: whoever waits for sign-in waits for the next load.
    const leaving = new Promise<void>(() => {});
    if (this.#leaving) return leaving;
    this.#leaving = true;
    const pending: Pending = {
      state: randomToken(this.env.random),
      verifier: randomToken(this.env.random),
      route: new URL(this.env.href()).hash,
    };
    this.env.storage.setItem(PENDING_KEY, JSON.stringify(pending));
    this.env.keepDrafts();
    this.env.navigate(
      authorizeUrl(this.settings, pending.state, await pkceChallenge(pending.verifier, this.env.subtle)),
    );
    return leaving;
  }

  async signOut(): Promise<void> {
    this.#set(undefined);
    this.env.navigate(logoutUrl(this.settings));
  }

  async resume(): Promise<void> {
    const result = redirectResult(this.env.href());
    if (result.kind === 'none') return;
    const pending = this.#takePending();
    const address = new URL(this.env.href());
    address.search = '';
    address.hash = pending?.route ?? address.hash;
    this.env.replaceAddress(address.toString());
    if (result.kind === 'error') throw new Error(`sign-in refused: ${result.message}`);
    // A code this page did not ask for (another tab, a forged link) is never exchanged.
    if (pending === undefined || pending.state !== result.state) {
      throw new Error('sign-in answer does not match the request this page made; sign in again');
    }
    this.#set(await this.#request({ code: result.code, verifier: pending.verifier }, undefined));
  }

  #takePending(): Pending | undefined {
    const raw = this.env.storage.getItem(PENDING_KEY);
    this.env.storage.removeItem(PENDING_KEY);
    if (raw === null) return undefined;
    try {
      const parsed = Pending.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  #refresh(): Promise<Tokens | undefined> {
    const refreshToken = this.#tokens?.refreshToken;
    if (refreshToken === undefined) {
      this.#set(undefined);
      return Promise.resolve(undefined);
    }
    this.#refreshing ??= this.#request({ refreshToken }, refreshToken)
      .then((tokens) => {
        this.#set(tokens);
        return tokens;
      })
      // A refused or failed refresh (token revoked, expired, offline) ends the session: the shell
      // asks to sign in again.
      .catch(() => {
        this.#set(undefined);
        return undefined;
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  async #request(
    grant: { code: string; verifier: string } | { refreshToken: string },
    currentRefreshToken: string | undefined,
  ): Promise<Tokens> {
    const requested = this.env.now();
    const response = await this.env.fetcher(endpoint(this.settings, '/oauth2/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: tokenRequestBody(this.settings, grant),
    });
    if (!response.ok) throw new Error(`token endpoint: HTTP ${response.status}`);
    const parsed = TokenResponse.safeParse(await response.json());
    if (!parsed.success) {
      throw new Error(
        `token endpoint answer invalid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
      );
    }
    return {
      idToken: parsed.data.id_token,
      refreshToken: parsed.data.refresh_token ?? currentRefreshToken,
      // Counted from when the request left: the tokens cannot be younger than that.
      expiresAt: requested + parsed.data.expires_in * 1000,
    };
  }

  #set(tokens: Tokens | undefined): void {
    this.#tokens = tokens;
    if (this.#timer !== undefined) this.env.clearTimer(this.#timer);
    this.#timer =
      tokens === undefined
        ? undefined
        : this.env.setTimer(() => void this.#refresh(), refreshDelay(tokens.expiresAt, this.env.now()));
    for (const listener of this.#listeners) listener();
  }
}
