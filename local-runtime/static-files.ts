import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/** What the local gateway writes back for a request it answers itself. */
export interface LocalAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names what it emits under assets/ by content hash: a changed file gets a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The headers the deployment's CloudFront sets too, so the console meets the same rules locally:
 * no inline script, no framing, no sniffing. Map tiles and styles of a deployment come over https.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "worker-src 'self' blob:",
    "connect-src 'self' https:",
    "font-src 'self' https:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * A file of a built single-page app, or undefined when there is none at that path. `/` is the
 * app's index.html; a path that leaves the directory (`..`, encoded or not) finds nothing.
 */
export async function staticFile(dir: string, urlPath: string): Promise<LocalAnswer | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const relative = path === '/' ? 'index.html' : normalize(path).replace(/^[/\\]+/, '');
  if (relative.startsWith('..') || relative.split(sep).includes('..')) return undefined;
  const file = join(dir, relative);
  try {
    if (!(await stat(file)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  const cache = relative.startsWith(`assets${sep}`) ? IMMUTABLE : 'no-cache';
  return {
    status: 200,
    headers: { 'content-type': type, 'cache-control': cache, ...SECURITY_HEADERS },
    body: await readFile(file),
  };
}
