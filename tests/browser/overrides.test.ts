import { beforeAll, describe, expect, it } from 'vitest';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  untilStill,
} from './harness.ts';

const env = consoleTestEnvironment();

// The map reads the live-state snapshot the alarm sweep writes (every luminaire, reported or not).
beforeAll(() => env.site.local.sweepAlarms(), 120_000);

describe('overrides in the console', () => {
  it('a technician creates an override for luminaires selected on the map, then ends it early', async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/map`);
    // One street of the Cité, fitted to the map, then Shift-dragged across to select its luminaires.
    await expect
      .poll(() => page.locator('select[name="zone"] option').allTextContents(), { timeout: 60_000 })
      .toContain('cite');
    await page.locator('select[name="zone"]').selectOption({ label: 'cite' });
    await page.locator('select[name="street"]').selectOption({ label: 'Rue Cros-Mayrevieille' });
    const canvas = page.locator('.map-canvas canvas');
    await canvas.waitFor({ timeout: 60_000 });
    // Fitted to the street and its luminaires drawn before they are dragged across.
    await untilStill(page);
    const box = await canvas.boundingBox();
    if (box === null) throw new Error('the map has no canvas');
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + 5, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 5, box.y + box.height - 5, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await page.locator('.map-selection').waitFor();

    await page.getByRole('link', { name: 'Dérogations' }).click();
    await page.getByRole('radio', { name: 'les luminaires choisis sur la carte' }).check();
    const count = page.getByTestId('selection-count');
    const selected = Number(((await count.textContent()) ?? '').replace(/\D/g, ''));
    expect(selected).toBeGreaterThan(0);
    await page.getByLabel('Niveau (%)').fill('30');
    // Started a minute ago (the form's times are in the site's zone, to the minute), for two hours.
    const { from, until } = await page.evaluate(() => {
      const local = (at: number) =>
        new Intl.DateTimeFormat('sv-SE', {
          timeZone: 'Europe/Paris',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        })
          .format(new Date(at))
          .replace(' ', 'T');
      return { from: local(Date.now() - 60_000), until: local(Date.now() + 2 * 3_600_000) };
    });
    await page.getByLabel(/^Début/).fill(from);
    await page.getByLabel(/^Fin/).fill(until);

    // No reason given: the error is shown at the field and nothing is created.
    await page.getByRole('button', { name: 'Créer la dérogation' }).click();
    await expect.poll(() => page.locator('#error-reason').textContent()).toBe('obligatoire');
    expect(await page.locator('tr[data-override]').count()).toBe(0);

    await page.getByLabel('Motif').fill('Tournage de film');
    await page.getByRole('button', { name: 'Créer la dérogation' }).click();
    const row = page.locator('tr[data-override]');
    await row.waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toContain('en cours');
    expect(await row.textContent()).toContain(`${selected} luminaire(s)`);
    await page.locator('.push-summary').first().waitFor();
    await expectNoSeriousA11yViolations(page);

    await row.getByRole('button', { name: /^Terminer .* maintenant$/ }).click();
    // Ending re-plans and pushes the luminaires first: slow on a loaded machine.
    await expect
      .poll(
        async () =>
          (await page.locator('.problem').allTextContents()).join() ||
          page.locator('tr[data-override]').count(),
        { timeout: 60_000 },
      )
      .toBe(0);
    const token = await env.site.token('technician');
    const all = await fetch(`${env.site.apiUrl}/overrides?all=true`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const ended = (
      (await all.json()) as {
        reason: string;
        until: string;
        target: { luminaires?: string[] };
      }[]
    ).find((override) => override.reason === 'Tournage de film');
    expect(ended?.target.luminaires).toHaveLength(selected);
    expect(Date.parse(ended?.until ?? '')).toBeLessThanOrEqual(Date.now());
    expectNoPageErrors(session);
  });

  it('offers a zone-limited technician their zones only, and the API refuses another zone', async () => {
    const session = await env.signIn({ role: 'technician', zones: ['trebes'] });
    const { page } = session;
    await page.goto(`${env.site.url}/#/overrides`);
    const zone = page.getByLabel('Zone', { exact: true });
    await zone.waitFor();
    expect(await zone.locator('option').allTextContents()).toEqual(['trebes']);
    expect(await page.locator('.override-form .note').textContent()).toContain('trebes');

    const token = await env.site.token('technician', ['trebes']);
    const refused = await fetch(`${env.site.apiUrl}/overrides`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        target: { zones: ['cite'] },
        level: 0,
        from: new Date(Date.now() + 3_600_000).toISOString(),
        until: new Date(Date.now() + 7_200_000).toISOString(),
        reason: 'outside my zones',
      }),
    });
    expect(refused.status).toBe(403);
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(session);
  });
});
