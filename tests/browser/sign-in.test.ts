import { describe, expect, it } from 'vitest';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  newContext,
} from './harness.ts';

const env = consoleTestEnvironment();

describe('console sign-in (local)', () => {
  it('offers the roles and the zones of the inventory, in French, with no serious a11y violation', async () => {
    const context = await newContext(env.browser, { locale: 'fr-FR' });
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    try {
      await page.goto(`${env.site.url}/`);
      await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/#\/sign-in$/);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 30_000 }).toBe('Connexion');
      await page.locator('input[name="zones"][value="trebes"]').waitFor();
      expect(await page.locator('input[name="role"]').count()).toBe(3);
      await expectNoSeriousA11yViolations(page);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('signs a zone-limited technician in through the form and shows who is signed in', async () => {
    const session = await env.signIn({ role: 'technician', zones: ['trebes'] });
    const who = await session.page.locator('.shell-user').textContent();
    expect(who).toContain('Technicien');
    expect(who).toContain('zones : trebes');
    expectNoPageErrors(session);
  });

  it('speaks English to a browser that prefers it', async () => {
    const session = await env.signIn({ role: 'finance', locale: 'en-GB' });
    expect(await session.page.locator('.shell-user').textContent()).toContain('Finance');
    expect(await session.page.locator('html').getAttribute('lang')).toBe('en');
    expectNoPageErrors(session);
  });
});
