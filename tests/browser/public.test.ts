import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
} from './harness.ts';

const env = consoleTestEnvironment();

/** A resident on a phone: no sign-in, French, the uncaught errors of the page collected. */
async function resident(): Promise<{ page: Page; errors: Error[]; close: () => Promise<void> }> {
  const context = await env.browser.newContext({
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 390, height: 844 },
  });
  const page = await context.newPage();
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  return { page, errors, close: () => context.close() };
}

describe('residents pages', () => {
  it('find a street and show its times tonight and why, without signing in', async () => {
    const session = await resident();
    const { page } = session;
    await page.goto(`${env.site.url}/#/public`);
    await page.getByLabel('Nom de la rue').fill('cros mayrevieille');
    const card = page.locator('.public-card').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('Rue Cros-Mayrevieille');
    expect(await card.textContent()).toMatch(/Allumage : \d\d:\d\d/);
    expect(await card.textContent()).toContain('Pourquoi');
    expect(page.url()).toContain('#/public');
    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'public-tonight');
    expectNoPageErrors(session);
    await session.close();
  }, 120_000);

  it('send a fault report that technicians see and close, which erases the e-mail', async () => {
    const session = await resident();
    const { page } = session;
    const luminaire = 'L-0001';
    await page.goto(`${env.site.url}/#/public/report`);
    await page.getByLabel('Numéro du lampadaire (sur le poteau)').fill(luminaire);
    await page.getByLabel('Que constatez-vous ?').fill('La lampe clignote toute la nuit');
    await page.getByLabel('Votre e-mail (facultatif, pour être tenu informé)').fill('habitant@example.org');
    expect(await page.locator('.public-privacy').textContent()).toContain('effacé');
    await expectNoSeriousA11yViolations(page);
    // A person takes more than the minimum fill time; a robot posting at once is refused.
    await page.waitForTimeout(3500);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.locator('.public-done').waitFor();
    expect(await page.locator('.public-done').textContent()).toContain('Merci');
    await saveScreenshot(page, 'public-report');
    expectNoPageErrors(session);
    await session.close();

    const technician = await env.signIn({ role: 'technician' });
    await technician.page.goto(`${env.site.url}/#/alarms`);
    const row = technician.page.locator(`tr[data-alarm="${luminaire}/citizen-report"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('habitant@example.org');
    await row.getByRole('button', { name: 'Clore (réparé)' }).click();
    await row.waitFor({ state: 'detached' });
    const stored = await env.site.local.platform.stores.alarms.forLuminaire(luminaire);
    expect(stored.find((a) => a.kind === 'citizen-report')).toMatchObject({ state: 'cleared' });
    expect(JSON.stringify(stored)).not.toContain('habitant@example.org');
    expectNoPageErrors(technician);
  }, 120_000);

  it('print a month of times for a commune, its streets grouped by identical times', async () => {
    const session = await resident();
    const { page } = session;
    await page.goto(`${env.site.url}/#/public/timetable`);
    const commune = page.getByLabel('Commune');
    await commune.locator('option', { hasText: 'Carcassonne' }).waitFor({ state: 'attached' });
    await commune.selectOption('Carcassonne');
    await page.getByLabel('Mois').fill('2026-12');
    await page.getByRole('button', { name: 'Afficher' }).click();
    const tables = page.locator('.public-timetable table');
    await tables.first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.public-timetable h2').textContent()).toBe(
      'Éclairage public de Carcassonne — décembre 2026',
    );
    expect(await tables.first().locator('tbody tr').count()).toBe(31);
    expect(await tables.first().locator('tbody th').first().textContent()).toBe('mar. 1');
    expect(await tables.first().locator('caption').textContent()).toMatch(/^(Rues|Quartier) /);
    await expectNoSeriousA11yViolations(page);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.public-nav').isVisible()).toBe(false);
    expect(await page.locator('.public-no-print').isVisible()).toBe(false);
    expect(await page.locator('.public-timetable').isVisible()).toBe(true);
    await saveScreenshot(page, 'public-timetable');
    expectNoPageErrors(session);
    await session.close();
  }, 120_000);
});
