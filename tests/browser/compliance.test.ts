import { describe, expect, it } from 'vitest';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
} from './harness.ts';

const env = consoleTestEnvironment();

describe('the console for technicians: light-nuisance compliance', () => {
  it("lists each rule's counts and the example's findings with what to change, in French", async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/compliance`);
    await page.getByLabel('Nuit du').fill('2026-06-21');
    await page.getByRole('button', { name: 'Vérifier' }).click();
    const rules = page.locator('.compliance-rules tbody tr');
    await expect.poll(() => rules.count()).toBe(7);
    // The example's Cité heritage profile dims to 60 % after 01:00 instead of switching off.
    const heritage = page.locator('tr[data-rule="heritage-off-by"]');
    await expect.poll(() => heritage.textContent()).toContain('Extinction patrimoine, parcs et jardins');
    expect(await page.locator('tr[data-rule="flux-density"]').textContent()).toContain('art. 3 (à vérifier)');

    await page.getByLabel('Zone').selectOption('cite');
    const findings = page.locator('.compliance-findings tbody tr');
    await expect.poll(() => findings.count()).toBeGreaterThan(0);
    const late = page.locator('.compliance-findings tbody tr', { hasText: 'Extinction patrimoine' }).first();
    expect(await late.textContent()).toMatch(
      /Non conforme.*art\. 2.*Allumé de 01:00 à 06:\d\d, à éteindre à 01:00 au plus tard/,
    );
    expect(await late.textContent()).toContain('ne pas rallumer avant le lever du soleil');
    // A zone finding (not checkable) names what it lacks.
    expect(await page.locator('tr[data-finding="flux-density/cite"]').textContent()).toContain(
      'Non vérifiable',
    );

    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'compliance');
    expectNoPageErrors(session);
  });

  it('shows a zone-limited technician the findings of their zones only', async () => {
    const session = await env.signIn({ role: 'technician', zones: ['pennautier'] });
    const { page } = session;
    await page.goto(`${env.site.url}/#/compliance`);
    await page.getByLabel('Nuit du').fill('2026-06-21');
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await expect
      .poll(() => page.locator('#compliance-zone option').allTextContents())
      .toEqual(['Toutes les zones', 'pennautier']);
    expect(await page.locator('.compliance-findings').textContent()).toContain('Extinction des parkings');
    expectNoPageErrors(session);
  });
});
