import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { z } from 'zod';
import type { Role } from '#protocol/principal.ts';

/**
 * A stand-in for Cognito on one machine: an RS256 key pair kept in the data directory, a JWKS
 * endpoint on 127.0.0.1 and tokens carrying the same claims Cognito puts in an ID token
 * (`cognito:groups`, `custom:zones`). The API verifies them with the same verifier it uses on AWS.
 */
export const LOCAL_ISSUER = 'urn:lumen-city:local-issuer';
export const JWKS_PATH = '/.well-known/jwks.json';

export interface LocalSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

const StoredKey = z.object({
  kid: z.string().min(1),
  privateJwk: z.record(z.string(), z.unknown()),
  publicJwk: z.record(z.string(), z.unknown()),
});

const keyFile = (dataDir: string): string => join(dataDir, 'auth', 'signing-key.json');

/** Loads the data directory's signing key, creating it on first use (0600, never overwritten). */
export async function loadOrCreateSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const existing = await readStoredKey(dataDir);
  if (existing !== null) return existing;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const stored = { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  await mkdir(join(dataDir, 'auth'), { recursive: true });
  try {
    await writeFile(keyFile(dataDir), JSON.stringify(stored), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process created it first: use theirs so every token verifies against one JWKS.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSigningKey(dataDir);
    throw error;
  }
  return toSigningKey(stored);
}

async function readStoredKey(dataDir: string): Promise<LocalSigningKey | null> {
  let text: string;
  try {
    text = await readFile(keyFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return toSigningKey(StoredKey.parse(JSON.parse(text)));
}

async function toSigningKey(stored: z.output<typeof StoredKey>): Promise<LocalSigningKey> {
  const privateKey = (await importJWK(stored.privateJwk as JWK, 'RS256')) as CryptoKey;
  return { kid: stored.kid, privateKey, publicJwk: stored.publicJwk as JWK };
}

export const jwksDocument = (key: LocalSigningKey): { keys: JWK[] } => ({
  keys: [{ ...key.publicJwk, kid: key.kid, alg: 'RS256', use: 'sig' }],
});

export interface JwksServer {
  readonly jwksUrl: string;
  close(): Promise<void>;
}

/** Serves the public key set on 127.0.0.1 (port 0 = any free port). */
export async function serveJwks(key: LocalSigningKey, port = 0): Promise<JwksServer> {
  const body = JSON.stringify(jwksDocument(key));
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === JWKS_PATH) {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
      response.end(body);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${actualPort}${JWKS_PATH}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * What `npm start` and the tests need to run the API with local tokens: the data directory's key
 * served on 127.0.0.1, and the settings to give the API (AUTH_JWKS_URL, AUTH_ISSUER).
 */
export async function startLocalIssuer(
  dataDir: string,
  port = 0,
): Promise<JwksServer & { readonly issuer: string; readonly key: LocalSigningKey }> {
  const key = await loadOrCreateSigningKey(dataDir);
  const server = await serveJwks(key, port);
  return { ...server, issuer: LOCAL_ISSUER, key };
}

export interface TokenRequest {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** Zones a technician is limited to; empty = every zone. */
  readonly zones: readonly string[];
  /** A jose time span from now: "8h", "30m", "2d" ("-1m" gives an already expired token). */
  readonly ttl: string;
  readonly issuer?: string;
  readonly audience?: string;
}

export async function signToken(key: LocalSigningKey, request: TokenRequest): Promise<string> {
  const jwt = new SignJWT({
    'cognito:username': request.subject,
    'cognito:groups': [...request.roles],
    ...(request.zones.length > 0 ? { 'custom:zones': request.zones.join(',') } : {}),
    token_use: 'id',
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(request.issuer ?? LOCAL_ISSUER)
    .setIssuedAt()
    .setExpirationTime(request.ttl);
  if (request.audience !== undefined) jwt.setAudience(request.audience);
  return jwt.sign(key.privateKey);
}
