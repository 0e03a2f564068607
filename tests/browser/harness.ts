import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { signToken } from '#functions/auth/local-issuer.ts';
import { CONSOLE_DIST } from '#local-runtime/console-build.ts';
import { startExampleSite } from '#local-runtime/example-site.ts';
import type { LocalSite } from '#local-runtime/local-site.ts';
import type { Role } from '#protocol/principal.ts';

/**
 * The browser tests' harness: the REAL local site `npm start` runs (local-runtime/local-site.ts on
 * the local cloud, the built console at `/`, the API under `/api`) on free ports, Debian's Chromium
 * driven by playwright-core, sign-in through the console's local sign-in page, uncaught page
 * errors collected, and an axe-core scan. Typical use, once per test file:
 *
 *   const env = consoleTestEnvironment();
 *   it('...', async () => {
 *     const session = await env.signIn({ role: 'technician', zones: ['trebes'] });
 *     ... session.page ...
 *     await expectNoSeriousA11yViolations(session.page);
 *     expectNoPageErrors(session);
 *   });
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');

export const CHROMIUM = '/usr/bin/chromium';
/** WebGL (the map) runs on SwiftShader in a headless Chromium with no GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface ConsoleSite {
  /** The origin: the console at `/`. */
  readonly url: string;
  /** The API's base URL (`<url>/api`), for a test's own requests. */
  readonly apiUrl: string;
  /** The running site: push plans, sweep alarms, its stores and its local cloud. */
  readonly local: LocalSite;
  /** A bearer token for the API, signed as the sign-in page would. */
  token(role: Role, zones?: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** The Carcassonne example (2,823 luminaires, 48 sensors) on the real local site, in memory. */
export async function startConsoleSite(): Promise<ConsoleSite> {
  const { local, stop } = await startExampleSite({ siteId: 'browser-tests', consoleDir: CONSOLE_DIST });
  return {
    url: local.url,
    apiUrl: local.apiUrl,
    local,
    token: (role, zones = []) =>
      signToken(local.signingKey, { subject: `browser-${role}`, roles: [role], zones, ttl: '1h' }),
    stop,
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * How long a page's element, navigation or download is waited for: twice Playwright's 30 s, which the
 * console's first pages (software WebGL, the API's first reports) approach on a loaded 2-core machine.
 */
const PAGE_TIMEOUT_MS = 60_000;

/** A fresh browser context whose pages wait as long as a loaded machine needs. */
export async function newContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(PAGE_TIMEOUT_MS);
  return context;
}

export interface ConsoleSession {
  readonly page: Page;
  /** Uncaught errors of the page so far (expectNoPageErrors fails on any). */
  readonly errors: Error[];
  close(): Promise<void>;
}

export interface SignInAs {
  readonly role: Role;
  /** A technician's zone limit, ticked on the sign-in page; none = every zone. */
  readonly zones?: readonly string[];
  /** The browser's language (the console's default comes from it). */
  readonly locale?: string;
  readonly viewport?: { width: number; height: number };
}

/** A fresh browser context on the console's sign-in page, signed in as `as` through the form. */
export async function signIn(browser: Browser, site: ConsoleSite, as: SignInAs): Promise<ConsoleSession> {
  const context = await newContext(browser, {
    locale: as.locale ?? 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: as.viewport ?? { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(`${site.url}/#/sign-in`);
  await page.locator(`input[name="role"][value="${as.role}"]`).check();
  for (const zone of as.zones ?? []) await page.locator(`input[name="zones"][value="${zone}"]`).check();
  await page.locator('form.sign-in button[type="submit"]').click();
  await page.locator('.shell-user').waitFor();
  return { page, errors, close: () => context.close() };
}

/**
 * Starts the site and the browser once for the file (beforeAll), stops them after (afterAll), and
 * closes the sessions it opened.
 */
export function consoleTestEnvironment() {
  let site: ConsoleSite | undefined;
  let browser: Browser | undefined;
  const sessions: ConsoleSession[] = [];
  // The example site and Chromium: 11 s on a loaded CI run, 45 s at load 7 beside other helpers.
  beforeAll(async () => {
    [site, browser] = await Promise.all([startConsoleSite(), launchBrowser()]);
  }, 300_000);
  afterAll(async () => {
    await Promise.allSettled(sessions.map((session) => session.close()));
    await browser?.close();
    await site?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the console test environment is not started (use it inside tests)');
    return value;
  };
  return {
    get site(): ConsoleSite {
      return started(site);
    },
    get browser(): Browser {
      return started(browser);
    },
    async signIn(as: SignInAs): Promise<ConsoleSession> {
      const session = await signIn(started(browser), started(site), as);
      sessions.push(session);
      return session;
    },
  };
}

export function expectNoPageErrors(session: ConsoleSession): void {
  expect(session.errors.map((error) => error.stack ?? error.message)).toEqual([]);
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** An axe-core scan of the page as it is: no violation of serious or critical impact. */
export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the console's CSP (no inline script) still holds.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.slice(0, 5).map((node) => ({ target: node.target })),
    }));
  });
  expect(
    violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical'),
  ).toEqual([]);
}

/**
 * Waits until the page shows the same twice half a second apart: the map has drawn what it was given
 * and stopped moving, which on software WebGL and a loaded machine takes seconds.
 */
export async function untilStill(page: Page): Promise<void> {
  let previous: Buffer | undefined;
  await expect
    .poll(
      async () => {
        const shot = await page.screenshot();
        const same = previous?.equals(shot) ?? false;
        previous = shot;
        return same;
      },
      { timeout: PAGE_TIMEOUT_MS, interval: 500 },
    )
    .toBe(true);
}

/** Writes docs/screenshots/<name>.png (the README shows them). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
