import type { Role } from '#protocol/principal.ts';
import type { AuthProvider } from './provider.ts';
import { expiryOf } from './session.ts';

/** Served by the local runtime only (local-runtime/local-sign-in.ts): nothing deployed answers it. */
export const LOCAL_SIGN_IN_PATH = '/local/sign-in';

export interface SignInChoice {
  readonly role: Role;
  /** A technician's zone limit; empty = every zone. */
  readonly zones: readonly string[];
}

/** A token is renewed this long before it expires, so a request never leaves with a dying one. */
const EXPIRY_MARGIN_SECONDS = 30;

/**
 * `npm start`'s sign-in: the person picks a role (and a technician's zones) on the console's
 * sign-in form, and the local runtime signs a token with the local issuer. When a token is needed
 * and there is none (first visit, expired session) `signIn` asks the shell to show that form and
 * resolves once it was sent: the page underneath stays as it was.
 */
export class LocalAuth implements AuthProvider {
  #token: string | undefined;
  #waiting: (() => void)[] = [];
  #listeners = new Set<() => void>();
  #prompting = false;

  constructor(
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
    private readonly now: () => number = () => Date.now() / 1000,
  ) {}

  /** Whether the shell should show the sign-in form over the page. */
  get prompting(): boolean {
    return this.#prompting;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async token(): Promise<string | undefined> {
    const token = this.#token;
    if (token === undefined) return undefined;
    const exp = expiryOf(token);
    return exp === undefined || exp - EXPIRY_MARGIN_SECONDS > this.now() ? token : undefined;
  }

  signIn(): Promise<void> {
    this.#prompting = true;
    this.#notify();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** The zones a technician may be limited to: the site's, as the inventory names them. */
  async zones(): Promise<string[]> {
    const response = await this.fetcher(LOCAL_SIGN_IN_PATH, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${LOCAL_SIGN_IN_PATH}: HTTP ${response.status}`);
    return ((await response.json()) as { zones: string[] }).zones;
  }

  /** Gets a token for the choice; a refused one throws with the endpoint's message. */
  async submit(choice: SignInChoice): Promise<void> {
    const response = await this.fetcher(LOCAL_SIGN_IN_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ role: choice.role, zones: choice.zones }),
    });
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
      throw new Error(problem.detail ?? problem.title ?? `HTTP ${response.status}`);
    }
    this.#token = ((await response.json()) as { token: string }).token;
    this.#prompting = false;
    for (const resolve of this.#waiting.splice(0)) resolve();
    this.#notify();
  }

  async signOut(): Promise<void> {
    this.#token = undefined;
    this.#notify();
  }

  async resume(): Promise<void> {
    // Tokens live in memory only: a reloaded page has nothing to resume and signs in again.
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
