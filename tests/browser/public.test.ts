import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  newContext,
  saveScreenshot,
} from './harness.ts';

const env = consoleTestEnvironment();

/** The box of the poles the report's map draws (the public EclExt export), west-south then east-north. */
async function polesBox(): Promise<[[number, number], [number, number]]> {
  const answer = await fetch(`${env.site.apiUrl}/public/eclext.geojson`);
  const { features } = (await answer.json()) as {
    features: { geometry: { coordinates: [number, number] } }[];
  };
  const lons = features.map((f) => f.geometry.coordinates[0]);
  const lats = features.map((f) => f.geometry.coordinates[1]);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

/** A resident on a phone: no sign-in, French, the uncaught errors of the page collected. */
async function resident(
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: Error[]; close: () => Promise<void> }> {
  const context = await newContext(env.browser, {
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 390, height: 844 },
    ...options,
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
  });

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
  });

  it('send a fault report by a point on the map, refused next to the field with a pole number too', async () => {
    const session = await resident();
    const { page } = session;
    await page.goto(`${env.site.url}/#/public/report`);
    await page.getByLabel('Numéro du lampadaire (sur le poteau)').fill('L-0002');
    await page.getByLabel('Que constatez-vous ?').fill('Éteint depuis trois nuits');
    await page.getByRole('button', { name: 'Choisir le lieu sur une carte' }).click();
    const map = page.locator('#report-map[aria-busy="false"]');
    await map.waitFor({ timeout: 60_000 });
    await expectNoSeriousA11yViolations(page);
    // Where a pole of the Bastide is drawn: the map opens on the poles' box, fitted to its width.
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    if (box === null) throw new Error('the map has no box');
    const [[west, south], [east, north]] = await polesBox();
    const target = { lat: 43.209564, lon: 2.352606 };
    const pixelsPerDegree = (box.width - 40) / (east - west);
    const mercator = (lat: number) =>
      Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * (180 / Math.PI);
    await page.mouse.click(
      box.x + 20 + (target.lon - west) * pixelsPerDegree,
      box.y +
        box.height / 2 -
        (mercator(target.lat) - (mercator(north) + mercator(south)) / 2) * pixelsPerDegree,
    );
    const chosen = page.locator('.public-point');
    await expect.poll(() => chosen.textContent()).toMatch(/Lampadaire le plus proche : L-\d{4}/);
    expect(await chosen.textContent()).toMatch(/^Point choisi : 43\.20\d{3}, 2\.35\d{3}\./);
    const pole = /(L-\d{4})/.exec((await chosen.textContent()) ?? '')?.[1] ?? '';
    await page.waitForTimeout(3500);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    expect(await page.locator('#report-position-error').textContent()).toBe(
      'Indiquez le numéro du poteau ou un point sur la carte, pas les deux.',
    );
    await page.getByLabel('Numéro du lampadaire (sur le poteau)').fill('');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.locator('.public-done').waitFor();
    await saveScreenshot(page, 'public-report-map');
    expectNoPageErrors(session);
    await session.close();

    const technician = await env.signIn({ role: 'technician' });
    await technician.page.goto(`${env.site.url}/#/alarms`);
    const row = technician.page.locator(`tr[data-alarm="${pole}/citizen-report"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Éteint depuis trois nuits');
    expectNoPageErrors(technician);
  });

  it('name a pole number no light has in French next to the field, announced to screen readers', async () => {
    const session = await resident();
    const { page } = session;
    await page.goto(`${env.site.url}/#/public/report`);
    const pole = page.getByLabel('Numéro du lampadaire (sur le poteau)');
    await pole.fill('L-99999');
    await page.getByLabel('Que constatez-vous ?').fill('Le lampadaire clignote');
    await page.waitForTimeout(3500);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const error = page.locator('#report-luminaire-error');
    await error.waitFor();
    const message = 'Aucun lampadaire ne porte ce numéro : vérifiez la plaque fixée au poteau.';
    expect(await error.textContent()).toBe(message);
    expect(await pole.getAttribute('aria-describedby')).toBe('report-luminaire-error');
    expect(await pole.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toBe(message);
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(session);
    await session.close();
  });

  it('place the point at the resident location after a click, without opening the map', async () => {
    const session = await resident({
      permissions: ['geolocation'],
      geolocation: { latitude: 43.2101, longitude: 2.3531 },
    });
    const { page } = session;
    await page.goto(`${env.site.url}/#/public/report`);
    expect(await page.locator('.public-point').textContent()).toBe('Aucun point choisi.');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await expect
      .poll(() => page.locator('.public-point').textContent())
      .toBe('Point choisi : 43.21010, 2.35310.');
    await page.getByRole('button', { name: 'Effacer le point' }).click();
    expect(await page.locator('.public-point').textContent()).toBe('Aucun point choisi.');
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByLabel('Que constatez-vous ?').fill('Le lampadaire devant chez moi reste éteint');
    await expectNoSeriousA11yViolations(page);
    await page.waitForTimeout(3500);
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.locator('.public-done').waitFor();
    expect(await page.locator('.public-done').textContent()).toContain('Merci');
    expectNoPageErrors(session);
    await session.close();
  });

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
  });
});
