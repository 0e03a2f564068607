import { describe, expect, it } from 'vitest';
import {
  type ConsoleSession,
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
} from './harness.ts';

const env = consoleTestEnvironment();

/** The audit log's newest entries, read through the API as a technician. */
async function auditEntries(): Promise<Record<string, unknown>[]> {
  const token = await env.site.token('technician');
  const response = await fetch(`${env.site.apiUrl}/audit`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { items: Record<string, unknown>[] }).items;
}

/** The level input of a step of the profile editor (1-based, as labelled). */
const stepLevel = (session: ConsoleSession, n: number) =>
  session.page.getByLabel(`Palier ${n} : niveau (%)`, { exact: true });

describe('schedules in the console', () => {
  it('a technician edits a profile step, sees the browser preview and the server dry run, saves and sees the push', async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/profiles`);
    await page.getByRole('link', { name: 'residential', exact: true }).click();
    await page.waitForURL(/#\/profiles\/residential$/);
    const chart = page.locator('.preview .night-chart svg').first();
    await expect.poll(() => chart.getAttribute('aria-label')).toContain('70 %');
    const before = await page.getByTestId('browser-preview').textContent();

    // A level out of range: the error is shown at the field and nothing can be sent.
    await stepLevel(session, 1).fill('150');
    await expect.poll(() => page.locator('#error-steps-0-level').textContent()).toBe('au plus 100');
    expect(await page.getByRole('button', { name: 'Simuler sur le serveur' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Enregistrer' }).isDisabled()).toBe(true);

    // The preview follows the typing, computed in the browser.
    await stepLevel(session, 1).fill('50');
    await expect.poll(() => chart.getAttribute('aria-label')).toContain('22:30 : 50 %');
    expect(await page.getByTestId('browser-preview').textContent()).not.toBe(before);
    await expectNoSeriousA11yViolations(page);

    await page.getByRole('button', { name: 'Simuler sur le serveur' }).click();
    const counts = page.getByTestId('dry-run-counts');
    await counts.waitFor();
    expect(Number(await counts.getAttribute('data-affected'))).toBeGreaterThan(0);
    expect(Number(await counts.getAttribute('data-changed'))).toBeGreaterThan(0);
    expect(await page.locator('.dry-run tbody tr').count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'profile-editor');

    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.saved .push-summary').waitFor();
    // The residential profile reaches more luminaires than a request pushes: they are queued by shard.
    expect(await page.locator('.saved').textContent()).toMatch(/luminaires mis en file d’envoi/);

    // The change is in the audit log (the console's audit page is console-fin's; read it through the API).
    expect((await auditEntries())[0]).toMatchObject({
      action: 'profile.put',
      target: 'profile residential',
      after: {
        steps: [
          { at: '22:30', level: 50 },
          { at: '00:30', level: 0 },
          { at: '05:00', level: 70 },
        ],
      },
    });
    expectNoPageErrors(session);
  });

  it('shows the version stored meanwhile when a save comes second (412)', async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/profiles/park`);
    await stepLevelOrOnLevel(session);
    await page.getByRole('button', { name: 'Simuler sur le serveur' }).click();
    await page.getByTestId('dry-run-counts').waitFor();
    // Someone else stores another version of the profile first.
    const token = await env.site.token('technician');
    const current = await fetch(`${env.site.apiUrl}/profiles/park`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const stored = await fetch(`${env.site.apiUrl}/profiles/park`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'if-match': current.headers.get('etag') ?? '',
      },
      body: JSON.stringify({ ...(await current.json()), onLevel: 60 }),
    });
    expect(stored.status).toBe(200);
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.locator('.conflict').waitFor();
    await page.getByRole('button', { name: 'Reprendre la version enregistrée' }).click();
    expect(await page.getByLabel('Niveau à l’allumage (%)').inputValue()).toBe('60');
    expectNoPageErrors(session);
  });

  it('shows the calendar rules in order and a month of nights zone by zone', async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/calendar`);
    await page.locator('input[type="month"]').fill('2026-12');
    await expect.poll(() => page.locator('.month-grid caption').textContent()).toContain('décembre 2026');
    const firstRule = page.locator('table.data tbody tr').first().locator('th');
    expect(await firstRule.textContent()).toBe('bastille-day');
    const bastide = page.locator('.month-grid tbody tr', {
      has: page.locator('th', { hasText: /^bastide/ }),
    });
    expect(await bastide.locator('td').nth(3).getAttribute('title')).toContain('christmas-market');
    // Christmas and St Stephen (Alsace-Moselle).
    expect(await page.locator('.month-grid thead th.holiday').count()).toBe(2);
    await saveScreenshot(page, 'calendar');
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(session);
  });

  it("shows a luminaire's night, why it follows it, and its live state", async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/luminaires/L-0001`);
    await page.locator('.luminaire-panel .night-chart svg').waitFor();
    const facts = await page.locator('.luminaire-panel .facts').first().textContent();
    expect(facts).toContain('cite');
    await page.locator('.sync').waitFor();
    // The level now comes from the live state (telemetry); the shadow part is the controller's own report.
    expect(await page.locator('.live-report dt').textContent()).toBe('Niveau actuel');
    expect(await page.locator('section:has(#state-title) h3').textContent()).toContain(
      'Ce que le contrôleur a signalé',
    );
    await expectNoSeriousA11yViolations(page);
    await page.goto(`${env.site.url}/#/profiles`);
    await page.locator('table.data').waitFor();
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(session);
  });
});

/** Raises the level at switch-on of the profile open in the editor (a change the API accepts). */
async function stepLevelOrOnLevel(session: ConsoleSession): Promise<void> {
  await session.page.getByLabel('Niveau à l’allumage (%)').fill('90');
}
