import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '#protocol/principal.ts';
import {
  consoleTestEnvironment,
  expectNoPageErrors,
  expectNoSeriousA11yViolations,
  saveScreenshot,
} from './harness.ts';

const env = consoleTestEnvironment();

interface Listed {
  id: string;
  zone: string;
  street: string;
}

async function api<T = unknown>(
  role: Role,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const token = await env.site.token(role);
  const response = await fetch(`${env.site.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    etag: response.headers.get('etag'),
    json: (await response.json()) as T,
  };
}

const luminairesOf = async (zone: string, limit: number): Promise<Listed[]> =>
  (await api<{ items: Listed[] }>('technician', 'GET', `/luminaires?zone=${zone}&limit=${limit}`)).json.items;

/** Opens alarms as the alarm sweep or the telemetry pipeline would (the store the API reads). */
async function openAlarms(luminaires: readonly Listed[], kind: string, openedAt: string): Promise<void> {
  for (const l of luminaires) {
    await env.site.local.platform.stores.alarms.open({
      luminaireId: l.id,
      kind,
      zone: l.zone,
      street: l.street,
      openedAt,
      detail: `${kind} seen by the browser test`,
    });
  }
}

describe('the console for technicians: alarms and audit log', () => {
  let cite: Listed[];
  let trebes: Listed[];

  beforeAll(async () => {
    cite = await luminairesOf('cite', 3);
    trebes = await luminairesOf('trebes', 60);
    await openAlarms(cite.slice(0, 2), 'lampFailure', '2026-11-28T21:15:00Z');
    await openAlarms(cite.slice(2, 3), 'dayBurning', '2026-11-27T10:05:00Z');
    await openAlarms(trebes.slice(0, 1), 'supplyLoss', '2026-11-28T02:40:00Z');
    // The sweep writes the live-state snapshot the map draws (and leaves alarms it does not raise alone).
    await env.site.local.sweepAlarms();
  });

  it('lists open alarms, acknowledges one, and shows who did', async () => {
    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/alarms`);
    const rows = page.locator('.alarms-table tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    // The longest open first; the time shown is the site's (Paris, UTC+1 in November).
    expect(await rows.first().textContent()).toContain('Allumé le jour');
    expect(await rows.first().textContent()).toContain('27/11/2026 11:05');
    expect(await page.getByRole('link', { name: 'Voir sur la carte' }).getAttribute('href')).toBe(
      '#/map?alarms=1',
    );

    const target = cite[0] as Listed;
    await page
      .getByRole('button', { name: `Acquitter l’alarme Lampe en panne du luminaire ${target.id}` })
      .click();
    const row = page.locator(`tr[data-alarm="${target.id}/lampFailure"]`);
    await expect.poll(() => row.textContent()).toContain('local-technician, le ');
    // Acknowledged alarms go after the ones still waiting for someone.
    expect(await rows.last().getAttribute('data-alarm')).toBe(`${target.id}/lampFailure`);
    const listed = (
      await api<{ items: { luminaireId: string; kind: string; acknowledgedBy?: string }[] }>(
        'technician',
        'GET',
        '/alarms',
      )
    ).json.items;
    expect(listed.find((a) => a.luminaireId === target.id && a.kind === 'lampFailure')?.acknowledgedBy).toBe(
      'local-technician',
    );

    await expectNoSeriousA11yViolations(page);
    await saveScreenshot(page, 'alarms');

    // The map, through the page's link, keeps the four luminaires with an open alarm.
    await page.getByRole('link', { name: 'Voir sur la carte' }).click();
    await expect.poll(() => page.locator('.map-count').textContent()).toBe('4 luminaires affichés');
    expect(await page.locator('.map-alarm-filter').textContent()).toContain(
      'Seulement les luminaires en alarme',
    );
    expectNoPageErrors(session);
  });

  it('offers a zone-limited technician no acknowledgement outside their zones', async () => {
    const session = await env.signIn({ role: 'technician', zones: ['trebes'] });
    const { page } = session;
    await page.goto(`${env.site.url}/#/alarms`);
    await page.locator(`tr[data-alarm="${trebes[0]?.id}/supplyLoss"] button`).waitFor();
    expect(await page.locator(`tr[data-alarm="${cite[1]?.id}/lampFailure"] button`).count()).toBe(0);
    expectNoPageErrors(session);
  });

  it('pages the audit log back to a change made through the API, with its before and after', async () => {
    const name = 'browser-audit';
    const profile = {
      description: 'made by the browser test',
      on: { event: 'sunset', offsetMinutes: 0 },
      off: { event: 'sunrise', offsetMinutes: 0 },
      onLevel: 100,
      steps: [{ at: '23:00', level: 50 }],
      fadeSeconds: 3,
    };
    expect((await api('technician', 'PUT', `/profiles/${name}`, profile)).status).toBe(200);
    const { etag } = await api('technician', 'GET', `/profiles/${name}`);
    const edited = { ...profile, steps: [{ at: '23:00', level: 30 }] };
    expect(
      (await api('technician', 'PUT', `/profiles/${name}`, edited, { 'if-match': etag ?? '' })).status,
    ).toBe(200);
    // More changes after it than one page holds (50): it is on the second page.
    await openAlarms(trebes.slice(1, 56), 'powerLow', '2026-11-29T03:00:00Z');
    for (const l of trebes.slice(1, 56)) {
      expect((await api('admin', 'POST', `/alarms/${l.id}/powerLow/acknowledge`)).status).toBe(200);
    }

    const session = await env.signIn({ role: 'technician' });
    const { page } = session;
    await page.goto(`${env.site.url}/#/audit`);
    const rows = page.locator('.audit-table tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    const change = page
      .locator('.audit-table tbody tr', { hasText: `profile ${name}` })
      .filter({ hasText: '→' });
    expect(await change.count()).toBe(0);
    await page.getByRole('button', { name: 'Entrées plus anciennes' }).click();
    await expect.poll(() => change.count()).toBe(1);
    expect(await change.textContent()).toContain('steps[0].level 50 → 30');
    expect(await change.textContent()).toContain('browser-technician');
    await expectNoSeriousA11yViolations(page);
    expectNoPageErrors(session);
  });
});
