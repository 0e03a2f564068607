/**
 * How the console gets a token for the API. Cognito's managed login on AWS (auth/cognito.ts), the
 * local sign-in page under `npm start` (auth/local.ts). Tokens live in memory only.
 */
export interface AuthProvider {
  /** A valid access/id token for the API (refreshing silently when needed), or undefined when signed out. */
  token(): Promise<string | undefined>;
  /** Starts sign-in (redirect for Cognito, the local page for npm start). */
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  /** Called once at start-up: completes a redirect (Cognito `?code=`) if there is one. */
  resume(): Promise<void>;
  /**
   * Optional: called whenever the signed-in person changes or the provider needs the shell (the
   * local sign-in form over the page); answers the unsubscribe function.
   */
  subscribe?(listener: () => void): () => void;
}
